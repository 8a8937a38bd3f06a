// crf_check: runs the CUDA backend and the CPU backend of libsegcrf on the same inputs and compares them, after
// checking the CPU backend against the reference fixtures (../shared/data/crf), so that a GPU machine with nothing
// but this program, libsegcrf_cuda.so beside it and the fixtures can show that the CUDA path computes what the CPU
// path computes. Exit codes: see kUsage.
#include <strings.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "check_cases.h"
#include "check_inputs.h"
#include "check_report.h"
#include "cpu_backend.h"
#include "cuda_backend.h"
#include "errors.h"

#ifndef SEGCRF_VERSION
#define SEGCRF_VERSION "dev"
#endif

namespace {

using namespace segcrf;
using namespace segcrf::check;

enum Exit : int {
  kAgree = 0,          // the CUDA backend ran every case and agrees with the CPU backend
  kDiffers = 1,        // the CUDA backend ran and disagrees on at least one case
  kBadInput = 2,       // bad arguments or unreadable input files
  kCpuWrong = 3,       // the CPU backend does not match the reference fixtures, or failed (the check is not trustworthy)
  kNoGpu = 4,          // no usable GPU: the CUDA backend could not be opened (the reason is printed)
  kCudaFailed = 5,     // the CUDA backend opened but a run failed (e.g. no kernel image for this GPU)
};

const char* const kUsage =
    "usage: crf_check [--fixtures DIR] [--image FILE.ppm --prob FILE.f32]... [--threads N] [--repeat N]\n"
    "                 [--cuda-plugin FILE]\n"
    "Runs the DenseCRF's CPU and CUDA backends on the same inputs and compares them: the reference fixtures\n"
    "(DIR, default ../shared/data/crf found from the current or the program's directory; the CPU backend is also\n"
    "checked against their labels, Q and KL), a 7-frame synthetic sequence (shifted crops of the fixture photo, the\n"
    "geese appearing and leaving, cold then warm-started) and each given image with float32 [C][H][W]\n"
    "probabilities. Agreement: labels >= 99.9%, max |dQ| <= 1e-3, KL within 1e-3 relative.\n"
    "  --threads N      CPU threads (default: all cores)\n"
    "  --repeat N       timing runs of each cold case, median reported (default 3, 0 = time the checked run)\n"
    "  --cuda-plugin F  the CUDA plugin (default: $SEGMENT_CRF_CUDA_LIBRARY, else libsegcrf_cuda.so beside\n"
    "                   crf_check); SEGMENT_CRF_CUDA=off disables it\n"
    "Exit status: 0 CUDA agrees with the CPU on every case; 1 CUDA differs; 2 bad arguments or input files;\n"
    "3 the CPU backend does not match the fixtures (or failed); 4 no usable GPU (the reason is printed); 5 a CUDA run failed.\n";

struct Options {
  std::string fixtures;
  std::vector<std::pair<std::string, std::string>> inputs;  // ppm, prob
  int threads = 0;
  int repeat = 3;
  std::string plugin;
};

int number(const std::string& flag, const char* v, int lo, int hi) {
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  if (end == v || *end != '\0' || n < lo || n > hi)
    throw InputError(flag + " must be a whole number in " + std::to_string(lo) + ".." + std::to_string(hi) +
                     ", got '" + v + "'");
  return static_cast<int>(n);
}

Options parse(int argc, char** argv) {
  Options o;
  std::string pending_image;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      std::exit(kAgree);
    }
    if (i + 1 >= argc) throw InputError(a == "--fixtures" || a == "--image" || a == "--prob" || a == "--threads" ||
                                                a == "--repeat" || a == "--cuda-plugin"
                                            ? a + " needs a value"
                                            : "unknown argument '" + a + "'");
    const char* v = argv[++i];
    if (a == "--fixtures") {
      o.fixtures = v;
    } else if (a == "--image") {
      if (!pending_image.empty()) throw InputError("--image " + pending_image + " has no --prob after it");
      pending_image = v;
    } else if (a == "--prob") {
      if (pending_image.empty()) throw InputError(std::string("--prob ") + v + " needs an --image before it");
      o.inputs.emplace_back(pending_image, v);
      pending_image.clear();
    } else if (a == "--threads") {
      o.threads = number(a, v, 1, 1024);
    } else if (a == "--repeat") {
      o.repeat = number(a, v, 0, 100);
    } else if (a == "--cuda-plugin") {
      o.plugin = v;
    } else {
      throw InputError("unknown argument '" + a + "'");
    }
  }
  if (!pending_image.empty()) throw InputError("--image " + pending_image + " has no --prob after it");
  if (o.threads == 0) o.threads = std::max(1u, std::thread::hardware_concurrency());
  return o;
}

std::string program_dir() {
  char buf[4096];
  const ssize_t len = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (len <= 0) return ".";
  buf[len] = '\0';
  std::string p(buf);
  return p.substr(0, p.find_last_of('/'));
}

std::string parent(const std::string& dir) {
  const size_t at = dir.find_last_of('/');
  return at == 0 || at == std::string::npos ? std::string("/") : dir.substr(0, at);
}

// ../shared/data/crf as the Java tests find it: beside the current directory or one of its parents, then the same
// from the program's directory.
std::string find_fixtures() {
  char cwd[4096];
  const std::string starts[] = {getcwd(cwd, sizeof(cwd)) != nullptr ? std::string(cwd) : std::string("."),
                                program_dir()};
  for (const std::string& start : starts) {
    for (std::string d = start;; d = parent(d)) {
      const std::string candidate = parent(d) + "/shared/data/crf";
      if (is_file(candidate + "/im1_320x240.ppm")) return candidate;
      if (d == "/") break;
    }
  }
  throw InputError("the fixtures (shared/data/crf) were not found beside the current or the program's directory "
                   "or a parent of them: pass --fixtures DIR");
}

// The plugin the library's loader would use (NativeLibraryLoader: override, else beside the library), or why none.
std::string plugin_path(const Options& o, std::string& cause) {
  const char* off = std::getenv("SEGMENT_CRF_CUDA");
  if (off != nullptr && (strcasecmp(off, "off") == 0 || strcasecmp(off, "false") == 0)) {
    cause = std::string("disabled by SEGMENT_CRF_CUDA=") + off;
    return std::string();
  }
  std::string path = o.plugin;
  const char* env = std::getenv("SEGMENT_CRF_CUDA_LIBRARY");
  if (path.empty() && env != nullptr) path = env;
  if (path.empty()) path = program_dir() + "/libsegcrf_cuda.so";
  if (!is_file(path)) {
    cause = "the CUDA plugin " + path + " does not exist (it is built only where nvcc is found; copy it beside "
            "crf_check or pass --cuda-plugin)";
    return std::string();
  }
  return path;
}

int run(const Options& o) {
  const std::string dir = o.fixtures.empty() ? find_fixtures() : o.fixtures;
  std::vector<Case> cases = fixture_cases(dir);
  for (Case& c : sequence_cases(dir)) cases.push_back(std::move(c));
  for (const auto& in : o.inputs)
    for (Case& c : user_cases(in.first, in.second)) cases.push_back(std::move(c));

  CpuBackend cpu(o.threads, false);
  std::printf("crf_check %s: fixtures %s\nCPU backend: %s\n", SEGCRF_VERSION, dir.c_str(), cpu.name().c_str());
  std::fflush(stdout);
  const std::vector<Outcome> cpu_out = run_cases(cpu, cases, o.repeat);

  std::printf("\nCPU backend against the reference (labels >= %.1f%%, max|dQ| <= %.0e, KL rel <= %.0e) and the "
              "sequence's own checks:\n", 100 * kMinLabelAgreement, kMaxQDifference, kMaxKlRelative);
  print_reference_header(stdout);
  bool cpu_ok = true;
  for (size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    if (c.ref_labels.empty() && !c.in_sequence) continue;
    const Comparison vs = compare(cpu_out[k].q, cpu_out[k].labels, cpu_out[k].kl, c.ref_q, c.ref_labels, c.ref_kl);
    const std::string sanity = sequence_sanity(c, cpu_out[k]);
    cpu_ok = cpu_ok && (c.ref_labels.empty() || vs.ok()) && sanity.empty();
    print_reference_line(stdout, c, vs, sanity);
  }
  std::printf("CPU backend %s\n", cpu_ok ? "matches the reference fixtures" : "DOES NOT match the reference fixtures");

  std::string cause;
  const std::string plugin = plugin_path(o, cause);
  if (cause.empty()) cause = CudaBackend::probe(plugin);
  std::unique_ptr<CudaBackend> cuda;
  if (cause.empty()) {
    try {
      cuda = std::make_unique<CudaBackend>(plugin, o.threads);
    } catch (const NativeFailure& e) {
      cause = e.what();
    }
  }
  const char* timing_note = "times ms: lattice build / per iteration / total; cold cases: median of the timing runs "
                            "(no KL), warm frames: the checked run (with KL)";
  if (cuda == nullptr) {
    std::printf("\nCUDA backend: no usable GPU: %s\n", cause.c_str());
    std::printf("CPU backend alone (%s):\n", timing_note);
    print_backend_header(stdout);
    for (size_t k = 0; k < cases.size(); ++k) print_backend_line(stdout, cases[k], cpu_out[k], nullptr, nullptr);
    std::printf("RESULT: %s\n", cpu_ok ? "no usable GPU, nothing was checked on CUDA (exit 4)"
                                       : "the CPU backend does not match the fixtures (exit 3)");
    return cpu_ok ? kNoGpu : kCpuWrong;
  }

  std::printf("\nCUDA backend: %s (plugin %s)\nCUDA against CPU (%s):\n", cuda->name().c_str(), plugin.c_str(),
              timing_note);
  std::fflush(stdout);
  std::vector<Outcome> cuda_out;
  try {
    cuda_out = run_cases(*cuda, cases, o.repeat);
  } catch (const std::exception& e) {
    std::printf("CUDA backend failed while running: %s\n", e.what());
    std::printf("RESULT: %s\n", cpu_ok ? "a CUDA run failed (exit 5)" : "the CPU backend does not match the fixtures "
                                                                        "(exit 3); a CUDA run failed");
    return cpu_ok ? kCudaFailed : kCpuWrong;
  }
  print_backend_header(stdout);
  bool agree = true;
  for (size_t k = 0; k < cases.size(); ++k) {
    const Comparison vs =
        compare(cuda_out[k].q, cuda_out[k].labels, cuda_out[k].kl, cpu_out[k].q, cpu_out[k].labels, cpu_out[k].kl);
    agree = agree && vs.ok();
    print_backend_line(stdout, cases[k], cpu_out[k], &cuda_out[k], &vs);
  }
  if (!cpu_ok) {
    std::printf("RESULT: the CPU backend does not match the fixtures (exit 3)\n");
    return kCpuWrong;
  }
  std::printf("RESULT: %s\n", agree ? "CUDA agrees with the CPU on every case (exit 0)"
                                    : "CUDA DIFFERS from the CPU (exit 1)");
  return agree ? kAgree : kDiffers;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const InputError& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "crf_check: %s\n", e.what());
    return kBadInput;
  } catch (const InvalidArgument& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "crf_check: bad input: %s\n", e.what());
    return kBadInput;
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "crf_check: the CPU backend failed: %s\n", e.what());
    return kCpuWrong;
  }
}
