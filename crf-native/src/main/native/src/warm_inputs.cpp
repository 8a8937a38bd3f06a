#include "warm_inputs.h"

#include <utility>

#include "colour_smooth.h"

namespace segcrf {

void WarmInputs::prepare(const FrameRequest& r, bool estimate, ThreadPool& pool, FrameTimings& timings) {
  std::swap(smooth_, prev_smooth_);
  has_prev_smooth_ = has_smooth_;
  has_smooth_ = r.rgb != nullptr && r.temporal_weight > 0.0f;
  if (has_smooth_) {
    smooth_.resize(static_cast<size_t>(r.width) * r.height * 3);
    box_mean3(r.rgb, r.width, r.height, smooth_.data(), pool);
  }
  shift_ = r.rgb == nullptr ? Shift{} : motion_.next(r.rgb, r.width, r.height, r.motion_range, estimate, pool);
  timings.shift_x = shift_.dx;
  timings.shift_y = shift_.dy;
}

}  // namespace segcrf
