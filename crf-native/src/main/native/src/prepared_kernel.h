// One CRF kernel made ready for a frame: its lattice plus the per-pixel splat and slice weights with the symmetric
// normalisation n_i = 1 / sqrt(K(1)_i + 1e-20) and the kernel weight folded in. Shared by the CPU and CUDA backends
// (the CUDA backend uploads the arrays).
#ifndef SEGCRF_PREPARED_KERNEL_H
#define SEGCRF_PREPARED_KERNEL_H

#include <vector>

#include "kernels.h"
#include "lattice.h"
#include "thread_pool.h"

namespace segcrf {

class PreparedKernel {
 public:
  // Rebuilds unless the same kernel was prepared for the same frame size and, for a bilateral kernel, the same pixels
  // (a still camera's repeated frames, a paused or duplicated stream: compared byte for byte, about 0.1 ms at
  // 768x432, against 20-30 ms for a bilateral lattice). Returns true when it rebuilt.
  bool prepare(const FeatureSpec& spec, float weight, int width, int height, const uint8_t* rgb, int parts,
               ThreadPool& pool, LatticeBuilder& builder, const KernelTable& kernels);

  const Lattice& lattice() const { return lattice_; }
  const BigVector<float>& splat_weights() const { return splat_w_; }
  const BigVector<float>& slice_weights() const { return slice_w_; }
  // Incremented on every rebuild, so that a device copy knows when to upload again.
  uint64_t version() const { return version_; }

 private:
  void normalise(float weight, ThreadPool& pool, const KernelTable& kernels);

  FeatureSpec spec_;
  float weight_ = -1.0f;
  int width_ = 0;
  int height_ = 0;
  int parts_ = 0;
  uint64_t version_ = 0;
  Lattice lattice_;
  BigVector<float> splat_w_;
  BigVector<float> slice_w_;
  BigVector<float> scratch_;
  BigVector<uint8_t> rgb_;  // bilateral: the pixels the lattice was built on
  std::vector<std::vector<float>> part_rows_;  // K(1) splat: private rows of pixel partitions 1..
};

}  // namespace segcrf

#endif
