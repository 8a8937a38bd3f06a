// std::vector storage for the large per-frame arrays, default-initialised: resize() does not zero-fill arrays that are
// overwritten anyway (a fresh 640x480 frame otherwise writes ~100 MB of zeros). Transparent huge pages were tried
// (madvise(MADV_HUGEPAGE)) and made fresh frames slower: the kernel's compaction and 2 MB clears cost more than the
// faults they save.
#ifndef SEGCRF_BIG_BUFFER_H
#define SEGCRF_BIG_BUFFER_H

#include <cstdlib>
#include <new>
#include <vector>

namespace segcrf {

template <typename T>
struct BigAllocator {
  using value_type = T;
  BigAllocator() = default;
  template <typename U>
  BigAllocator(const BigAllocator<U>&) {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    void* p = std::malloc(n > 0 ? n * sizeof(T) : 1);
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t) { std::free(p); }

  // resize() default-initialises instead of zeroing.
  template <typename U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <typename U>
  bool operator==(const BigAllocator<U>&) const { return true; }
  template <typename U>
  bool operator!=(const BigAllocator<U>&) const { return false; }
};

// A vector whose resize() leaves new elements uninitialised (use assign() where zeros are needed).
template <typename T>
using BigVector = std::vector<T, BigAllocator<T>>;

}  // namespace segcrf

#endif
