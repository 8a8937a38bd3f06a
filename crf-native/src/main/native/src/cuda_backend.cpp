#include "cuda_backend.h"

#include <dlfcn.h>

#include <chrono>

#include "errors.h"

namespace segcrf {

namespace {

template <typename F>
F symbol(void* lib, const char* name, std::string& missing) {
  void* s = dlsym(lib, name);
  if (s == nullptr && missing.empty()) missing = name;
  return reinterpret_cast<F>(s);
}

SegcrfCudaKernel view(const PreparedKernel& k) {
  const Lattice& lat = k.lattice();
  return SegcrfCudaKernel{lat.d + 1,          lat.n, lat.m, k.version(), lat.offset.data(), k.splat_weights().data(),
                          k.slice_weights().data(), lat.neighbours.data()};
}

}  // namespace

std::string CudaBackend::open_plugin(const std::string& path, Plugin& out) {
  if (path.empty()) return "the CUDA plugin (libsegcrf_cuda.so) was not built or not packaged (nvcc absent at build time)";
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    const char* err = dlerror();
    return "cannot load the CUDA plugin " + path + ": " + (err != nullptr ? err : "unknown dlopen error");
  }
  std::string missing;
  auto abi = symbol<segcrf_cuda_abi_fn>(lib, "segcrf_cuda_abi", missing);
  Plugin p;
  p.library = lib;
  p.probe = symbol<segcrf_cuda_probe_fn>(lib, "segcrf_cuda_probe", missing);
  p.create = symbol<segcrf_cuda_create_fn>(lib, "segcrf_cuda_create", missing);
  p.destroy = symbol<segcrf_cuda_destroy_fn>(lib, "segcrf_cuda_destroy", missing);
  p.run = symbol<segcrf_cuda_run_fn>(lib, "segcrf_cuda_run", missing);
  p.device_name = symbol<segcrf_cuda_device_name_fn>(lib, "segcrf_cuda_device_name", missing);
  if (!missing.empty()) {
    dlclose(lib);
    return "the CUDA plugin " + path + " lacks the symbol " + missing;
  }
  if (abi() != SEGCRF_CUDA_ABI_VERSION) {
    const int got = abi();
    dlclose(lib);
    return "the CUDA plugin " + path + " has ABI " + std::to_string(got) + ", expected " +
           std::to_string(SEGCRF_CUDA_ABI_VERSION);
  }
  char err[512] = {0};
  if (p.probe(err, sizeof(err)) <= 0) {
    dlclose(lib);
    return std::string("no usable CUDA device: ") + err;
  }
  out = p;
  return std::string();
}

std::string CudaBackend::probe(const std::string& plugin_path) {
  Plugin p;
  const std::string cause = open_plugin(plugin_path, p);
  if (cause.empty()) dlclose(p.library);
  return cause;
}

CudaBackend::CudaBackend(const std::string& plugin_path, int threads)
    : pool_(threads), kernels_(kernels_for_this_cpu()) {
  const std::string cause = open_plugin(plugin_path, plugin_);
  if (!cause.empty()) throw NativeFailure(cause);
  char err[512] = {0};
  context_ = plugin_.create(err, sizeof(err));
  if (context_ == nullptr) {
    dlclose(plugin_.library);
    throw NativeFailure(std::string("cannot open the CUDA device: ") + err);
  }
  char dev[256] = {0};
  plugin_.device_name(context_, dev, sizeof(dev));
  device_ = dev;
}

CudaBackend::~CudaBackend() {
  if (context_ != nullptr) plugin_.destroy(context_);
  if (plugin_.library != nullptr) dlclose(plugin_.library);
}

std::string CudaBackend::name() const { return "cuda (" + device_ + ")"; }

void CudaBackend::run(const FrameRequest& r, FrameTimings& timings) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const int parts = 1;  // the device splat does not use CPU partitions
  SegcrfCudaFrame f{};
  if (params_.gaussian_weight > 0.0f) {
    FeatureSpec g;
    g.sxy = params_.gaussian_sxy;
    gaussian_.prepare(g, params_.gaussian_weight, r.width, r.height, nullptr, parts, pool_, builder_, kernels_);
    f.kernels[f.nkernels] = view(gaussian_);
    f.slots[f.nkernels++] = 0;
  }
  if (params_.bilateral_weight > 0.0f) {
    FeatureSpec b;
    b.bilateral = true;
    b.sxy = params_.bilateral_sxy;
    b.srgb = params_.bilateral_srgb;
    bilateral_.prepare(b, params_.bilateral_weight, r.width, r.height, r.rgb, parts, pool_, builder_, kernels_);
    f.kernels[f.nkernels] = view(bilateral_);
    f.slots[f.nkernels++] = 1;
  }
  const auto t1 = Clock::now();
  timings.lattice_ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
  f.width = r.width;
  f.height = r.height;
  f.classes = r.classes;
  f.scores = r.scores;
  f.score_kind = static_cast<int>(r.kind);
  if (r.kind == ScoreKind::kLogitGrid) {
    // The plugin takes per-pixel scores: the grid is upsampled here with the CPU backend's code (logit_grid.h), so
    // both backends see the same logits, and the plugin's softmax is the one it applies to kLogits.
    upsampler_.prepare(r.grid, r.classes, r.width, r.height);
    const int64_t n = static_cast<int64_t>(r.width) * r.height;
    logits_.resize(static_cast<size_t>(n) * r.classes);
    pool_.parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
      thread_local std::vector<float> scratch;
      upsampler_.logits(r.scores, begin, end, logits_.data() + begin * r.classes, scratch);
    });
    f.scores = logits_.data();
    f.score_kind = static_cast<int>(ScoreKind::kLogits);
  }
  f.q = r.q;
  f.start = static_cast<int>(r.start);
  f.gate = r.gate;
  f.keep = r.keep;
  f.radius = r.radius;
  f.temporal_weight = r.temporal_weight;
  f.temporal_srgb = r.temporal_srgb;
  // The camera shift and the 3x3 mean colours of the temporal term are computed on the host (warm_inputs.h); the
  // plugin applies the shift and keeps the previous frame's colours on the device. Whether the plugin has a previous
  // frame of this shape is its own state, so the shift is estimated for every gated start (GlobalMotion returns zero
  // when the previous frame's size differs).
  warm_inputs_.prepare(r, r.start == Start::kGatedWarm, pool_, timings);
  f.rgb = warm_inputs_.smooth();
  f.shift_x = warm_inputs_.shift().dx;
  f.shift_y = warm_inputs_.shift().dy;
  f.iterations = r.iterations;
  f.labels = r.labels;
  f.kl = r.kl;
  double iter_ms = 0;
  f.iterations_ms = &iter_ms;
  char err[512] = {0};
  if (plugin_.run(context_, &f, err, sizeof(err)) != 0) throw NativeFailure(std::string("CUDA mean-field: ") + err);
  timings.iterations_ms = iter_ms;
  timings.total_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  timings.init_ms = timings.total_ms - timings.lattice_ms - iter_ms;
}

}  // namespace segcrf
