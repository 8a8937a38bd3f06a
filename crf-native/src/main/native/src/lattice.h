// The permutohedral lattice of one kernel over one frame (Adams, Baek & Davis 2010): for every pixel the d+1
// vertices of its enclosing simplex and their barycentric weights, and for every lattice point its two neighbours
// along each of the d+1 blur directions.
//
// Lattice point m is stored at row m + 1 of the value buffers; row 0 is a zero row that stands for "no neighbour".
#ifndef SEGCRF_LATTICE_H
#define SEGCRF_LATTICE_H

#include <cstdint>
#include <vector>

#include "big_buffer.h"
#include "hash_table.h"
#include "thread_pool.h"

namespace segcrf {

// Which features a kernel uses: (x, y) / sxy for the Gaussian kernel, (x/sxy, y/sxy, r/srgb, g/srgb, b/srgb) for the
// bilateral one. x is the column, y the row.
struct FeatureSpec {
  bool bilateral = false;
  float sxy = 1.0f;
  float srgb = 1.0f;
  int dim() const { return bilateral ? 5 : 2; }
};

struct Lattice {
  int d = 0;             // feature dimension
  int n = 0;             // pixels
  int m = 0;             // lattice points
  float alpha = 0.0f;    // 1 / (1 + 2^-d)
  BigVector<int32_t> offset;     // n * (d+1) rows (lattice index + 1) of each pixel's simplex vertices
  BigVector<float> barycentric;  // n * (d+1) weights of those vertices
  BigVector<int32_t> neighbours; // (d+1) * m * 2 rows: for direction j and point p, [left, right] (0 = absent)
  // Contiguous pixel partitions for a parallel splat and the range of rows each touches.
  std::vector<int32_t> part_begin;  // parts + 1 pixel indices
  std::vector<int32_t> part_row_lo; // smallest row touched by each part
  std::vector<int32_t> part_row_hi; // largest row touched by each part

  int parts() const { return static_cast<int>(part_row_lo.size()); }
};

// Builds lattices, reusing its scratch memory between frames.
class LatticeBuilder {
 public:
  // Embeds every pixel of a width x height frame (rgb may be null for the Gaussian kernel) and splits the pixels
  // into `parts` contiguous partitions. Throws InvalidArgument when the features do not fit the lattice's keys.
  void build(const FeatureSpec& spec, int width, int height, const uint8_t* rgb, int parts, ThreadPool& pool,
             Lattice& out);

 private:
  template <int D>
  void build_dim(const FeatureSpec& spec, int width, int height, const uint8_t* rgb, int parts, ThreadPool& pool,
                 Lattice& out);

  LatticeHashTable table_;
  std::vector<LatticeHashTable> chunk_tables_;        // per pixel chunk: its own vertices, numbered locally
  std::vector<std::vector<int32_t>> chunk_to_global_; // per chunk: local vertex -> global vertex
  BigVector<LatticeKey> simplex_key_;   // per pixel: remainder-0 vertex
  BigVector<uint32_t> simplex_rank_;    // per pixel: ranks packed 3 bits each
};

}  // namespace segcrf

#endif
