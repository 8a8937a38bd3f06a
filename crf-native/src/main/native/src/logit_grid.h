// The model's low-resolution logits grid, upsampled bilinearly to the CRF's pixels inside the CRF (no full-resolution
// score map ever exists: a 768x432x21 frame's would be 28 MB per frame, written by the caller and read back here).
//
// Geometry (DeepLab's, as the Java LogitUpsampler documents it): output pixel x maps to the model-input image with
// pixel-centre alignment, x' = clamp((x + 0.5) * input / output - 0.5, 0, input - 1), and the image to the grid with
// align-corners upsampling, g = min(x' / stride, grid - 1). The value is the bilinear blend of the grid's two rows
// either side, then of its two columns. Every float operation is the Java one in the same order (this file is built
// without FMA contraction), so the logits equal the Java upsampler's bit for bit.
#ifndef SEGCRF_LOGIT_GRID_H
#define SEGCRF_LOGIT_GRID_H

#include <cstdint>
#include <string>
#include <vector>

namespace segcrf {

struct GridGeometry {
  int grid_width = 0;    // cells per row of the grid
  int grid_height = 0;
  int input_width = 0;   // the image the model saw (the frame resized), which the grid covers at `stride`
  int input_height = 0;
  int stride = 0;        // model-input pixels per grid step
  bool operator==(const GridGeometry& o) const {
    return grid_width == o.grid_width && grid_height == o.grid_height && input_width == o.input_width &&
           input_height == o.input_height && stride == o.stride;
  }
};

// Empty when the geometry is usable, else why not (for the JNI layer's IllegalArgumentException).
std::string grid_geometry_problem(const GridGeometry& g);

class LogitUpsampler {
 public:
  // Tables for an output of width x height pixels; recomputed only when something changed.
  void prepare(const GridGeometry& g, int classes, int width, int height);
  // Logits of pixels [begin, end) (row-major over the output) into out, `classes` floats per pixel. `scratch` is the
  // calling thread's: blended rows are computed per output row.
  void logits(const float* grid, int64_t begin, int64_t end, float* out, std::vector<float>& scratch) const;
  // The largest number of pixels one call needs to handle at once to stay inside one output row.
  int width() const { return width_; }

 private:
  GridGeometry g_;
  int classes_ = 0;
  int width_ = 0;
  int height_ = 0;
  int used_ = 0;                  // grid floats per row actually read ((max column + 1) * classes)
  std::vector<int32_t> col_a_;    // per output column: grid column * classes
  std::vector<float> col_w_;      // weight of the next grid column
  std::vector<int32_t> row_a_;    // per output row: grid row * grid_width * classes
  std::vector<int32_t> row_b_;
  std::vector<float> row_w_;
};

}  // namespace segcrf

#endif
