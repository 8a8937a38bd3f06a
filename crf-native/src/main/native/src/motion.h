// Global camera motion between consecutive frames, for the warm start: the integer translation that best aligns the
// previous frame with this one (a pan or tilt), so that the warm start compares and carries over each pixel's
// previous state from where its content was, not from the same coordinates.
#ifndef SEGCRF_MOTION_H
#define SEGCRF_MOTION_H

#include <cstdint>
#include <vector>

#include "thread_pool.h"

namespace segcrf {

// The content at (x, y) in this frame was at (x - dx, y - dy) in the previous one.
struct Shift {
  int dx = 0;
  int dy = 0;
};

// Coarse-to-fine search over a luma pyramid: exhaustive at the coarsest level (within the range scaled down), then
// +-1 pixel at each finer level, scored by the mean absolute luma difference over the two frames' overlap. A shift
// is reported only when it beats the zero shift at full resolution by kMinGain: a still camera over a flat or noisy
// scene stays at zero instead of wandering by a pixel.
class GlobalMotion {
 public:
  // Relative cost reduction against the zero shift below which the shift is taken to be zero.
  static constexpr float kMinGain = 0.05f;

  // Keeps `rgb` (width * height * 3) as the next call's previous frame. When `estimate` is set and the previous frame
  // has the same size, returns the shift from it to `rgb`, each component within +-range (range is limited to a
  // quarter of the smaller side, so the overlap keeps at least half the frame); else, and for range 0, zero. With
  // range 0 nothing is kept, and the next call has no previous frame.
  Shift next(const uint8_t* rgb, int width, int height, int range, bool estimate, ThreadPool& pool);

 private:
  struct Level {
    int width = 0;
    int height = 0;
    std::vector<float> luma;
  };
  // Mean |cur - prev shifted by (dx, dy)| over the overlap of level l.
  float cost(int level, int dx, int dy) const;
  // The candidate of [dx0 - r, dx0 + r] x [dy0 - r, dy0 + r] (within +-limit) with the lowest cost at level l; ties
  // go to the first in row-major order.
  Shift search(int level, Shift centre, int r, int limit, ThreadPool& pool, float* best_cost) const;

  std::vector<Level> cur_;
  std::vector<Level> prev_;
};

}  // namespace segcrf

#endif
