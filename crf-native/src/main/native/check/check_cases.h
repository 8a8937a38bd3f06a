// The cases crf_check runs on each backend: the reference fixtures (cold, reference kernels), a short synthetic
// sequence (cold, then warm-started frame after frame: camera shifts, the geese appearing and leaving) and any image
// the user gives.
#ifndef SEGCRF_CHECK_CASES_H
#define SEGCRF_CHECK_CASES_H

#include <cstdint>
#include <string>
#include <vector>

#include "backend.h"

namespace segcrf::check {

struct Case {
  std::string name;
  int width = 0;
  int height = 0;
  int classes = 0;
  std::vector<uint8_t> rgb;
  std::vector<float> scores;
  ScoreKind kind = ScoreKind::kUnary;
  CrfParams params;
  // kCold, or kGatedWarm: warm-started from the Q this backend computed for the case before (the previous frame),
  // with the pipeline's default gate (WarmGate.DEFAULT).
  Start start = Start::kCold;
  int iterations = 5;

  // The reference's outputs (fixture cases); empty when the fixtures do not have them.
  std::vector<float> ref_q;
  std::vector<uint8_t> ref_labels;
  std::vector<double> ref_kl;

  // Sequence frames: what the frame shows, checked on the CPU so that the sequence is known to exercise what it
  // claims. annotation: pydensecrf encoding (0 unknown, k = class k-1).
  bool in_sequence = false;
  std::vector<uint8_t> annotation;
  bool geese = false;
  int shift_x = 0;  // the true camera shift from the frame before (motion.h convention)
  int shift_y = 0;

  int pixels() const { return width * height; }
};

// What one backend produced for a case. timing: the checked run's, or for cold cases the median of the timing runs.
struct Outcome {
  std::vector<float> q;
  std::vector<uint8_t> labels;
  std::vector<double> kl;
  FrameTimings timing;
  int timing_runs = 1;
};

// The fixture cases (reads `dir`, the fixtures folder; throws InputError naming a missing or bad file).
std::vector<Case> fixture_cases(const std::string& dir);
// The synthetic sequence from the fixture photo: 280x210 windows of im1_320x240 moving right and down, back left,
// then still; the geese absent, appearing, leaving and appearing again; pipeline kernels, logits as the pipeline
// passes them, frame 0 cold (5 iterations), the others warm (1 iteration).
std::vector<Case> sequence_cases(const std::string& dir);
// A user's image and [C][H][W] probabilities: cold (5 iterations, pipeline kernels), then warm-started on itself.
std::vector<Case> user_cases(const std::string& ppm, const std::string& prob);

// Runs every case in order on `backend` (a warm case starts from the Q of the case before). Cold cases are then run
// `repeats` more times without KL to time them. Throws what the backend throws.
std::vector<Outcome> run_cases(Backend& backend, const std::vector<Case>& cases, int repeats);

// Empty when a sequence frame's CPU outcome shows what the frame is built to show, else what is wrong.
std::string sequence_sanity(const Case& c, const Outcome& cpu);

}  // namespace segcrf::check

#endif
