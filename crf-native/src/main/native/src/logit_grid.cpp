#include "logit_grid.h"

#include <algorithm>
#include <cmath>

namespace segcrf {

namespace {

// The grid indices either side of each output sample and the weight of the far one; returns the largest index.
int samples(int input, int output, int grid, int stride, int32_t* a, int32_t* b, float* weight) {
  const double scale = static_cast<double>(input) / output;
  int max = 0;
  for (int o = 0; o < output; ++o) {
    const double x = std::min(std::max((o + 0.5) * scale - 0.5, 0.0), static_cast<double>(input - 1));
    const double g = std::min(x / stride, static_cast<double>(grid - 1));
    const int g0 = static_cast<int>(std::floor(g));
    const int g1 = std::min(g0 + 1, grid - 1);
    a[o] = g0;
    b[o] = g1;
    weight[o] = g1 == g0 ? 0.0f : static_cast<float>(g - g0);
    max = std::max(max, g1);
  }
  return max;
}

}  // namespace

std::string grid_geometry_problem(const GridGeometry& g) {
  if (g.grid_width < 1 || g.grid_height < 1 || g.input_width < 1 || g.input_height < 1 || g.stride < 1)
    return "grid geometry must be positive: grid " + std::to_string(g.grid_width) + "x" +
           std::to_string(g.grid_height) + ", input " + std::to_string(g.input_width) + "x" +
           std::to_string(g.input_height) + ", stride " + std::to_string(g.stride);
  if (g.grid_width > 65536 || g.grid_height > 65536 || g.input_width > 65536 || g.input_height > 65536 ||
      g.stride > 65536)
    return "grid geometry beyond 65536: grid " + std::to_string(g.grid_width) + "x" + std::to_string(g.grid_height) +
           ", input " + std::to_string(g.input_width) + "x" + std::to_string(g.input_height) + ", stride " +
           std::to_string(g.stride);
  return std::string();
}

void LogitUpsampler::prepare(const GridGeometry& g, int classes, int width, int height) {
  if (g == g_ && classes == classes_ && width == width_ && height == height_) return;
  g_ = g;
  classes_ = classes;
  width_ = width;
  height_ = height;
  col_a_.assign(width, 0);
  col_w_.assign(width, 0.0f);
  std::vector<int32_t> col_b(width);
  row_a_.assign(height, 0);
  row_b_.assign(height, 0);
  row_w_.assign(height, 0.0f);
  const int max_col = samples(g.input_width, width, g.grid_width, g.stride, col_a_.data(), col_b.data(), col_w_.data());
  samples(g.input_height, height, g.grid_height, g.stride, row_a_.data(), row_b_.data(), row_w_.data());
  const int32_t row_floats = g.grid_width * classes;
  for (auto& v : col_a_) v *= classes;
  for (int i = 0; i < height; ++i) {
    row_a_[i] *= row_floats;
    row_b_[i] *= row_floats;
  }
  used_ = (max_col + 1) * classes;
}

void LogitUpsampler::logits(const float* grid, int64_t begin, int64_t end, float* out,
                            std::vector<float>& scratch) const {
  const int c = classes_;
  if (scratch.size() < static_cast<size_t>(2 * used_)) scratch.resize(static_cast<size_t>(2 * used_));
  float* blended = scratch.data();
  float* step = blended + used_;
  int64_t i = begin;
  while (i < end) {
    const int y = static_cast<int>(i / width_);
    const int x0 = static_cast<int>(i - static_cast<int64_t>(y) * width_);
    const int x1 = static_cast<int>(std::min<int64_t>(end - static_cast<int64_t>(y) * width_, width_));
    // Vertical blend of the two grid rows, and the step from each grid column to the next (the last used column has
    // no right neighbour: its samples have weight 0).
    const float* ra = grid + row_a_[y];
    const float* rb = grid + row_b_[y];
    const float wb = row_w_[y];
    const float wa = 1.0f - wb;
    for (int k = 0; k < used_; ++k) blended[k] = wa * ra[k] + wb * rb[k];
    for (int k = 0; k < used_ - c; ++k) step[k] = blended[k + c] - blended[k];
    for (int k = used_ - c; k < used_; ++k) step[k] = 0.0f;
    for (int x = x0; x < x1; ++x) {
      const float* bl = blended + col_a_[x];
      const float* st = step + col_a_[x];
      const float w = col_w_[x];
      float* o = out + (static_cast<int64_t>(y) * width_ + x - begin) * c;
      for (int k = 0; k < c; ++k) o[k] = bl[k] + w * st[k];
    }
    i = static_cast<int64_t>(y) * width_ + x1;
  }
}

}  // namespace segcrf
