// std::vector storage for the large per-frame arrays, default-initialised: resize() does not zero-fill arrays that are
// overwritten anyway (a fresh 640x480 frame otherwise writes ~100 MB of zeros). Transparent huge pages were tried
// (madvise(MADV_HUGEPAGE)) and made fresh frames slower: the kernel's compaction and 2 MB clears cost more than the
// faults they save.
//
// Blocks of 1 MiB and more that a closed CRF frees are kept (up to 512 MiB in all, oldest dropped first) and handed to
// the next request of exactly the same size: a new CRF on frames of the same size (a reset stream, the next image of
// an evaluation, every repeat of `segment crf`) then reuses touched pages instead of faulting in fresh ones (about
// 30 ms per 640x480 frame on one thread). Before, glibc's malloc did this or not depending on the order of earlier
// allocations, so an unrelated change could move `segment crf` by 30 ms.
#ifndef SEGCRF_BIG_BUFFER_H
#define SEGCRF_BIG_BUFFER_H

#include <cstdlib>
#include <new>
#include <vector>

namespace segcrf {

// malloc, or a cached block of exactly `bytes`.
void* big_allocate(std::size_t bytes);
// Caches the block (see above) or frees it.
void big_deallocate(void* p, std::size_t bytes);

template <typename T>
struct BigAllocator {
  using value_type = T;
  BigAllocator() = default;
  template <typename U>
  BigAllocator(const BigAllocator<U>&) {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_alloc();
    void* p = big_allocate(n > 0 ? n * sizeof(T) : 1);
    if (p == nullptr) throw std::bad_alloc();
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) { big_deallocate(p, n > 0 ? n * sizeof(T) : 1); }

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
