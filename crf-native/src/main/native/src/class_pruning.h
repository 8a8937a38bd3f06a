// Class pruning: the mean field runs only on the classes that can matter in a frame, on either backend.
//
// A class takes part when its probability (the evidence softmax(-U), floored at 1e-5 as the unary is) reaches the
// threshold at some pixel, or when it labels some pixel of the previous frame's result. The others are left out: the
// backend gets a compact unary holding only the taking part classes, padded with zero-probability classes to a
// multiple of 8 (the CPU kernels' vector width, so the padding costs nothing there), and their Q, labels and the
// caller's Q are mapped back (classes left out have Q = 0). With 21 PASCAL classes and a frame holding three or four,
// the iterations, the warm start and the store work on 8 values a pixel instead of 24.
//
// Warm starts keep their previous state: while a stream stays warm, a class that starts to matter is appended to the
// compact layout (it takes a slot that was padding, whose previous probability was 0, the value a class under the
// threshold nearly has), so the layout of the previous frame stays valid. The layout is rebuilt, which makes the
// backend treat the frame as new (its previous state no longer matches), only when a cold start comes anyway, or when
// fewer padded slots have sufficed for 8 frames in a row (a departed class stops costing).
//
// Off (threshold 0) and for calls that want the KL divergence, the request goes to the backend as it is.
#ifndef SEGCRF_CLASS_PRUNING_H
#define SEGCRF_CLASS_PRUNING_H

#include <memory>
#include <vector>

#include "backend.h"
#include "big_buffer.h"
#include "kernels.h"
#include "logit_grid.h"
#include "thread_pool.h"

namespace segcrf {

class PruningBackend final : public Backend {
 public:
  explicit PruningBackend(std::unique_ptr<Backend> inner);
  std::string name() const override { return inner_->name(); }
  void set_params(const CrfParams& params) override { inner_->set_params(params); }
  void run(const FrameRequest& request, FrameTimings& timings) override;
  ThreadPool& pool() override { return inner_->pool(); }

  // 0 switches pruning off; else the probability a class must reach somewhere, in (0, 1].
  void set_threshold(float threshold) { threshold_ = threshold; }
  // Classes the last run computed (its padded compact count), the full count when it did not prune.
  int last_classes() const { return last_classes_; }

 private:
  // -U of pixels [begin, end) with all classes, padded to cpf, into out (the calling thread's buffer).
  void evidence(const FrameRequest& r, int cpf, int64_t begin, int64_t end, float* out);

  std::unique_ptr<Backend> inner_;
  const KernelTable& kernels_;
  float threshold_ = 0.0f;
  LogitUpsampler upsampler_;
  std::vector<int> layout_;     // compact slot -> class, for the classes taking part
  std::vector<uint8_t> present_;  // per class: labels some pixel of the last result
  int width_ = 0;
  int height_ = 0;
  int classes_ = 0;
  bool has_state_ = false;
  int smaller_frames_ = 0;      // consecutive frames that needed fewer padded slots than the layout has
  int last_classes_ = 0;
  BigVector<float> unary_;      // compact U, n * cpa
  BigVector<float> q_;          // compact Q, n * cpa
};

}  // namespace segcrf

#endif
