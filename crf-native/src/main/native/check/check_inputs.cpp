#include "check_inputs.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

namespace segcrf::check {

namespace {

std::vector<uint8_t> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open (" + std::strerror(errno) + ")");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw InputError(path + ": read error");
  return bytes;
}

// Next whitespace-separated token of a PPM header, skipping '#' comments.
std::string token(const std::vector<uint8_t>& b, size_t& pos, const std::string& path) {
  for (;;) {
    while (pos < b.size() && std::isspace(b[pos])) ++pos;
    if (pos < b.size() && b[pos] == '#') {
      while (pos < b.size() && b[pos] != '\n') ++pos;
    } else {
      break;
    }
  }
  const size_t start = pos;
  while (pos < b.size() && !std::isspace(b[pos])) ++pos;
  if (start == pos) throw InputError(path + ": truncated PPM header");
  return std::string(b.begin() + start, b.begin() + pos);
}

int positive(const std::string& t, const std::string& path, const char* what) {
  char* end = nullptr;
  const long v = std::strtol(t.c_str(), &end, 10);
  if (end == t.c_str() || *end != '\0') throw InputError(path + ": PPM " + what + " '" + t + "' is not a number");
  if (v <= 0 || v > 65535) throw InputError(path + ": PPM " + what + " " + t + " must be in 1..65535");
  return static_cast<int>(v);
}

}  // namespace

bool is_file(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Image read_ppm(const std::string& path) {
  const std::vector<uint8_t> b = slurp(path);
  size_t pos = 0;
  const std::string magic = token(b, pos, path);
  if (magic != "P6") throw InputError(path + ": not a binary PPM (magic '" + magic + "', expected P6)");
  Image img;
  img.width = positive(token(b, pos, path), path, "width");
  img.height = positive(token(b, pos, path), path, "height");
  const int max = positive(token(b, pos, path), path, "maxval");
  if (max != 255) throw InputError(path + ": maxval " + std::to_string(max) + ", only 255 is supported");
  const size_t start = pos + 1;  // one whitespace byte after maxval
  const size_t need = static_cast<size_t>(img.width) * img.height * 3;
  if (b.size() < start || b.size() - start < need)
    throw InputError(path + ": " + std::to_string(b.size() < start ? 0 : b.size() - start) + " pixel bytes, " +
                     std::to_string(img.width) + "x" + std::to_string(img.height) + " needs " + std::to_string(need));
  img.rgb.assign(b.begin() + start, b.begin() + start + need);
  return img;
}

int classes_in_planes(const std::string& path, int pixels) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) throw InputError(path + ": cannot open (" + std::strerror(errno) + ")");
  const long long plane = 4LL * pixels;
  if (st.st_size == 0 || st.st_size % plane != 0)
    throw InputError(path + ": " + std::to_string(st.st_size) + " bytes is not a whole number of float32 planes of " +
                     std::to_string(pixels) + " pixels");
  const long long classes = st.st_size / plane;
  if (classes > 256) throw InputError(path + ": " + std::to_string(classes) + " classes, at most 256 are checked");
  return static_cast<int>(classes);
}

std::vector<float> read_planes_as_hwc(const std::string& path, int classes, int pixels) {
  const std::vector<uint8_t> b = slurp(path);
  const size_t expected = 4ULL * classes * pixels;
  if (b.size() != expected)
    throw InputError(path + ": " + std::to_string(b.size()) + " bytes, expected " + std::to_string(expected) + " (" +
                     std::to_string(classes) + " classes x " + std::to_string(pixels) + " pixels x 4)");
  std::vector<float> hwc(static_cast<size_t>(classes) * pixels);
  for (int c = 0; c < classes; ++c) {
    for (int i = 0; i < pixels; ++i) {
      const uint8_t* p = b.data() + 4 * (static_cast<size_t>(c) * pixels + i);
      const uint32_t bits = uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
      float v;
      std::memcpy(&v, &bits, 4);
      if (!std::isfinite(v)) throw InputError(path + ": value " + std::to_string(v) + " at class " +
                                             std::to_string(c) + ", pixel " + std::to_string(i) + " is not finite");
      hwc[static_cast<size_t>(i) * classes + c] = v;
    }
  }
  return hwc;
}

std::vector<uint8_t> read_bytes(const std::string& path, long size) {
  std::vector<uint8_t> b = slurp(path);
  if (size >= 0 && static_cast<long>(b.size()) != size)
    throw InputError(path + ": " + std::to_string(b.size()) + " bytes, expected " + std::to_string(size));
  return b;
}

std::vector<double> read_kl_log(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path + ": cannot open (" + std::strerror(errno) + ")");
  std::vector<double> kl;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("iter", 0) != 0) continue;
    const size_t at = line.find("KL=");
    if (at == std::string::npos) continue;
    char* end = nullptr;
    const double v = std::strtod(line.c_str() + at + 3, &end);
    if (end == line.c_str() + at + 3) throw InputError(path + ": no number after KL= in '" + line + "'");
    kl.push_back(v);
  }
  return kl;
}

std::vector<float> unary_of(const std::vector<float>& p) {
  std::vector<float> u(p.size());
  for (size_t i = 0; i < p.size(); ++i)
    u[i] = static_cast<float>(-std::log(static_cast<double>(std::max(p[i], 1e-5f))));
  return u;
}

std::vector<float> logits_of(const std::vector<float>& p) {
  std::vector<float> l(p.size());
  for (size_t i = 0; i < p.size(); ++i)
    l[i] = static_cast<float>(std::log(static_cast<double>(std::max(p[i], 1e-30f))));
  return l;
}

std::vector<float> probabilities_from_annotation(const std::vector<uint8_t>& anno, int classes) {
  std::vector<float> p(anno.size() * classes);
  for (size_t i = 0; i < anno.size(); ++i) {
    const int a = anno[i];
    for (int c = 0; c < classes; ++c)
      p[i * classes + c] = a == 0 ? 1.0f / classes : (c == a - 1 ? 0.7f : 0.3f / (classes - 1));
  }
  return p;
}

std::vector<uint8_t> upscale2x(const std::vector<uint8_t>& labels, int width, int height) {
  std::vector<uint8_t> out(labels.size() * 4);
  for (int y = 0; y < height * 2; ++y)
    for (int x = 0; x < width * 2; ++x) out[static_cast<size_t>(y) * width * 2 + x] = labels[(y / 2) * width + x / 2];
  return out;
}

SceneFrame without_geese(const SceneFrame& full) {
  const int w = full.image.width, h = full.image.height;
  SceneFrame out = full;
  auto goose = [&](int i) { return full.annotation[i] == kGeese + 1; };
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int i = y * w + x;
      if (!goose(i)) continue;
      int from = -1;
      for (int d = 1; d < h && from < 0; ++d) {
        if (y + d < h && !goose((y + d) * w + x)) {
          from = (y + d) * w + x;
        } else if (y - d >= 0 && !goose((y - d) * w + x)) {
          from = (y - d) * w + x;
        }
      }
      if (from < 0) continue;  // a column of geese only: cannot happen on the fixture photo
      for (int c = 0; c < 3; ++c) out.image.rgb[i * 3 + c] = full.image.rgb[from * 3 + c];
      out.annotation[i] = kWater + 1;
    }
  }
  return out;
}

SceneFrame window(const SceneFrame& scene, int x0, int y0, int w, int h, int noise, uint64_t& seed) {
  // splitmix64: the same frames on every machine, whatever the C++ library's distributions do.
  auto next = [&seed]() {
    uint64_t z = (seed += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  const int fw = scene.image.width;
  SceneFrame f;
  f.image.width = w;
  f.image.height = h;
  f.image.rgb.resize(static_cast<size_t>(w) * h * 3);
  f.annotation.resize(static_cast<size_t>(w) * h);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      const int src = (y + y0) * fw + x + x0;
      const int dst = y * w + x;
      f.annotation[dst] = scene.annotation[src];
      for (int c = 0; c < 3; ++c) {
        const int v = scene.image.rgb[src * 3 + c] + static_cast<int>(next() % (2 * noise + 1)) - noise;
        f.image.rgb[dst * 3 + c] = static_cast<uint8_t>(std::clamp(v, 0, 255));
      }
    }
  }
  return f;
}

}  // namespace segcrf::check
