// A stand-in for libsegcrf_cuda.so on machines without a GPU (tests only): it loads, reports one device and answers
// every frame wrongly or with an error, so that crf_check's CUDA half (plugin loading, comparison, exit codes 1 and
// 5) runs where no GPU does. SEGCRF_STAND_IN=fail: every run fails; otherwise Q is uniform and the labels all 0.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cuda_plugin_api.h"

namespace {

bool failing() {
  const char* mode = std::getenv("SEGCRF_STAND_IN");
  return mode != nullptr && std::strcmp(mode, "fail") == 0;
}

int context_token = 0;

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int segcrf_cuda_abi(void) { return SEGCRF_CUDA_ABI_VERSION; }

__attribute__((visibility("default"))) int segcrf_cuda_probe(char*, int) { return 1; }

__attribute__((visibility("default"))) void* segcrf_cuda_create(char*, int) { return &context_token; }

__attribute__((visibility("default"))) void segcrf_cuda_destroy(void*) {}

__attribute__((visibility("default"))) int segcrf_cuda_device_name(void*, char* name, int name_len) {
  std::snprintf(name, static_cast<size_t>(name_len), "stand-in plugin without a GPU%s", failing() ? ", failing" : "");
  return 0;
}

__attribute__((visibility("default"))) int segcrf_cuda_run(void*, const SegcrfCudaFrame* f, char* error,
                                                          int error_len) {
  if (failing()) {
    std::snprintf(error, static_cast<size_t>(error_len), "stand-in failure (as a GPU without code for it would)");
    return 1;
  }
  const long n = static_cast<long>(f->width) * f->height;
  if (f->q != nullptr)
    for (long i = 0; i < n * f->classes; ++i) f->q[i] = 1.0f / static_cast<float>(f->classes);
  if (f->labels != nullptr) std::memset(f->labels, 0, static_cast<size_t>(n));
  if (f->kl != nullptr)
    for (int i = 0; i <= f->iterations; ++i) f->kl[i] = 0.0;
  if (f->iterations_ms != nullptr) *f->iterations_ms = 0.0;
  return 0;
}

}  // extern "C"
