// Open-addressing hash table from lattice keys (up to 7 coordinates of 16 bits) to dense lattice point indices.
#ifndef SEGCRF_HASH_TABLE_H
#define SEGCRF_HASH_TABLE_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace segcrf {

// A lattice point's first d coordinates packed 16 bits each (the (d+1)-th follows from their sum).
struct LatticeKey {
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
    if (slots_.size() != cap) slots_.assign(cap, -1);
    else std::fill(slots_.begin(), slots_.end(), -1);
    mask_ = cap - 1;
  }

  // Index of the key, inserting it when absent.
  int32_t insert(const LatticeKey& k) {
    if (2 * (keys_.size() + 1) > slots_.size()) grow();
    std::size_t h = hash(k) & mask_;
    for (;;) {
      const int32_t e = slots_[h];
      if (e < 0) {
        const int32_t idx = static_cast<int32_t>(keys_.size());
        keys_.push_back(k);
        slots_[h] = idx;
        return idx;
      }
      if (keys_[e] == k) return e;
      h = (h + 1) & mask_;
    }
  }

  // Index of the key, or -1. Safe to call from several threads while nobody inserts.
  int32_t find(const LatticeKey& k) const {
    std::size_t h = hash(k) & mask_;
    for (;;) {
      const int32_t e = slots_[h];
      if (e < 0) return -1;
      if (keys_[e] == k) return e;
      h = (h + 1) & mask_;
    }
  }

  std::size_t size() const { return keys_.size(); }
  const LatticeKey& key(std::size_t i) const { return keys_[i]; }

 private:
  static std::size_t hash(const LatticeKey& k) {
    uint64_t h = k.lo * 0x9E3779B97F4A7C15ULL ^ (k.hi + 0x632BE59BD9B4E019ULL) * 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 31;
    h *= 0xD6E8FEB86659FD93ULL;
    h ^= h >> 32;
    return static_cast<std::size_t>(h);
  }

  void grow() {
    const std::size_t cap = slots_.size() * 2;
    slots_.assign(cap, -1);
    mask_ = cap - 1;
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      std::size_t h = hash(keys_[i]) & mask_;
      while (slots_[h] >= 0) h = (h + 1) & mask_;
      slots_[h] = static_cast<int32_t>(i);
    }
  }

  std::vector<LatticeKey> keys_;
  std::vector<int32_t> slots_;
  std::size_t mask_ = 0;
};

}  // namespace segcrf

#endif
