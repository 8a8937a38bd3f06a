#include "prepared_kernel.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace segcrf {

bool PreparedKernel::prepare(const FeatureSpec& spec, float weight, int width, int height, const uint8_t* rgb,
                             int parts, ThreadPool& pool, LatticeBuilder& builder, const KernelTable& kernels) {
  const size_t bytes = static_cast<size_t>(width) * height * 3;
  const bool same = version_ > 0 && spec.bilateral == spec_.bilateral && spec.sxy == spec_.sxy &&
                    spec.srgb == spec_.srgb && weight == weight_ && width == width_ && height == height_ &&
                    parts == parts_ &&
                    (!spec.bilateral || (rgb_.size() == bytes && std::memcmp(rgb_.data(), rgb, bytes) == 0));
  if (same) return false;
  rgb_.resize(0);  // a build that throws leaves nothing to match
  builder.build(spec, width, height, rgb, parts, pool, lattice_);
  if (spec.bilateral) {
    rgb_.resize(bytes);
    std::memcpy(rgb_.data(), rgb, bytes);
  }
  spec_ = spec;
  weight_ = weight;
  width_ = width;
  height_ = height;
  parts_ = parts;
  normalise(weight, pool, kernels);
  ++version_;
  return true;
}

void PreparedKernel::normalise(float weight, ThreadPool& pool, const KernelTable& kernels) {
  const Lattice& lat = lattice_;
  const int d1 = lat.d + 1;
  const int64_t n = lat.n;
  const int64_t rows = static_cast<int64_t>(lat.m) + 1;
  // K(1): splat ones with the barycentric weights (one channel), blur, slice. The splat runs on the lattice's pixel
  // partitions: partition 0 into the rows, the others into private rows added in partition order afterwards (the
  // same sums for a given thread count, whoever runs which partition).
  scratch_.assign(static_cast<size_t>(rows) * 2, 0.0f);
  float* a = scratch_.data();
  float* b = a + rows;
  const int parts = lat.parts();
  if (static_cast<int>(part_rows_.size()) < parts) part_rows_.resize(parts);
  pool.run(parts, [&](int p) {
    const int32_t lo = lat.part_row_lo[p];
    const int32_t hi = lat.part_row_hi[p];
    float* dst = a;
    int32_t base = 0;
    if (p > 0) {
      if (hi < lo) return;
      part_rows_[p].assign(static_cast<size_t>(hi - lo + 1), 0.0f);
      dst = part_rows_[p].data();
      base = lo;
    }
    const int32_t* o = lat.offset.data();
    const float* w = lat.barycentric.data();
    for (int64_t k = static_cast<int64_t>(lat.part_begin[p]) * d1; k < static_cast<int64_t>(lat.part_begin[p + 1]) * d1;
         ++k)
      dst[o[k] - base] += w[k];
  });
  for (int p = 1; p < parts; ++p) {
    const int32_t lo = lat.part_row_lo[p];
    const int32_t hi = lat.part_row_hi[p];
    if (hi >= lo) kernels.accumulate(a + lo, part_rows_[p].data(), hi - lo + 1);
  }
  for (int j = 0; j < d1; ++j) {
    const int32_t* nb = lat.neighbours.data() + static_cast<size_t>(j) * lat.m * 2;
    pool.parallel_for(lat.m, 4096, [&](int64_t begin, int64_t end) { kernels.blur(1, a, b, nb, begin, end); });
    std::swap(a, b);
  }
  splat_w_.resize(static_cast<size_t>(n) * d1);
  slice_w_.resize(static_cast<size_t>(n) * d1);
  const float alpha = lat.alpha;
  pool.parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const int32_t* o = &lat.offset[i * d1];
      const float* w = &lat.barycentric[i * d1];
      float k1 = 0.0f;
      for (int j = 0; j < d1; ++j) k1 += w[j] * a[o[j]] * alpha;
      const float norm = static_cast<float>(1.0 / std::sqrt(static_cast<double>(k1) + 1e-20));
      for (int j = 0; j < d1; ++j) {
        splat_w_[i * d1 + j] = w[j] * norm;
        slice_w_[i * d1 + j] = w[j] * alpha * norm * weight;
      }
    }
  });
}

}  // namespace segcrf
