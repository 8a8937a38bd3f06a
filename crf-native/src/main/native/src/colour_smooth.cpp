#include "colour_smooth.h"

#include <algorithm>
#include <vector>

namespace segcrf {

void box_mean3(const uint8_t* rgb, int width, int height, uint8_t* out, ThreadPool& pool) {
  const int64_t stride = static_cast<int64_t>(width) * 3;
  pool.parallel_for(height, 8, [&](int64_t y0, int64_t y1) {
    std::vector<uint16_t> column(static_cast<size_t>(stride) + 6);  // vertical sums, one pixel of padding each side
    uint16_t* v = column.data() + 3;
    for (int64_t y = y0; y < y1; ++y) {
      const uint8_t* a = rgb + std::clamp<int64_t>(y - 1, 0, height - 1) * stride;
      const uint8_t* b = rgb + y * stride;
      const uint8_t* c = rgb + std::clamp<int64_t>(y + 1, 0, height - 1) * stride;
      for (int64_t k = 0; k < stride; ++k) v[k] = static_cast<uint16_t>(a[k] + b[k] + c[k]);
      for (int k = 0; k < 3; ++k) {  // edges replicated
        v[k - 3] = v[k];
        v[stride + k] = v[stride - 3 + k];
      }
      uint8_t* o = out + y * stride;
      for (int64_t k = 0; k < stride; ++k) o[k] = static_cast<uint8_t>((v[k - 3] + v[k] + v[k + 3] + 4) / 9);
    }
  });
}

}  // namespace segcrf
