// CUDA mean-field for libsegcrf_cuda.so. The lattice (vertices, weights, neighbours) comes from the CPU code; the
// per-element math (unary, softmax, warm start, blur, KL, argmax) is crf_math.h, the same functions the CPU kernels
// and their tests use. The splat accumulates with atomicAdd, so sums are not in a fixed order (float rounding only).
#include <cuda_runtime.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <new>
#include <string>

#include "../crf_math.h"
#include "../cuda_plugin_api.h"

namespace {

namespace math = segcrf::math;

constexpr int kMaxClasses = 256;
constexpr int kThreads = 256;

void set_error(char* error, int len, const std::string& message) {
  if (error != nullptr && len > 0) std::snprintf(error, static_cast<size_t>(len), "%s", message.c_str());
}

struct CudaError {
  std::string message;
};

void check(cudaError_t status, const char* what) {
  if (status != cudaSuccess) throw CudaError{std::string(what) + ": " + cudaGetErrorString(status)};
}

template <typename T>
struct DeviceArray {
  T* ptr = nullptr;
  size_t size = 0;
  DeviceArray() = default;
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  void swap(DeviceArray& o) {
    T* p = ptr;
    ptr = o.ptr;
    o.ptr = p;
    const size_t s = size;
    size = o.size;
    o.size = s;
  }
  void reserve(size_t n) {
    if (n <= size) return;
    if (ptr != nullptr) cudaFree(ptr);
    ptr = nullptr;
    size = 0;
    check(cudaMalloc(&ptr, n * sizeof(T)), "cudaMalloc");
    size = n;
  }
  void upload(const T* host, size_t n, cudaStream_t s) {
    reserve(n);
    check(cudaMemcpyAsync(ptr, host, n * sizeof(T), cudaMemcpyHostToDevice, s), "upload");
  }
  ~DeviceArray() {
    if (ptr != nullptr) cudaFree(ptr);
  }
};

struct KernelSlot {
  uint64_t version = 0;
  int d1 = 0, n = 0, m = 0;
  DeviceArray<int32_t> offset, neighbours;
  DeviceArray<float> splat_w, slice_w, a, b;
};

struct Context {
  int device = 0;
  char name[256] = {0};
  cudaStream_t stream = nullptr;
  KernelSlot slots[2];
  DeviceArray<float> scores, neg_u, prev_neg_u, q, prev, t, unary;  // unary: -U plus the temporal term
  int prev_width = 0, prev_height = 0, prev_classes = 0;
  bool prev_rgb_valid = false;  // the previous frame passed its (smoothed) colours
  DeviceArray<uint8_t> labels, fresh, fresh_tmp, rgb, prev_rgb, changed;
  DeviceArray<float> temporal_w;
  DeviceArray<double> kl;
};

__global__ void load_scores_kernel(const float* scores, int probabilities, float* neg_u, long long count) {
  const long long i = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
  if (i >= count) return;
  neg_u[i] = probabilities ? math::neg_unary_from_probability(scores[i]) : -scores[i];
}

// Logits: one thread per pixel (the unary needs the pixel's logsumexp).
__global__ void load_logits_kernel(const float* logits, float* neg_u, int n, int classes) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const long long base = static_cast<long long>(i) * classes;
  math::neg_unary_from_logits(logits + base, neg_u + base, classes);
}

// The camera shift of a gated warm start (motion.h): the previous state of pixel i is at prev_index(i), or nowhere
// (-1) where its content was outside the previous frame (crf_math.h shifted_columns).
struct Shift {
  int width;
  int height;
  int dx;
  int dy;
};

__device__ __forceinline__ long long prev_index(int i, const Shift& s) {
  const int y = i / s.width;
  const int x = i - y * s.width;
  int lo = 0, hi = 0;
  math::shifted_columns(y, s.width, s.height, s.dx, s.dy, &lo, &hi);
  return x >= lo && x < hi ? static_cast<long long>(i) - (static_cast<long long>(s.dy) * s.width + s.dx) : -1;
}

// Q0 for pixel i: softmax(-U), the caller's Q, or (start 2) the gated warm start's mix with the dilated fresh mask
// (p alone where the pixel has no previous state; it is fresh there).
__global__ void init_kernel(const float* neg_u, const float* prev, const uint8_t* fresh, float* q, int n, int classes,
                            int start, float keep, Shift shift) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const float* u = neg_u + static_cast<long long>(i) * classes;
  float* qi = q + static_cast<long long>(i) * classes;
  if (start == 1) {
    for (int c = 0; c < classes; ++c) qi[c] = prev[static_cast<long long>(i) * classes + c];
  } else if (start == 2) {
    const long long j = prev_index(i, shift);
    if (j < 0) {
      math::softmax(u, qi, classes);
      return;
    }
    float p[kMaxClasses];
    math::softmax(u, p, classes);
    math::warm_mix(p, prev + j * classes, qi, classes, fresh[i] != 0, keep);
  } else {
    math::softmax(u, qi, classes);
  }
}

// Warm start, step 1: which pixels' evidence changed since the previous frame (prev_neg_u null: all of them).
__global__ void fresh_kernel(const float* neg_u, const float* prev_neg_u, uint8_t* fresh, int n, int classes,
                             float gate, Shift shift) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const long long j = prev_neg_u == nullptr ? -1 : prev_index(i, shift);
  if (j < 0) {
    fresh[i] = 1;
    return;
  }
  float p[kMaxClasses];
  float p_prev[kMaxClasses];
  math::softmax(neg_u + static_cast<long long>(i) * classes, p, classes);
  math::softmax(prev_neg_u + j * classes, p_prev, classes);
  fresh[i] = math::warm_is_fresh(p, p_prev, classes, gate) ? 1 : 0;
}

// Temporal term, step 1 (gated warm starts with a previous frame of the same shape): the weight of Q_prev per pixel
// and whether the pixel changed.
__global__ void temporal_weight_kernel(const float* neg_u, const float* prev_neg_u, const uint8_t* rgb,
                                       const uint8_t* prev_rgb, float* w, uint8_t* changed, int n, int classes,
                                       float gate, float weight, float inv_two_srgb2, Shift shift) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const long long j = prev_index(i, shift);
  if (j < 0) {  // no previous state: no term
    w[i] = 0.0f;
    changed[i] = 0;
    return;
  }
  float p[kMaxClasses];
  float p_prev[kMaxClasses];
  math::softmax(neg_u + static_cast<long long>(i) * classes, p, classes);
  math::softmax(prev_neg_u + j * classes, p_prev, classes);
  w[i] = math::temporal_weight(p, p_prev, classes, gate, rgb + static_cast<long long>(i) * 3, prev_rgb + j * 3,
                               weight, inv_two_srgb2);
  changed[i] = math::temporal_changed(w[i], weight) ? 1 : 0;
}

// Temporal term, step 3 (after the changed mask was dilated): unary = -U + w_i * Q_prev where the mask is 0.
__global__ void temporal_unary_kernel(const float* neg_u, const float* prev, const float* w, const uint8_t* changed,
                                      float* unary, int n, int classes, Shift shift) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  const long long base = static_cast<long long>(i) * classes;
  const long long j = prev_index(i, shift);
  const float wi = changed[i] || j < 0 ? 0.0f : w[i];
  const float* pr = prev + (j < 0 ? base : j * classes);
  for (int c = 0; c < classes; ++c) unary[base + c] = neg_u[base + c] + wi * pr[c];
}

// Warm start, step 2: dilation of the fresh mask by `radius` along x (dx = 1) or y (dx = 0).
__global__ void dilate_kernel(const uint8_t* in, uint8_t* out, int width, int height, int radius, int along_x) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= width * height) return;
  const int x = i % width;
  const int y = i / width;
  uint8_t any = 0;
  for (int d = -radius; d <= radius && !any; ++d) {
    const int xx = along_x ? x + d : x;
    const int yy = along_x ? y : y + d;
    if (xx >= 0 && xx < width && yy >= 0 && yy < height) any = in[yy * width + xx];
  }
  out[i] = any;
}

__global__ void splat_kernel(const float* q, const int32_t* offset, const float* w, int d1, int n, int classes,
                             float* rows) {
  const long long idx = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
  if (idx >= static_cast<long long>(n) * classes) return;
  const int i = static_cast<int>(idx / classes);
  const int c = static_cast<int>(idx % classes);
  const float v = q[idx];
  for (int j = 0; j < d1; ++j) {
    const long long k = static_cast<long long>(i) * d1 + j;
    atomicAdd(rows + static_cast<long long>(offset[k]) * classes + c, w[k] * v);
  }
}

__global__ void blur_kernel(const float* src, float* dst, const int32_t* nb, int m, int classes) {
  const long long idx = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
  if (idx >= static_cast<long long>(m) * classes) return;
  const long long p = idx / classes;
  const int c = static_cast<int>(idx % classes);
  const float self = src[(p + 1) * classes + c];
  const float left = src[static_cast<long long>(nb[2 * p]) * classes + c];
  const float right = src[static_cast<long long>(nb[2 * p + 1]) * classes + c];
  dst[(p + 1) * classes + c] = math::blur_value(self, left, right);
}

// t = -U + sum of the kernels' slices (t already holds -U when the first kernel adds into it).
__global__ void slice_kernel(const float* rows, const int32_t* offset, const float* w, int d1, int n, int classes,
                             float* t) {
  const long long idx = blockIdx.x * static_cast<long long>(blockDim.x) + threadIdx.x;
  if (idx >= static_cast<long long>(n) * classes) return;
  const long long i = idx / classes;
  const int c = static_cast<int>(idx % classes);
  float acc = 0.0f;
  for (int j = 0; j < d1; ++j) acc += w[i * d1 + j] * rows[static_cast<long long>(offset[i * d1 + j]) * classes + c];
  t[idx] += acc;
}

// Per pixel: optional KL term of the current Q, then Q = softmax(T) when write_q.
__global__ void update_kernel(const float* t, float* q, int n, int classes, int want_kl, int write_q, double* kl) {
  __shared__ double partial[kThreads];
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  double term = 0.0;
  if (i < n) {
    const float* ti = t + static_cast<long long>(i) * classes;
    float* qi = q + static_cast<long long>(i) * classes;
    if (want_kl) term = math::kl_term(qi, ti, classes);
    if (write_q) math::softmax(ti, qi, classes);
  }
  if (!want_kl) return;
  partial[threadIdx.x] = term;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) partial[threadIdx.x] += partial[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) atomicAdd(kl, partial[0]);
}

__global__ void labels_kernel(const float* q, uint8_t* labels, int n, int classes) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) labels[i] = static_cast<uint8_t>(math::argmax(q + static_cast<long long>(i) * classes, classes));
}

unsigned blocks_for(long long count) { return static_cast<unsigned>((count + kThreads - 1) / kThreads); }

void upload_kernel(Context& ctx, KernelSlot& slot, const SegcrfCudaKernel& k) {
  if (slot.version == k.version && slot.n == k.n && slot.m == k.m && slot.d1 == k.d1) return;
  const size_t nd = static_cast<size_t>(k.n) * k.d1;
  slot.offset.upload(k.offset, nd, ctx.stream);
  slot.splat_w.upload(k.splat_w, nd, ctx.stream);
  slot.slice_w.upload(k.slice_w, nd, ctx.stream);
  slot.neighbours.upload(k.neighbours, static_cast<size_t>(k.d1) * k.m * 2, ctx.stream);
  slot.version = k.version;
  slot.n = k.n;
  slot.m = k.m;
  slot.d1 = k.d1;
}

void run_frame(Context& ctx, const SegcrfCudaFrame& f) {
  cudaStream_t s = ctx.stream;
  const int n = f.width * f.height;
  const int c = f.classes;
  const long long nc = static_cast<long long>(n) * c;
  ctx.scores.upload(f.scores, nc, s);
  ctx.neg_u.reserve(nc);
  ctx.q.reserve(nc);
  ctx.t.reserve(nc);
  if (f.start != 0) ctx.prev.upload(f.q, nc, s);
  if (f.score_kind == 2)
    load_logits_kernel<<<blocks_for(n), kThreads, 0, s>>>(ctx.scores.ptr, ctx.neg_u.ptr, n, c);
  else
    load_scores_kernel<<<blocks_for(nc), kThreads, 0, s>>>(ctx.scores.ptr, f.score_kind == 1 ? 1 : 0,
                                                          ctx.neg_u.ptr, nc);
  const Shift shift{f.width, f.height, f.shift_x, f.shift_y};
  if (f.start == 2) {
    ctx.fresh.reserve(n);
    ctx.fresh_tmp.reserve(n);
    const bool have_prev = ctx.prev_width == f.width && ctx.prev_height == f.height && ctx.prev_classes == c;
    fresh_kernel<<<blocks_for(n), kThreads, 0, s>>>(ctx.neg_u.ptr, have_prev ? ctx.prev_neg_u.ptr : nullptr,
                                                    ctx.fresh.ptr, n, c, f.gate, shift);
    if (f.radius > 0) {
      dilate_kernel<<<blocks_for(n), kThreads, 0, s>>>(ctx.fresh.ptr, ctx.fresh_tmp.ptr, f.width, f.height, f.radius, 1);
      dilate_kernel<<<blocks_for(n), kThreads, 0, s>>>(ctx.fresh_tmp.ptr, ctx.fresh.ptr, f.width, f.height, f.radius, 0);
    }
  }
  init_kernel<<<blocks_for(n), kThreads, 0, s>>>(ctx.neg_u.ptr, ctx.prev.ptr, ctx.fresh.ptr, ctx.q.ptr, n, c, f.start,
                                                 f.keep, shift);
  // The iterations read `unary`: -U, or -U plus the temporal term. neg_u stays the plain unary (the next gate's input).
  const bool have_prev_rgb = ctx.prev_width == f.width && ctx.prev_height == f.height && ctx.prev_classes == c;
  const bool temporal =
      f.start == 2 && have_prev_rgb && ctx.prev_rgb_valid && f.temporal_weight > 0.0f && f.rgb != nullptr;
  const float* unary = ctx.neg_u.ptr;
  if (f.rgb != nullptr) ctx.rgb.upload(f.rgb, static_cast<size_t>(n) * 3, s);
  if (temporal) {
    ctx.unary.reserve(nc);
    ctx.temporal_w.reserve(n);
    ctx.changed.reserve(n);
    temporal_weight_kernel<<<blocks_for(n), kThreads, 0, s>>>(
        ctx.neg_u.ptr, ctx.prev_neg_u.ptr, ctx.rgb.ptr, ctx.prev_rgb.ptr, ctx.temporal_w.ptr, ctx.changed.ptr, n, c,
        f.gate, f.temporal_weight, 1.0f / (2.0f * f.temporal_srgb * f.temporal_srgb), shift);
    if (f.radius > 0) {
      dilate_kernel<<<blocks_for(n), kThreads, 0, s>>>(ctx.changed.ptr, ctx.fresh_tmp.ptr, f.width, f.height, f.radius,
                                                       1);
      dilate_kernel<<<blocks_for(n), kThreads, 0, s>>>(ctx.fresh_tmp.ptr, ctx.changed.ptr, f.width, f.height, f.radius,
                                                       0);
    }
    temporal_unary_kernel<<<blocks_for(n), kThreads, 0, s>>>(ctx.neg_u.ptr, ctx.prev.ptr, ctx.temporal_w.ptr,
                                                             ctx.changed.ptr, ctx.unary.ptr, n, c, shift);
    unary = ctx.unary.ptr;
  }
  for (int k = 0; k < f.nkernels; ++k) upload_kernel(ctx, ctx.slots[f.slots[k]], f.kernels[k]);
  check(cudaGetLastError(), "init kernels");

  const bool want_kl = f.kl != nullptr;
  const int passes = f.iterations + (want_kl ? 1 : 0);
  ctx.kl.reserve(passes > 0 ? passes : 1);
  if (want_kl) check(cudaMemsetAsync(ctx.kl.ptr, 0, sizeof(double) * passes, s), "memset kl");
  check(cudaStreamSynchronize(s), "frame setup");
  const auto t0 = std::chrono::steady_clock::now();
  for (int it = 0; it < passes; ++it) {
    check(cudaMemcpyAsync(ctx.t.ptr, unary, nc * sizeof(float), cudaMemcpyDeviceToDevice, s), "copy -U");
    for (int k = 0; k < f.nkernels; ++k) {
      KernelSlot& slot = ctx.slots[f.slots[k]];
      const long long rows = (static_cast<long long>(slot.m) + 1) * c;
      slot.a.reserve(rows);
      slot.b.reserve(rows);
      check(cudaMemsetAsync(slot.a.ptr, 0, rows * sizeof(float), s), "memset rows");
      check(cudaMemsetAsync(slot.b.ptr, 0, c * sizeof(float), s), "memset row 0");
      splat_kernel<<<blocks_for(nc), kThreads, 0, s>>>(ctx.q.ptr, slot.offset.ptr, slot.splat_w.ptr, slot.d1, n, c,
                                                        slot.a.ptr);
      float* a = slot.a.ptr;
      float* b = slot.b.ptr;
      for (int j = 0; j < slot.d1; ++j) {
        blur_kernel<<<blocks_for(static_cast<long long>(slot.m) * c), kThreads, 0, s>>>(
            a, b, slot.neighbours.ptr + static_cast<long long>(j) * slot.m * 2, slot.m, c);
        float* tmp = a;
        a = b;
        b = tmp;
      }
      slice_kernel<<<blocks_for(nc), kThreads, 0, s>>>(a, slot.offset.ptr, slot.slice_w.ptr, slot.d1, n, c, ctx.t.ptr);
    }
    update_kernel<<<blocks_for(n), kThreads, 0, s>>>(ctx.t.ptr, ctx.q.ptr, n, c, want_kl ? 1 : 0,
                                                     it < f.iterations ? 1 : 0, ctx.kl.ptr + it);
    check(cudaGetLastError(), "mean-field kernels");
  }
  check(cudaStreamSynchronize(s), "mean-field");
  if (f.iterations_ms != nullptr)
    *f.iterations_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (f.q != nullptr) check(cudaMemcpyAsync(f.q, ctx.q.ptr, nc * sizeof(float), cudaMemcpyDeviceToHost, s), "download q");
  if (f.labels != nullptr) {
    ctx.labels.reserve(n);
    labels_kernel<<<blocks_for(n), kThreads, 0, s>>>(ctx.q.ptr, ctx.labels.ptr, n, c);
    check(cudaMemcpyAsync(f.labels, ctx.labels.ptr, n, cudaMemcpyDeviceToHost, s), "download labels");
  }
  if (want_kl) check(cudaMemcpyAsync(f.kl, ctx.kl.ptr, sizeof(double) * passes, cudaMemcpyDeviceToHost, s), "download kl");
  check(cudaStreamSynchronize(s), "download");
  // This frame's evidence becomes the previous one.
  ctx.neg_u.swap(ctx.prev_neg_u);
  if (f.rgb != nullptr) ctx.rgb.swap(ctx.prev_rgb);
  ctx.prev_rgb_valid = f.rgb != nullptr;
  ctx.prev_width = f.width;
  ctx.prev_height = f.height;
  ctx.prev_classes = c;
}

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int segcrf_cuda_abi(void) { return SEGCRF_CUDA_ABI_VERSION; }

__attribute__((visibility("default"))) int segcrf_cuda_probe(char* error, int error_len) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    set_error(error, error_len, std::string("cudaGetDeviceCount: ") + cudaGetErrorString(status));
    return 0;
  }
  if (count == 0) set_error(error, error_len, "no CUDA device present");
  return count;
}

__attribute__((visibility("default"))) void* segcrf_cuda_create(char* error, int error_len) {
  Context* ctx = new (std::nothrow) Context();
  if (ctx == nullptr) {
    set_error(error, error_len, "out of host memory");
    return nullptr;
  }
  try {
    check(cudaSetDevice(0), "cudaSetDevice(0)");
    cudaDeviceProp prop;
    check(cudaGetDeviceProperties(&prop, 0), "cudaGetDeviceProperties");
    std::snprintf(ctx->name, sizeof(ctx->name), "%s, sm_%d%d", prop.name, prop.major, prop.minor);
    check(cudaStreamCreate(&ctx->stream), "cudaStreamCreate");
    return ctx;
  } catch (const CudaError& e) {
    set_error(error, error_len, e.message);
    delete ctx;
    return nullptr;
  }
}

__attribute__((visibility("default"))) void segcrf_cuda_destroy(void* context) {
  Context* ctx = static_cast<Context*>(context);
  if (ctx == nullptr) return;
  if (ctx->stream != nullptr) cudaStreamDestroy(ctx->stream);
  delete ctx;
}

__attribute__((visibility("default"))) int segcrf_cuda_device_name(void* context, char* name, int name_len) {
  const Context* ctx = static_cast<const Context*>(context);
  std::snprintf(name, static_cast<size_t>(name_len), "%s", ctx->name);
  return 0;
}

__attribute__((visibility("default"))) int segcrf_cuda_run(void* context, const SegcrfCudaFrame* frame, char* error,
                                                          int error_len) {
  try {
    run_frame(*static_cast<Context*>(context), *frame);
    return 0;
  } catch (const CudaError& e) {
    set_error(error, error_len, e.message);
  } catch (const std::bad_alloc&) {
    set_error(error, error_len, "out of host memory");
  }
  return 1;
}

}  // extern "C"
