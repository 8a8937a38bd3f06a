// What the warm start takes from a frame's pixels, computed on the host for either backend: the camera shift since
// the previous frame (motion.h) and, while the temporal term is on, the frame's 3x3 mean colours (colour_smooth.h),
// with the previous frame's kept beside them.
#ifndef SEGCRF_WARM_INPUTS_H
#define SEGCRF_WARM_INPUTS_H

#include <cstdint>

#include "backend.h"
#include "big_buffer.h"
#include "motion.h"
#include "thread_pool.h"

namespace segcrf {

class WarmInputs {
 public:
  // Moves the last frame's colours to prev_smooth() and prepares `r`'s. `estimate`: the backend warm-starts this
  // frame from a previous one of the same shape, so the shift is wanted (else zero). Records the shift in `timings`.
  void prepare(const FrameRequest& r, bool estimate, ThreadPool& pool, FrameTimings& timings);

  Shift shift() const { return shift_; }
  // This frame's 3x3 mean colours, or null (no rgb, or the temporal term off).
  const uint8_t* smooth() const { return has_smooth_ ? smooth_.data() : nullptr; }
  // The previous frame's, or null when it kept none.
  const uint8_t* prev_smooth() const { return has_prev_smooth_ ? prev_smooth_.data() : nullptr; }

 private:
  GlobalMotion motion_;
  Shift shift_;
  BigVector<uint8_t> smooth_;
  BigVector<uint8_t> prev_smooth_;
  bool has_smooth_ = false;
  bool has_prev_smooth_ = false;
};

}  // namespace segcrf

#endif
