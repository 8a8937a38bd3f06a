// crf_check's inputs: the fixture formats of ../shared/data/crf (README there) and the synthetic sequence built from
// the fixture photo. Every reader names the file and what is wrong with it.
#ifndef SEGCRF_CHECK_INPUTS_H
#define SEGCRF_CHECK_INPUTS_H

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace segcrf::check {

// A file that cannot be read or has the wrong size or format (crf_check exits 2).
struct InputError : std::runtime_error {
  explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;  // width * height * 3
  int pixels() const { return width * height; }
};

// Binary P6 PPM, maxval 255.
Image read_ppm(const std::string& path);
// Float32 little-endian [C][H][W], returned pixel-major [H][W][C]; the file must hold exactly classes * pixels.
std::vector<float> read_planes_as_hwc(const std::string& path, int classes, int pixels);
// The number of classes a [C][H][W] float32 file of `pixels` pixels holds (its size must be a multiple).
int classes_in_planes(const std::string& path, int pixels);
// The whole file, which must be `size` bytes (negative: any size).
std::vector<uint8_t> read_bytes(const std::string& path, long size);
// The KL values of a reference log (lines "iter k ... KL=v"), iteration 0 first.
std::vector<double> read_kl_log(const std::string& path);
bool is_file(const std::string& path);

// -log(max(p, 1e-5)) in double rounded to float, as the reference (and the Java tests) derive the unary.
std::vector<float> unary_of(const std::vector<float>& probabilities);
// log(p): logits whose softmax is p (the pipeline hands the CRF logits).
std::vector<float> logits_of(const std::vector<float>& probabilities);

// The fixtures' probability rule on an annotation in pydensecrf's encoding (0 unknown, k = class k-1): annotated
// class 0.7, every other 0.3/(C-1), unknown pixels 1/C. Pixel-major.
std::vector<float> probabilities_from_annotation(const std::vector<uint8_t>& annotation, int classes);
// Nearest-neighbour 2x upscale of a label image.
std::vector<uint8_t> upscale2x(const std::vector<uint8_t>& labels, int width, int height);

// A frame of the synthetic scene: the image and its annotation (pydensecrf encoding).
struct SceneFrame {
  Image image;
  std::vector<uint8_t> annotation;
};

constexpr int kGeese = 0;  // classes of the fixture photo
constexpr int kWater = 1;

// The fixture photo with its geese painted over by the nearest water pixel of their column, annotated water there
// (the geese are absent); the same construction as the Java tests' Scenes.withoutGeese.
SceneFrame without_geese(const SceneFrame& with_geese);
// The window of `w` x `h` at (x0, y0), every channel moved by a uniform integer in [-noise, noise] from `seed`.
SceneFrame window(const SceneFrame& scene, int x0, int y0, int w, int h, int noise, uint64_t& seed);

}  // namespace segcrf::check

#endif
