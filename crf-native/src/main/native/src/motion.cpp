#include "motion.h"

#include <algorithm>
#include <cmath>

namespace segcrf {

namespace {

// Levels stop shrinking when the smaller side would fall below this many pixels.
constexpr int kMinLevelSide = 16;
// The coarsest level is chosen so that the range there is at most this many pixels.
constexpr int kCoarseRange = 4;

}  // namespace

float GlobalMotion::cost(int level, int dx, int dy) const {
  const Level& a = cur_[level];
  const Level& b = prev_[level];
  const int w = a.width;
  const int x0 = std::max(0, dx), x1 = std::min(w, w + dx);
  const int y0 = std::max(0, dy), y1 = std::min(a.height, a.height + dy);
  if (x1 <= x0 || y1 <= y0) return INFINITY;
  double sum = 0.0;
  for (int y = y0; y < y1; ++y) {
    const float* pa = a.luma.data() + static_cast<size_t>(y) * w;
    const float* pb = b.luma.data() + static_cast<size_t>(y - dy) * w;
    float row = 0.0f;
    for (int x = x0; x < x1; ++x) row += std::fabs(pa[x] - pb[x - dx]);
    sum += row;
  }
  return static_cast<float>(sum / (static_cast<double>(x1 - x0) * (y1 - y0)));
}

Shift GlobalMotion::search(int level, Shift centre, int r, int limit, ThreadPool& pool, float* best_cost) const {
  const int side = 2 * r + 1;
  std::vector<float> costs(static_cast<size_t>(side) * side, INFINITY);
  pool.run(side * side, [&](int k) {
    const int dx = centre.dx + k % side - r;
    const int dy = centre.dy + k / side - r;
    if (std::abs(dx) <= limit && std::abs(dy) <= limit) costs[k] = cost(level, dx, dy);
  });
  const int best = static_cast<int>(std::min_element(costs.begin(), costs.end()) - costs.begin());
  *best_cost = costs[best];
  return Shift{centre.dx + best % side - r, centre.dy + best / side - r};
}

Shift GlobalMotion::next(const uint8_t* rgb, int width, int height, int range, bool estimate, ThreadPool& pool) {
  if (range <= 0) {
    cur_.clear();
    prev_.clear();
    return Shift{};
  }
  range = std::min(range, std::min(width, height) / 4);
  // Pyramid: full-resolution luma (BT.601 weights), then 2x2 box averages.
  int levels = 1;
  while ((range >> (levels - 1)) > kCoarseRange && std::min(width, height) >> levels >= kMinLevelSide) ++levels;
  std::swap(cur_, prev_);
  cur_.resize(levels);
  for (int l = 0; l < levels; ++l) {
    Level& lv = cur_[l];
    lv.width = l == 0 ? width : cur_[l - 1].width / 2;
    lv.height = l == 0 ? height : cur_[l - 1].height / 2;
    lv.luma.resize(static_cast<size_t>(lv.width) * lv.height);
    pool.parallel_for(lv.height, 16, [&](int64_t y0, int64_t y1) {
      for (int64_t y = y0; y < y1; ++y) {
        float* out = lv.luma.data() + y * lv.width;
        if (l == 0) {
          const uint8_t* in = rgb + y * width * 3;
          for (int x = 0; x < width; ++x)
            out[x] = 0.299f * in[3 * x] + 0.587f * in[3 * x + 1] + 0.114f * in[3 * x + 2];
        } else {
          const Level& up = cur_[l - 1];
          const float* r0 = up.luma.data() + 2 * y * up.width;
          const float* r1 = r0 + up.width;
          for (int x = 0; x < lv.width; ++x)
            out[x] = 0.25f * (r0[2 * x] + r0[2 * x + 1] + r1[2 * x] + r1[2 * x + 1]);
        }
      }
    });
  }
  const bool comparable = estimate && prev_.size() == cur_.size() && prev_[0].width == width &&
                          prev_[0].height == height;
  if (!comparable) return Shift{};
  // Coarsest level: every shift within the scaled range; then each finer level refines the doubled estimate by +-1.
  const int top = levels - 1;
  float c = 0.0f;
  Shift s = search(top, Shift{}, (range + (1 << top) - 1) >> top, (range + (1 << top) - 1) >> top, pool, &c);
  for (int l = top - 1; l >= 0; --l) s = search(l, Shift{2 * s.dx, 2 * s.dy}, 1, range >> l, pool, &c);
  if (s.dx == 0 && s.dy == 0) return s;
  const float still = cost(0, 0, 0);
  return c < (1.0f - kMinGain) * still ? s : Shift{};
}

}  // namespace segcrf
