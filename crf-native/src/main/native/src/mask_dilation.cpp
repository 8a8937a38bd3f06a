#include "mask_dilation.h"

#include <algorithm>

namespace segcrf {

void dilate_mask(uint8_t* mask, int width, int height, int radius, std::vector<uint8_t>& tmp, ThreadPool& pool) {
  if (radius <= 0) return;
  tmp.resize(static_cast<size_t>(width) * height);
  uint8_t* t = tmp.data();
  // Rows: t[x] = any mask in [x - r, x + r], with a running count.
  pool.parallel_for(height, 16, [&](int64_t y0, int64_t y1) {
    for (int64_t y = y0; y < y1; ++y) {
      const uint8_t* in = mask + y * width;
      uint8_t* out = t + y * width;
      int count = 0;
      for (int x = 0; x < std::min(radius, width); ++x) count += in[x];
      for (int x = 0; x < width; ++x) {
        if (x + radius < width) count += in[x + radius];
        if (x - radius - 1 >= 0) count -= in[x - radius - 1];
        out[x] = count > 0 ? 1 : 0;
      }
    }
  });
  // Columns, in blocks of columns so each task walks rows with a count per column.
  pool.parallel_for(width, 64, [&](int64_t x0, int64_t x1) {
    std::vector<int> count(static_cast<size_t>(x1 - x0), 0);
    for (int y = 0; y < std::min(radius, height); ++y)
      for (int64_t x = x0; x < x1; ++x) count[x - x0] += t[static_cast<int64_t>(y) * width + x];
    for (int y = 0; y < height; ++y) {
      const int add = y + radius;
      const int drop = y - radius - 1;
      for (int64_t x = x0; x < x1; ++x) {
        int& c = count[x - x0];
        if (add < height) c += t[static_cast<int64_t>(add) * width + x];
        if (drop >= 0) c -= t[static_cast<int64_t>(drop) * width + x];
        mask[static_cast<int64_t>(y) * width + x] = c > 0 ? 1 : 0;
      }
    }
  });
}

}  // namespace segcrf
