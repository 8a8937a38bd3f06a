#include "check_cases.h"

#include <algorithm>
#include <cstdio>

#include "check_inputs.h"

namespace segcrf::check {

namespace {

CrfParams reference_params() { return CrfParams{3.0f, 3.0f, 80.0f, 13.0f, 10.0f}; }
// CrfParams.pipelineDefault() of the Java API.
CrfParams pipeline_params() { return CrfParams{3.0f, 3.0f, 50.0f, 5.0f, 4.0f}; }

std::string path_in(const std::string& dir, const std::string& file) { return dir + "/" + file; }

// The sequence's window origins: right and down, then back left, then still (as the Java CameraMotionTest).
constexpr int kPath[][2] = {{0, 0}, {4, 2}, {8, 4}, {13, 6}, {10, 9}, {6, 12}, {6, 12}};
constexpr bool kGeesePresent[] = {false, false, true, true, false, false, true};
constexpr int kFrames = 7;
constexpr int kWindowW = 280;
constexpr int kWindowH = 210;

FrameTimings median(std::vector<FrameTimings> runs) {
  auto med = [&runs](double FrameTimings::*field) {
    std::vector<double> v;
    for (const FrameTimings& t : runs) v.push_back(t.*field);
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  FrameTimings m = runs.front();
  m.lattice_ms = med(&FrameTimings::lattice_ms);
  m.init_ms = med(&FrameTimings::init_ms);
  m.iterations_ms = med(&FrameTimings::iterations_ms);
  m.total_ms = med(&FrameTimings::total_ms);
  return m;
}

}  // namespace

std::vector<Case> fixture_cases(const std::string& dir) {
  std::vector<Case> cases;
  const Image small = read_ppm(path_in(dir, "im1_320x240.ppm"));
  const int n = small.pixels();
  const int runs[][2] = {{2, 5}, {21, 5}, {21, 10}};  // classes, iterations: the fixtures that have Q
  for (const auto& run : runs) {
    const int classes = run[0], iterations = run[1];
    const std::string stem = "im1_320x240_C" + std::to_string(classes);
    const std::string out = stem + "_n" + std::to_string(iterations);
    Case c;
    c.name = "fixture 320x240 C=" + std::to_string(classes) + " cold " + std::to_string(iterations);
    c.width = small.width;
    c.height = small.height;
    c.classes = classes;
    c.rgb = small.rgb;
    c.scores = unary_of(read_planes_as_hwc(path_in(dir, stem + ".prob.f32"), classes, n));
    c.kind = ScoreKind::kUnary;
    c.params = reference_params();
    c.iterations = iterations;
    c.ref_q = read_planes_as_hwc(path_in(dir, out + ".q.f32"), classes, n);
    c.ref_labels = read_bytes(path_in(dir, out + ".labels.u8"), n);
    c.ref_kl = read_kl_log(path_in(dir, out + ".log"));
    if (static_cast<int>(c.ref_kl.size()) != iterations + 1)
      throw InputError(path_in(dir, out + ".log") + ": " + std::to_string(c.ref_kl.size()) + " KL lines, expected " +
                       std::to_string(iterations + 1));
    cases.push_back(std::move(c));
  }
  // 640x480: the fixtures keep labels and KL only; the probabilities come from the 2x upscaled annotation by the
  // fixtures' rule, passed as probabilities (the CRF takes their log natively).
  const Image large = read_ppm(path_in(dir, "im1_640x480.ppm"));
  if (large.width != 2 * small.width || large.height != 2 * small.height)
    throw InputError(path_in(dir, "im1_640x480.ppm") + ": " + std::to_string(large.width) + "x" +
                     std::to_string(large.height) + ", expected 640x480");
  const std::vector<uint8_t> anno = read_bytes(path_in(dir, "im1_320x240.anno.u8"), n);
  Case c;
  c.name = "fixture 640x480 C=21 cold 5";
  c.width = large.width;
  c.height = large.height;
  c.classes = 21;
  c.rgb = large.rgb;
  c.scores = probabilities_from_annotation(upscale2x(anno, small.width, small.height), 21);
  c.kind = ScoreKind::kProbabilities;
  c.params = reference_params();
  c.iterations = 5;
  c.ref_labels = read_bytes(path_in(dir, "im1_640x480_C21_n5.labels.u8"), large.pixels());
  c.ref_kl = read_kl_log(path_in(dir, "im1_640x480_C21_n5.log"));
  if (c.ref_kl.size() != 6)
    throw InputError(path_in(dir, "im1_640x480_C21_n5.log") + ": " + std::to_string(c.ref_kl.size()) +
                     " KL lines, expected 6");
  cases.push_back(std::move(c));
  return cases;
}

std::vector<Case> sequence_cases(const std::string& dir) {
  SceneFrame scene;
  scene.image = read_ppm(path_in(dir, "im1_320x240.ppm"));
  scene.annotation = read_bytes(path_in(dir, "im1_320x240.anno.u8"), scene.image.pixels());
  const SceneFrame empty = without_geese(scene);
  const int classes = 21;
  uint64_t seed = 7;
  std::vector<Case> cases;
  for (int k = 0; k < kFrames; ++k) {
    const SceneFrame f =
        window(kGeesePresent[k] ? scene : empty, kPath[k][0], kPath[k][1], kWindowW, kWindowH, 2, seed);
    Case c;
    c.in_sequence = true;
    c.width = kWindowW;
    c.height = kWindowH;
    c.classes = classes;
    c.rgb = f.image.rgb;
    c.scores = logits_of(probabilities_from_annotation(f.annotation, classes));
    c.kind = ScoreKind::kLogits;
    c.params = pipeline_params();
    c.start = k == 0 ? Start::kCold : Start::kGatedWarm;
    c.iterations = k == 0 ? 5 : 1;
    c.annotation = f.annotation;
    c.geese = kGeesePresent[k];
    if (k > 0) {
      c.shift_x = kPath[k - 1][0] - kPath[k][0];
      c.shift_y = kPath[k - 1][1] - kPath[k][1];
    }
    const char* what = !c.geese ? (k > 0 && kGeesePresent[k - 1] ? "geese leave" : "no geese")
                                : (k == 0 || !kGeesePresent[k - 1] ? "geese appear" : "geese stay");
    char name[96];
    if (k == 0) {
      std::snprintf(name, sizeof(name), "sequence %d 280x210 cold 5, %s", k, what);
    } else {
      std::snprintf(name, sizeof(name), "sequence %d warm 1, shift (%d,%d), %s", k, c.shift_x, c.shift_y, what);
    }
    c.name = name;
    cases.push_back(std::move(c));
  }
  return cases;
}

std::vector<Case> user_cases(const std::string& ppm, const std::string& prob) {
  const Image img = read_ppm(ppm);
  if (static_cast<int64_t>(img.pixels()) > (int64_t{1} << 26))
    throw InputError(ppm + ": " + std::to_string(img.width) + "x" + std::to_string(img.height) +
                     " exceeds the CRF's 67108864-pixel limit");
  const int classes = classes_in_planes(prob, img.pixels());
  if (static_cast<int64_t>(img.pixels()) * classes > (int64_t{1} << 31) - 1)
    throw InputError(prob + ": " + std::to_string(img.pixels()) + " pixels x " + std::to_string(classes) +
                     " classes exceeds 2^31 - 1 values");
  Case cold;
  cold.name = ppm.substr(ppm.find_last_of('/') + 1) + " " + std::to_string(img.width) + "x" +
              std::to_string(img.height) + " C=" + std::to_string(classes) + " cold 5";
  cold.width = img.width;
  cold.height = img.height;
  cold.classes = classes;
  cold.rgb = img.rgb;
  cold.scores = read_planes_as_hwc(prob, classes, img.pixels());
  cold.kind = ScoreKind::kProbabilities;
  cold.params = pipeline_params();
  cold.iterations = 5;
  Case warm = cold;
  warm.name = ppm.substr(ppm.find_last_of('/') + 1) + " again, warm 1";
  warm.start = Start::kGatedWarm;
  warm.iterations = 1;
  return {cold, warm};
}

std::vector<Outcome> run_cases(Backend& backend, const std::vector<Case>& cases, int repeats) {
  std::vector<Outcome> out(cases.size());
  for (size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    Outcome& o = out[k];
    if (c.start == Start::kCold) {
      o.q.assign(static_cast<size_t>(c.pixels()) * c.classes, 0.0f);
    } else {
      o.q = out[k - 1].q;  // the previous frame's Q, as TemporalCrf keeps it
    }
    o.labels.assign(c.pixels(), 0);
    o.kl.assign(c.iterations + 1, 0.0);
    FrameRequest r;
    r.width = c.width;
    r.height = c.height;
    r.classes = c.classes;
    r.rgb = c.rgb.data();
    r.scores = c.scores.data();
    r.kind = c.kind;
    r.q = o.q.data();
    r.start = c.start;
    // WarmGate.DEFAULT: distance 0.3, keep 1.0, radius 4, temporal weight 2 and srgb 10, motion range 32.
    r.gate = 0.3f;
    r.keep = 1.0f;
    r.radius = 4;
    r.temporal_weight = 2.0f;
    r.temporal_srgb = 10.0f;
    r.motion_range = 32;
    r.iterations = c.iterations;
    r.labels = o.labels.data();
    r.kl = o.kl.data();
    backend.set_params(c.params);
    backend.run(r, o.timing);
    if (c.start == Start::kCold && repeats > 0) {
      // Timing runs: the same frame again without KL (KL costs a pass per iteration); the backend's warm-start state
      // afterwards is the same as after the checked run (this frame's).
      std::vector<float> q(o.q.size());
      std::vector<FrameTimings> runs;
      r.q = q.data();
      r.labels = nullptr;
      r.kl = nullptr;
      for (int i = 0; i < repeats; ++i) {
        FrameTimings t;
        backend.run(r, t);
        runs.push_back(t);
      }
      o.timing = median(runs);
      o.timing_runs = repeats;
    }
  }
  return out;
}

std::string sequence_sanity(const Case& c, const Outcome& cpu) {
  if (!c.in_sequence) return std::string();
  if (cpu.timing.shift_x != c.shift_x || cpu.timing.shift_y != c.shift_y)
    return "camera shift (" + std::to_string(cpu.timing.shift_x) + "," + std::to_string(cpu.timing.shift_y) +
           "), the frames moved by (" + std::to_string(c.shift_x) + "," + std::to_string(c.shift_y) + ")";
  int geese = 0, found = 0, goose_on_water = 0;
  for (int i = 0; i < c.pixels(); ++i) {
    if (c.annotation[i] == kGeese + 1) {
      ++geese;
      found += cpu.labels[i] == kGeese;
    } else if (c.annotation[i] == kWater + 1) {
      goose_on_water += cpu.labels[i] == kGeese;
    }
  }
  if (c.geese && (geese == 0 || found < geese / 2))
    return "geese present but " + std::to_string(found) + " of " + std::to_string(geese) + " goose pixels labelled";
  if (!c.geese && goose_on_water > 0)
    return "no geese but " + std::to_string(goose_on_water) + " water pixels labelled goose";
  return std::string();
}

}  // namespace segcrf::check
