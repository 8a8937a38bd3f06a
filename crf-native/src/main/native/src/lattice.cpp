// Compiled with -ffp-contract=off: the embedding must round exactly as the reference does.
#include "lattice.h"

#include <algorithm>
#include <atomic>
#include <string>

#include "crf_math.h"
#include "errors.h"

namespace segcrf {

namespace {

// Each feature of a pixel depends on one value: x / sxy, y / sxy and (bilateral) channel / srgb. Divided once per
// distinct value: the same IEEE quotients as dividing per pixel, without five divisions a pixel.
struct FeatureTables {
  std::vector<float> x, y, rgb;
  FeatureTables(const FeatureSpec& spec, int width, int height) : x(width), y(height), rgb(256) {
    for (int i = 0; i < width; ++i) x[i] = static_cast<float>(i) / spec.sxy;
    for (int i = 0; i < height; ++i) y[i] = static_cast<float>(i) / spec.sxy;
    for (int v = 0; v < 256; ++v) rgb[v] = static_cast<float>(v) / spec.srgb;
  }
};

}  // namespace

void LatticeBuilder::build(const FeatureSpec& spec, int width, int height, const uint8_t* rgb, int parts,
                           ThreadPool& pool, Lattice& out) {
  if (spec.bilateral) {
    if (rgb == nullptr) throw InvalidArgument("the bilateral kernel needs the RGB image");
    build_dim<5>(spec, width, height, rgb, parts, pool, out);
  } else {
    build_dim<2>(spec, width, height, rgb, parts, pool, out);
  }
}

template <int D>
void LatticeBuilder::build_dim(const FeatureSpec& spec, int width, int height, const uint8_t* rgb, int parts,
                               ThreadPool& pool, Lattice& out) {
  static_assert(D <= LatticeKey::kMaxCoordinates, "lattice keys hold up to 6 coordinates");
  constexpr int D1 = D + 1;
  const int n = width * height;
  out.d = D;
  out.n = n;
  out.alpha = math::lattice_alpha(D);
  out.offset.resize(static_cast<size_t>(n) * D1);
  out.barycentric.resize(static_cast<size_t>(n) * D1);
  simplex_key_.resize(n);
  simplex_rank_.resize(n);
  float scale[D];
  math::lattice_scale_factors(D, scale);

  // 1. Embed every pixel (parallel): its simplex (remainder-0 vertex and ranks) and barycentric weights.
  std::atomic<int> bad_pixel{-1};
  const FeatureTables tables(spec, width, height);
  pool.parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
    float f[D];
    int rem0[D1];
    int rank[D1];
    float bary[D1];
    int x = static_cast<int>(begin % width);
    int y = static_cast<int>(begin / width);
    for (int64_t i = begin; i < end; ++i, ++x) {
      if (x == width) {
        x = 0;
        ++y;
      }
      f[0] = tables.x[x];
      f[1] = tables.y[y];
      if constexpr (D == 5) {
        const uint8_t* px = rgb + i * 3;
        for (int c = 0; c < 3; ++c) f[2 + c] = tables.rgb[px[c]];
      }
      if (!math::lattice_embed<D>(f, scale, rem0, rank, bary)) {
        int expected = -1;
        bad_pixel.compare_exchange_strong(expected, static_cast<int>(i));
      }
      LatticeKey key;
      uint32_t packed = 0;
      for (int k = 0; k < D; ++k) key.set(k, rem0[k]);
      for (int k = 0; k < D1; ++k) packed |= static_cast<uint32_t>(rank[k]) << (3 * k);
      simplex_key_[i] = key;
      simplex_rank_[i] = packed;
      float* b = &out.barycentric[i * D1];
      for (int k = 0; k < D1; ++k) b[k] = bary[k];
    }
  });
  if (bad_pixel.load() >= 0) {
    const int i = bad_pixel.load();
    throw InvalidArgument("lattice features too large at pixel (" + std::to_string(i % width) + ", " +
                          std::to_string(i / width) + "): sxy " + std::to_string(spec.sxy) + " / srgb " +
                          std::to_string(spec.srgb) + " too small for a " + std::to_string(width) + "x" +
                          std::to_string(height) + " frame");
  }

  // 2. Number the vertices in order of first use by pixel index, in three steps: each chunk of pixels numbers its
  //    own vertices in a local table (parallel; a pixel in the same simplex as its left or upper neighbour reuses
  //    its vertices without hashing), the chunks' vertices are merged into the global table in chunk order (sequential, but over
  //    distinct vertices only), and the pixels' local indices are mapped to global ones (parallel). The numbering is
  //    the same as one sequential pass, whatever the number of chunks.
  const int chunks = std::max(1, std::min(pool.size() * 2, n / 4096 + 1));
  if (static_cast<int>(chunk_tables_.size()) < chunks) {
    chunk_tables_.resize(chunks);
    chunk_to_global_.resize(chunks);
  }
  auto chunk_begin = [&](int c) { return static_cast<int>(static_cast<int64_t>(n) * c / chunks); };
  pool.run(chunks, [&](int c) {
    LatticeHashTable& local = chunk_tables_[c];
    const int begin = chunk_begin(c);
    const int end = chunk_begin(c + 1);
    local.clear(static_cast<size_t>(end - begin) / 4 + 16);
    for (int i = begin; i < end; ++i) {
      int32_t* o = &out.offset[static_cast<size_t>(i) * D1];
      // A pixel in the same simplex as its left or upper neighbour (same chunk) takes its vertices without hashing;
      // they were numbered when first used, so the numbering does not change.
      int same = -1;
      if (i > begin && simplex_key_[i] == simplex_key_[i - 1] && simplex_rank_[i] == simplex_rank_[i - 1]) {
        same = i - 1;
      } else if (i - width >= begin && simplex_key_[i] == simplex_key_[i - width] &&
                 simplex_rank_[i] == simplex_rank_[i - width]) {
        same = i - width;
      }
      if (same >= 0) {
        const int32_t* from = &out.offset[static_cast<size_t>(same) * D1];
        for (int r = 0; r < D1; ++r) o[r] = from[r];
        continue;
      }
      // The vertices' slots are prefetched before any is searched: their cache misses overlap.
      const LatticeKey base = simplex_key_[i];
      const uint32_t packed = simplex_rank_[i];
      LatticeKey keys[D1];
      uint64_t hashes[D1];
      for (int r = 0; r < D1; ++r) {
        for (int k = 0; k < D; ++k) {
          const int rank_k = static_cast<int>((packed >> (3 * k)) & 7u);
          keys[r].set(k, math::lattice_vertex_coord(base.get(k), rank_k, r, D));
        }
        hashes[r] = LatticeHashTable::hash(keys[r]);
        local.prefetch(hashes[r]);
      }
      for (int r = 0; r < D1; ++r) o[r] = local.insert_hashed(keys[r], hashes[r]);
    }
  });
  size_t distinct = 0;
  for (int c = 0; c < chunks; ++c) distinct += chunk_tables_[c].size();
  table_.clear(distinct);
  for (int c = 0; c < chunks; ++c) {
    const LatticeHashTable& local = chunk_tables_[c];
    std::vector<int32_t>& map = chunk_to_global_[c];
    map.resize(local.size());
    for (size_t k = 0; k < local.size(); ++k) map[k] = table_.insert(local.key(k)) + 1;
  }
  pool.run(chunks, [&](int c) {
    const std::vector<int32_t>& map = chunk_to_global_[c];
    const size_t b = static_cast<size_t>(chunk_begin(c)) * D1;
    const size_t e = static_cast<size_t>(chunk_begin(c + 1)) * D1;
    for (size_t k = b; k < e; ++k) out.offset[k] = map[out.offset[k]];
  });
  const int m = static_cast<int>(table_.size());
  out.m = m;

  // 3. Blur neighbours of every lattice point along every direction (parallel, read-only lookups). The left step
  //    undoes the right one, so q = right(p) exactly when p = left(q): each point looks up its right neighbours only
  //    and is its right neighbour's left one, half the lookups. Each (direction, q) has one p, so no two threads
  //    write the same entry; the left entries no point claims stay 0 ("none").
  out.neighbours.resize(static_cast<size_t>(D1) * m * 2);
  pool.parallel_for(static_cast<int64_t>(D1) * m, 1 << 14, [&](int64_t begin, int64_t end) {
    for (int64_t k = begin; k < end; ++k) out.neighbours[k * 2] = 0;
  });
  //    The lookups go in batches: the keys of a few points' neighbours are hashed and their slots prefetched before
  //    any is searched, since nearly every lookup misses the cache.
  pool.parallel_for(m, 2048, [&](int64_t begin, int64_t end) {
    constexpr int kBatch = 8;
    LatticeKey keys[kBatch][D1];
    uint64_t hashes[kBatch][D1];
    for (int64_t first = begin; first < end; first += kBatch) {
      const int count = static_cast<int>(std::min<int64_t>(kBatch, end - first));
      for (int b = 0; b < count; ++b) {
        const LatticeKey& key = table_.key(first + b);
        for (int j = 0; j < D1; ++j) {
          LatticeKey right;
          for (int k = 0; k < D; ++k) {
            const int c = key.get(k);
            right.set(k, k == j ? c - D : c + 1);
          }
          keys[b][j] = right;
          hashes[b][j] = LatticeHashTable::hash(right);
          table_.prefetch(hashes[b][j]);
        }
      }
      for (int b = 0; b < count; ++b) {
        const int64_t p = first + b;
        for (int j = 0; j < D1; ++j) {
          int32_t* row = &out.neighbours[static_cast<size_t>(j) * m * 2];
          const int32_t q = table_.find_hashed(keys[b][j], hashes[b][j]);
          row[p * 2 + 1] = q + 1;
          if (q >= 0) row[static_cast<size_t>(q) * 2] = static_cast<int32_t>(p) + 1;
        }
      }
    }
  });

  // 4. Pixel partitions for the splat and the rows each touches.
  parts = std::max(1, std::min(parts, n));
  out.part_begin.resize(parts + 1);
  out.part_row_lo.assign(parts, 0);
  out.part_row_hi.assign(parts, 0);
  for (int p = 0; p <= parts; ++p) out.part_begin[p] = static_cast<int32_t>(static_cast<int64_t>(n) * p / parts);
  pool.run(parts, [&](int p) {
    int32_t lo = m + 1;
    int32_t hi = 0;
    const size_t b = static_cast<size_t>(out.part_begin[p]) * D1;
    const size_t e = static_cast<size_t>(out.part_begin[p + 1]) * D1;
    for (size_t k = b; k < e; ++k) {
      lo = std::min(lo, out.offset[k]);
      hi = std::max(hi, out.offset[k]);
    }
    out.part_row_lo[p] = lo;
    out.part_row_hi[p] = hi;
  });
}

template void LatticeBuilder::build_dim<2>(const FeatureSpec&, int, int, const uint8_t*, int, ThreadPool&, Lattice&);
template void LatticeBuilder::build_dim<5>(const FeatureSpec&, int, int, const uint8_t*, int, ThreadPool&, Lattice&);

}  // namespace segcrf
