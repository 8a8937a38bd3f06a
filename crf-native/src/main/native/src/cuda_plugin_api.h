// C interface between the main library and the optional CUDA plugin (libsegcrf_cuda.so), which the main library
// dlopen()s only when the CUDA backend is asked for. The plugin links the CUDA runtime statically, so it needs
// nothing but the NVIDIA driver (libcuda.so.1) at run time, and the main library needs no CUDA at all.
#ifndef SEGCRF_CUDA_PLUGIN_API_H
#define SEGCRF_CUDA_PLUGIN_API_H

#include <stdint.h>

#define SEGCRF_CUDA_ABI_VERSION 7

// One prepared kernel (host arrays); `version` changes whenever the arrays do, so the plugin uploads only then.
struct SegcrfCudaKernel {
  int d1;
  int n;
  int m;
  uint64_t version;
  const int32_t* offset;      // n * d1
  const float* splat_w;       // n * d1
  const float* slice_w;       // n * d1
  const int32_t* neighbours;  // d1 * m * 2
};

struct SegcrfCudaFrame {
  int width;
  int height;
  int classes;
  const float* scores;  // n * classes (host)
  int score_kind;       // 0 unary, 1 probabilities, 2 logits
  float* q;             // n * classes (host), in and out, may be null for a cold start
  int start;            // 0 cold, 1 from q, 2 gated warm
  float gate;
  float keep;
  int radius;
  float temporal_weight;  // gated warm: crf_math.h temporal_weight, 0 = off
  float temporal_srgb;
  const uint8_t* rgb;   // n * 3 (host): the frame's 3x3 mean colours (colour_smooth.h) for the temporal term, or null
  int shift_x;          // gated warm: the camera shift (motion.h Shift, estimated on the host), 0 0 = none
  int shift_y;
  int iterations;
  uint8_t* labels;      // n (host) or null
  double* kl;           // iterations + 1 or null
  int nkernels;
  struct SegcrfCudaKernel kernels[2];
  int slots[2];         // 0 = Gaussian, 1 = bilateral: device copies are cached per slot
  double* iterations_ms;
};

#ifdef __cplusplus
extern "C" {
#endif

typedef int (*segcrf_cuda_abi_fn)(void);
typedef int (*segcrf_cuda_probe_fn)(char* error, int error_len);
typedef void* (*segcrf_cuda_create_fn)(char* error, int error_len);
typedef void (*segcrf_cuda_destroy_fn)(void* context);
typedef int (*segcrf_cuda_run_fn)(void* context, const struct SegcrfCudaFrame* frame, char* error, int error_len);
typedef int (*segcrf_cuda_device_name_fn)(void* context, char* name, int name_len);

#ifdef __cplusplus
}
#endif

#endif
