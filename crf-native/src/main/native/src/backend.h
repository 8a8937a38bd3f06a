// What a backend (CPU or CUDA) is asked to do for one frame, and the interface both implement.
#ifndef SEGCRF_BACKEND_H
#define SEGCRF_BACKEND_H

#include <cstdint>
#include <string>

#include "logit_grid.h"
#include "thread_pool.h"

namespace segcrf {

// Kernel parameters; a weight of 0 switches its kernel off.
struct CrfParams {
  float gaussian_sxy = 3.0f;
  float gaussian_weight = 3.0f;
  float bilateral_sxy = 80.0f;
  float bilateral_srgb = 13.0f;
  float bilateral_weight = 10.0f;
};

// What FrameRequest::scores holds (the Java ScoreKind, by ordinal).
enum class ScoreKind : int {
  kUnary = 0,          // U = -log p
  kProbabilities = 1,  // p; -U = log(max(p, 1e-5))
  kLogits = 2,         // model logits l; -U = log(max(softmax(l), 1e-5))
  kLogitGrid = 3,      // the model's low-resolution logits grid (FrameRequest::grid), upsampled here (logit_grid.h),
                       // then as kLogits
};

enum class Start : int {
  kCold = 0,        // Q0 = softmax(-U)
  kFromQ = 1,       // Q0 = the caller's q, as given
  kGatedWarm = 2,   // Q0 = the caller's q where the evidence did not change since the previous run on this backend,
                    // softmax(-U) where it did (crf_math.h warm_is_fresh / warm_mix)
};

// All pointers are the caller's memory, already checked against the sizes below. Layout is pixel-major:
// element (y * width + x) * classes + c.
struct FrameRequest {
  int width = 0;
  int height = 0;
  int classes = 0;
  const uint8_t* rgb = nullptr;       // width * height * 3
  const float* scores = nullptr;      // as `kind` says: width * height * classes, or (kLogitGrid) the grid's
                                      // grid_width * grid_height * classes
  ScoreKind kind = ScoreKind::kUnary;
  GridGeometry grid;                  // kLogitGrid only
  float* q = nullptr;                 // in (kFromQ, kGatedWarm) and out; may be null for kCold
  Start start = Start::kCold;
  float gate = 0.5f;                  // kGatedWarm: distance above which the new evidence is taken as is
  float keep = 0.5f;                  // kGatedWarm: weight of the previous Q elsewhere
  int radius = 0;                     // kGatedWarm: fresh pixels are dilated by this many pixels
  float temporal_weight = 0.0f;       // kGatedWarm: weight of the temporal term (crf_math.h temporal_weight), 0 = off
  float temporal_srgb = 10.0f;        // kGatedWarm: colour change (RGB units) at which that term falls to exp(-1/2)
  int motion_range = 0;               // kGatedWarm: largest camera shift (pixels) followed between frames (motion.h);
                                      // 0 = the previous state is read at the same coordinates
  int iterations = 0;
  uint8_t* labels = nullptr;          // optional argmax output, width * height
  double* kl = nullptr;               // optional, iterations + 1 values (KL of Q0 .. Q_iterations)
};

struct FrameTimings {
  double lattice_ms = 0;     // both lattices and their normalisation
  double init_ms = 0;        // unary and Q0
  double iterations_ms = 0;  // the mean-field iterations (KL evaluation excluded)
  double total_ms = 0;
  int shift_x = 0;           // the camera shift the warm start followed (motion.h Shift), 0 without one
  int shift_y = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;
  virtual void set_params(const CrfParams& params) = 0;
  virtual void run(const FrameRequest& request, FrameTimings& timings) = 0;
  // The backend's CPU threads (host-side passes of a wrapper such as class pruning use them too).
  virtual ThreadPool& pool() = 0;
};

}  // namespace segcrf

#endif
