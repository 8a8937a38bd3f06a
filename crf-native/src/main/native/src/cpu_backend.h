// Mean-field inference on the CPU: multi-threaded, classes padded to 8 so the inner loops vectorise.
#ifndef SEGCRF_CPU_BACKEND_H
#define SEGCRF_CPU_BACKEND_H

#include <memory>
#include <vector>

#include "backend.h"
#include "kernels.h"
#include "logit_grid.h"
#include "warm_inputs.h"
#include "prepared_kernel.h"
#include "thread_pool.h"

namespace segcrf {

class CpuBackend final : public Backend {
 public:
  // `baseline` forces the x86-64-v2 kernels even where AVX2 is available (tests compare the two).
  CpuBackend(int threads, bool baseline);
  std::string name() const override;
  void set_params(const CrfParams& params) override { params_ = params; }
  void run(const FrameRequest& request, FrameTimings& timings) override;
  ThreadPool& pool() override { return pool_; }

 private:
  // One message pass is split in three: begin_splat zeroes each kernel's splat target, splat_targets gives a pixel
  // partition its targets (for splat_multi or the fused update), finish_filter adds the partitions and blurs, and
  // returns each kernel's blurred rows.
  void begin_splat(const PreparedKernel* const* kernels, int count, int cp);
  int splat_targets(const PreparedKernel* const* kernels, int count, int cp, int p, SplatTarget* targets);
  void finish_filter(const PreparedKernel* const* kernels, int count, int cp, const float** rows_out);

  struct Buffers {
    BigVector<float> rows[2];             // (m + 1) * cp each, row 0 stays zero; splat target and blur ping-pong
    int result = 1;                       // which holds the latest blurred rows
    int target = 0;                       // which the current splat writes
    std::vector<BigVector<float>> parts;  // private splat rows of partitions 1..
  };

  CrfParams params_;
  ThreadPool pool_;
  const KernelTable& kernels_;
  LatticeBuilder builder_;
  PreparedKernel gaussian_;
  PreparedKernel bilateral_;
  Buffers buffers_[2];
  BigVector<float> neg_u_;
  BigVector<float> prev_neg_u_;  // the previous frame's unary, when it started cold (prev_is_unary_)
  BigVector<float> p_cur_;       // this frame's evidence softmax(-U) (gated warm starts)
  BigVector<float> p_prev_;      // the previous frame's, for the gate; then this frame's unary with the temporal term
  bool prev_is_unary_ = true;    // what the previous frame left: its unary (cold, from-Q) or its p (gated warm)
  BigVector<float> temporal_w_;  // per pixel: weight of the temporal term
  BigVector<uint8_t> changed_;   // per pixel: where it is off (dilated)
  int prev_width_ = 0;
  int prev_height_ = 0;
  int prev_classes_ = 0;
  BigVector<float> q_;
  BigVector<uint8_t> fresh_;
  std::vector<uint8_t> dilation_tmp_;
  WarmInputs warm_inputs_;  // camera shift and 3x3 mean colours, this frame's and the previous one's
  LogitUpsampler upsampler_;  // ScoreKind::kLogitGrid: the grid to pixels, fused with the softmax
};

}  // namespace segcrf

#endif
