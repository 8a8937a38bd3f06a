// Open-addressing hash table from lattice keys (up to 6 coordinates of 16 bits) to dense lattice point indices.
#ifndef SEGCRF_HASH_TABLE_H
#define SEGCRF_HASH_TABLE_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace segcrf {

// A lattice point's first d (<= 6) coordinates packed 16 bits each (the (d+1)-th follows from their sum).
struct LatticeKey {
  static constexpr int kMaxCoordinates = 6;
  uint64_t lo = 0;
  uint64_t hi = 0;
  bool operator==(const LatticeKey& o) const { return lo == o.lo && hi == o.hi; }
  bool operator!=(const LatticeKey& o) const { return !(*this == o); }

  void set(int i, int value) {
    const uint64_t v = static_cast<uint16_t>(static_cast<int16_t>(value));
    if (i < 4) {
      lo = (lo & ~(0xffffULL << (16 * i))) | (v << (16 * i));
    } else {
      hi = (hi & ~(0xffffULL << (16 * (i - 4)))) | (v << (16 * (i - 4)));
    }
  }
  int get(int i) const {
    const uint64_t word = i < 4 ? lo >> (16 * i) : hi >> (16 * (i - 4));
    return static_cast<int16_t>(static_cast<uint16_t>(word & 0xffff));
  }
};

class LatticeHashTable {
 public:
  // Prepares for about `expected` keys; keeps its memory across clear() calls.
  void clear(std::size_t expected) {
    keys_.clear();
    std::size_t cap = 1024;
    while (cap < 2 * expected) cap <<= 1;
    if (slots_.size() != cap) slots_.assign(cap, Slot{});
    else std::fill(slots_.begin(), slots_.end(), Slot{});
    mask_ = cap - 1;
  }

  // Index of the key, inserting it when absent.
  int32_t insert(const LatticeKey& k) { return insert_hashed(k, hash(k)); }

  // insert() of a key whose hash() is known (see prefetch()). The slot is taken from the hash here, after any growth.
  int32_t insert_hashed(const LatticeKey& k, uint64_t key_hash) {
    if (2 * (keys_.size() + 1) > slots_.size()) grow();
    std::size_t h = key_hash & mask_;
    const uint32_t hi = static_cast<uint32_t>(k.hi);
    for (;;) {
      Slot& s = slots_[h];
      if (s.index < 0) {
        const int32_t idx = static_cast<int32_t>(keys_.size());
        keys_.push_back(k);
        s = Slot{k.lo, hi, idx};
        return idx;
      }
      if (s.lo == k.lo && s.hi == hi) return s.index;
      h = (h + 1) & mask_;
    }
  }

  // A caller with many lookups to make hashes a batch of keys, prefetches their slots, and then finds (or inserts)
  // each with its hash: the cache misses overlap instead of following one another.
  static uint64_t hash(const LatticeKey& k) {
    uint64_t h = k.lo * 0x9E3779B97F4A7C15ULL ^ (k.hi + 0x632BE59BD9B4E019ULL) * 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93ULL;
    h ^= h >> 32;
    return h;
  }
  void prefetch(uint64_t key_hash) const { __builtin_prefetch(&slots_[key_hash & mask_]); }

  // Index of the key whose hash() is known, or -1. Safe to call from several threads while nobody inserts.
  int32_t find_hashed(const LatticeKey& k, uint64_t key_hash) const {
    const uint32_t hi = static_cast<uint32_t>(k.hi);
    std::size_t h = key_hash & mask_;
    for (;;) {
      const Slot& s = slots_[h];
      if (s.index < 0) return -1;
      if (s.lo == k.lo && s.hi == hi) return s.index;
      h = (h + 1) & mask_;
    }
  }

  std::size_t size() const { return keys_.size(); }
  const LatticeKey& key(std::size_t i) const { return keys_[i]; }

 private:
  void grow() {
    const std::size_t cap = slots_.size() * 2;
    slots_.assign(cap, Slot{});
    mask_ = cap - 1;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      const LatticeKey& k = keys_[i];
      std::size_t h = hash(k) & mask_;
      while (slots_[h].index >= 0) h = (h + 1) & mask_;
      slots_[h] = Slot{k.lo, static_cast<uint32_t>(k.hi), static_cast<int32_t>(i)};
    }
  }

  // The key is kept in its slot (16 bytes, four to a cache line), so a probe compares without a second memory
  // access: the neighbour lookups of a 5-d lattice are most of its build, and most of them miss the cache.
  struct Slot {
    uint64_t lo = 0;
    uint32_t hi = 0;  // coordinates 4 and 5
    int32_t index = -1;
  };
  static_assert(sizeof(Slot) == 16, "four slots to a cache line");

  std::vector<LatticeKey> keys_;
  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
};

}  // namespace segcrf

#endif
