#include "big_buffer.h"

#include <cstdlib>
#include <deque>
#include <mutex>
#include <utility>

namespace segcrf {

namespace {

constexpr std::size_t kMinCachedBytes = std::size_t{1} << 20;
constexpr std::size_t kMaxCachedBytes = std::size_t{512} << 20;

struct BlockCache {
  std::mutex mutex;
  std::deque<std::pair<void*, std::size_t>> blocks;  // oldest first
  std::size_t total = 0;
};

BlockCache& cache() {
  static BlockCache* c = new BlockCache();  // never destroyed: CRFs may be freed during static destruction
  return *c;
}

}  // namespace

void* big_allocate(std::size_t bytes) {
  if (bytes >= kMinCachedBytes) {
    BlockCache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    for (auto it = c.blocks.rbegin(); it != c.blocks.rend(); ++it) {
      if (it->second == bytes) {
        void* p = it->first;
        c.total -= bytes;
        c.blocks.erase(std::next(it).base());
        return p;
      }
    }
  }
  return std::malloc(bytes);
}

void big_deallocate(void* p, std::size_t bytes) {
  if (p == nullptr) return;
  if (bytes < kMinCachedBytes || bytes > kMaxCachedBytes) {
    std::free(p);
    return;
  }
  BlockCache& c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  while (c.total + bytes > kMaxCachedBytes && !c.blocks.empty()) {
    std::free(c.blocks.front().first);
    c.total -= c.blocks.front().second;
    c.blocks.pop_front();
  }
  c.blocks.emplace_back(p, bytes);
  c.total += bytes;
}

}  // namespace segcrf
