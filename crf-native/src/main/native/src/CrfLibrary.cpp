// JNI entry points of dev.segment.crf.CrfLibrary. Every entry point checks every pointer, shape and size before
// touching memory and turns C++ exceptions into Java exceptions; nothing here trusts the Java side's checks.
#include <jni.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include "backend.h"
#include "class_pruning.h"
#include "cpu_backend.h"
#include "cuda_backend.h"
#include "errors.h"
#include "kernels.h"
#include "logit_grid.h"

#ifndef SEGCRF_VERSION
#define SEGCRF_VERSION "dev"
#endif

namespace {

using segcrf::InvalidArgument;
using segcrf::NativeFailure;

jclass g_illegal_argument = nullptr;
jclass g_crf_exception = nullptr;
jclass g_out_of_memory = nullptr;

jclass global_class(JNIEnv* env, const char* name) {
  jclass local = env->FindClass(name);
  if (local == nullptr) return nullptr;
  jclass global = static_cast<jclass>(env->NewGlobalRef(local));
  env->DeleteLocalRef(local);
  return global;
}

struct Handle {
  std::unique_ptr<segcrf::Backend> backend;  // the pruning wrapper around the CPU or CUDA backend
  segcrf::PruningBackend* pruning = nullptr; // the same object
  segcrf::GridGeometry grid;  // for score kind 3 (logits grid); all zero until setScoreGrid
  std::mutex lock;  // one frame at a time per handle, whatever the Java side does
};

Handle* handle_of(jlong h) {
  if (h == 0) throw InvalidArgument("the DenseCrf handle is closed (0)");
  return reinterpret_cast<Handle*>(static_cast<intptr_t>(h));
}

std::string utf(JNIEnv* env, jstring s) {
  if (s == nullptr) return std::string();
  const char* chars = env->GetStringUTFChars(s, nullptr);
  if (chars == nullptr) throw std::bad_alloc();
  std::string out(chars);
  env->ReleaseStringUTFChars(s, chars);
  return out;
}

// Address of element `offset` of a direct buffer that must hold `offset + count` elements of `elem` bytes.
// A null buffer is allowed only when `optional`.
template <typename T>
T* direct(JNIEnv* env, jobject buffer, jlong offset, int64_t count, const char* what, bool optional) {
  if (buffer == nullptr) {
    if (optional) return nullptr;
    throw InvalidArgument(std::string(what) + " is null");
  }
  void* base = env->GetDirectBufferAddress(buffer);
  if (base == nullptr) throw InvalidArgument(std::string(what) + " is not a direct buffer");
  const jlong capacity = env->GetDirectBufferCapacity(buffer);
  if (capacity < 0) throw InvalidArgument(std::string(what) + " has no capacity (not a direct buffer)");
  if (offset < 0) throw InvalidArgument(std::string(what) + " offset " + std::to_string(offset) + " is negative");
  if (count < 0 || offset > capacity || capacity - offset < count)
    throw InvalidArgument(std::string(what) + " too small: needs " + std::to_string(count) + " elements from " +
                          std::to_string(offset) + ", capacity is " + std::to_string(capacity));
  return static_cast<T*>(base) + offset;
}

void throw_java(JNIEnv* env, jclass cls, const std::string& message) {
  if (env->ExceptionCheck()) return;  // keep the first exception
  env->ThrowNew(cls != nullptr ? cls : g_crf_exception, message.c_str());
}

}  // namespace

// Wraps an entry point body: C++ exceptions become Java exceptions; `fail` is returned after one is thrown.
#define API_BEGIN try {
#define API_END(fail)                                                                       \
  }                                                                                          \
  catch (const InvalidArgument& e) {                                                         \
    throw_java(env, g_illegal_argument, e.what());                                           \
  }                                                                                          \
  catch (const NativeFailure& e) {                                                           \
    throw_java(env, g_crf_exception, e.what());                                              \
  }                                                                                          \
  catch (const std::bad_alloc&) {                                                            \
    throw_java(env, g_out_of_memory, "native memory exhausted in the DenseCRF library");     \
  }                                                                                          \
  catch (const std::exception& e) {                                                          \
    throw_java(env, g_crf_exception, std::string("DenseCRF native error: ") + e.what());     \
  }                                                                                          \
  catch (...) {                                                                              \
    throw_java(env, g_crf_exception, "DenseCRF native error of unknown type");               \
  }                                                                                          \
  return fail;

extern "C" {

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM* vm, void*) {
  JNIEnv* env = nullptr;
  if (vm->GetEnv(reinterpret_cast<void**>(&env), JNI_VERSION_1_8) != JNI_OK) return JNI_ERR;
  g_illegal_argument = global_class(env, "java/lang/IllegalArgumentException");
  g_crf_exception = global_class(env, "dev/segment/crf/CrfException");
  g_out_of_memory = global_class(env, "java/lang/OutOfMemoryError");
  if (g_illegal_argument == nullptr || g_crf_exception == nullptr || g_out_of_memory == nullptr) return JNI_ERR;
  return JNI_VERSION_1_8;
}

JNIEXPORT jstring JNICALL Java_dev_segment_crf_CrfLibrary_version(JNIEnv* env, jclass) {
  return env->NewStringUTF(SEGCRF_VERSION);
}

JNIEXPORT jstring JNICALL Java_dev_segment_crf_CrfLibrary_cpuIsa(JNIEnv* env, jclass) {
  return env->NewStringUTF(segcrf::kernels_for_this_cpu().isa);
}

JNIEXPORT jstring JNICALL Java_dev_segment_crf_CrfLibrary_probeCuda(JNIEnv* env, jclass, jstring plugin) {
  API_BEGIN
  const std::string cause = segcrf::CudaBackend::probe(utf(env, plugin));
  return cause.empty() ? nullptr : env->NewStringUTF(cause.c_str());
  API_END(nullptr)
}

JNIEXPORT jlong JNICALL Java_dev_segment_crf_CrfLibrary_create(JNIEnv* env, jclass, jint backend, jint threads,
                                                                 jboolean baseline, jstring plugin) {
  API_BEGIN
  if (threads < 1 || threads > 1024)
    throw InvalidArgument("threads must be in 1..1024, got " + std::to_string(threads));
  auto h = std::make_unique<Handle>();
  std::unique_ptr<segcrf::Backend> inner;
  if (backend == 0) {
    inner = std::make_unique<segcrf::CpuBackend>(threads, baseline == JNI_TRUE);
  } else if (backend == 1) {
    inner = std::make_unique<segcrf::CudaBackend>(utf(env, plugin), threads);
  } else {
    throw InvalidArgument("backend must be 0 (cpu) or 1 (cuda), got " + std::to_string(backend));
  }
  auto pruning = std::make_unique<segcrf::PruningBackend>(std::move(inner));
  h->pruning = pruning.get();
  h->backend = std::move(pruning);
  return static_cast<jlong>(reinterpret_cast<intptr_t>(h.release()));
  API_END(0)
}

JNIEXPORT jstring JNICALL Java_dev_segment_crf_CrfLibrary_backendName(JNIEnv* env, jclass, jlong handle) {
  API_BEGIN
  Handle* h = handle_of(handle);
  return env->NewStringUTF(h->backend->name().c_str());
  API_END(nullptr)
}

JNIEXPORT void JNICALL Java_dev_segment_crf_CrfLibrary_setParams(JNIEnv* env, jclass, jlong handle, jfloat gsxy,
                                                                   jfloat gw, jfloat bsxy, jfloat bsrgb, jfloat bw) {
  API_BEGIN
  Handle* h = handle_of(handle);
  auto positive = [](const char* name, float v) {
    if (!(v > 0.0f) || !std::isfinite(v))
      throw InvalidArgument(std::string(name) + " must be a finite number > 0, got " + std::to_string(v));
  };
  auto weight = [](const char* name, float v) {
    if (!(v >= 0.0f) || !std::isfinite(v))
      throw InvalidArgument(std::string(name) + " must be a finite number >= 0, got " + std::to_string(v));
  };
  positive("gaussianSxy", gsxy);
  weight("gaussianWeight", gw);
  positive("bilateralSxy", bsxy);
  positive("bilateralSrgb", bsrgb);
  weight("bilateralWeight", bw);
  std::lock_guard<std::mutex> lock(h->lock);
  h->backend->set_params(segcrf::CrfParams{gsxy, gw, bsxy, bsrgb, bw});
  API_END()
}

JNIEXPORT void JNICALL Java_dev_segment_crf_CrfLibrary_setScoreGrid(JNIEnv* env, jclass, jlong handle,
                                                                      jint grid_width, jint grid_height,
                                                                      jint input_width, jint input_height,
                                                                      jint stride) {
  API_BEGIN
  Handle* h = handle_of(handle);
  const segcrf::GridGeometry g{grid_width, grid_height, input_width, input_height, stride};
  const std::string problem = segcrf::grid_geometry_problem(g);
  if (!problem.empty()) throw InvalidArgument(problem);
  std::lock_guard<std::mutex> lock(h->lock);
  h->grid = g;
  API_END()
}

JNIEXPORT void JNICALL Java_dev_segment_crf_CrfLibrary_setClassPruning(JNIEnv* env, jclass, jlong handle,
                                                                         jfloat threshold) {
  API_BEGIN
  Handle* h = handle_of(handle);
  if (!(threshold >= 0.0f && threshold <= 1.0f))
    throw InvalidArgument("class pruning threshold must be in [0, 1] (0 = off), got " + std::to_string(threshold));
  std::lock_guard<std::mutex> lock(h->lock);
  h->pruning->set_threshold(threshold);
  API_END()
}

JNIEXPORT void JNICALL Java_dev_segment_crf_CrfLibrary_run(
    JNIEnv* env, jclass, jlong handle, jobject rgb, jlong rgb_offset, jint width, jint height, jint classes,
    jobject scores, jlong scores_offset, jint score_kind, jobject q, jlong q_offset, jint start, jfloat gate,
    jfloat keep, jint radius, jfloat temporal_weight, jfloat temporal_srgb, jint motion_range, jint iterations,
    jobject labels, jlong labels_offset, jdoubleArray kl, jdoubleArray timings) {
  API_BEGIN
  Handle* h = handle_of(handle);
  if (width <= 0 || height <= 0)
    throw InvalidArgument("frame size must be positive, got " + std::to_string(width) + "x" + std::to_string(height));
  const int64_t n = static_cast<int64_t>(width) * height;
  if (n > (int64_t{1} << 26))
    throw InvalidArgument("frame of " + std::to_string(width) + "x" + std::to_string(height) +
                          " pixels exceeds the 67108864-pixel limit");
  if (classes < 1 || classes > segcrf::kMaxClasses)
    throw InvalidArgument("classes must be in 1.." + std::to_string(segcrf::kMaxClasses) + ", got " +
                          std::to_string(classes));
  if (iterations < 0 || iterations > 1000)
    throw InvalidArgument("iterations must be in 0..1000, got " + std::to_string(iterations));
  if (score_kind < 0 || score_kind > 3)
    throw InvalidArgument("score kind must be 0, 1, 2 or 3, got " + std::to_string(score_kind));
  if (start < 0 || start > 2) throw InvalidArgument("start must be 0, 1 or 2, got " + std::to_string(start));
  if (!(gate >= 0.0f && gate <= 1.0f)) throw InvalidArgument("gate must be in [0, 1], got " + std::to_string(gate));
  if (!(keep >= 0.0f && keep <= 1.0f)) throw InvalidArgument("keep must be in [0, 1], got " + std::to_string(keep));
  if (radius < 0 || radius > 1000) throw InvalidArgument("radius must be in 0..1000, got " + std::to_string(radius));
  if (!(temporal_weight >= 0.0f && temporal_weight <= 100.0f))
    throw InvalidArgument("temporal weight must be in [0, 100], got " + std::to_string(temporal_weight));
  if (!(temporal_srgb > 0.0f && temporal_srgb <= 1000.0f))
    throw InvalidArgument("temporal srgb must be in (0, 1000], got " + std::to_string(temporal_srgb));
  if (motion_range < 0 || motion_range > 256)
    throw InvalidArgument("motion range must be in 0..256, got " + std::to_string(motion_range));
  if (n * classes > (int64_t{1} << 31) - 1)
    throw InvalidArgument("frame of " + std::to_string(n) + " pixels x " + std::to_string(classes) +
                          " classes exceeds 2^31 - 1 values");

  segcrf::FrameRequest r;
  r.width = width;
  r.height = height;
  r.classes = classes;
  r.rgb = direct<const uint8_t>(env, rgb, rgb_offset, n * 3, "rgb", false);
  r.kind = static_cast<segcrf::ScoreKind>(score_kind);
  if (r.kind == segcrf::ScoreKind::kLogitGrid) {
    std::lock_guard<std::mutex> lock(h->lock);
    r.grid = h->grid;
  }
  if (r.kind == segcrf::ScoreKind::kLogitGrid) {
    const std::string problem = segcrf::grid_geometry_problem(r.grid);
    if (!problem.empty()) throw InvalidArgument("score kind 3 (logits grid) needs setScoreGrid first: " + problem);
    const int64_t cells = static_cast<int64_t>(r.grid.grid_width) * r.grid.grid_height;
    r.scores = direct<const float>(env, scores, scores_offset, cells * classes, "scores (logits grid)", false);
  } else {
    r.scores = direct<const float>(env, scores, scores_offset, n * classes, "scores", false);
  }
  r.start = static_cast<segcrf::Start>(start);
  r.q = direct<float>(env, q, q_offset, n * classes, "q", r.start == segcrf::Start::kCold);
  r.gate = gate;
  r.keep = keep;
  r.radius = radius;
  r.temporal_weight = temporal_weight;
  r.temporal_srgb = temporal_srgb;
  r.motion_range = motion_range;
  r.iterations = iterations;
  r.labels = direct<uint8_t>(env, labels, labels_offset, n, "labels", true);
  if (classes > 256 && r.labels != nullptr) throw InvalidArgument("labels need classes <= 256");
  double kl_values[1001];
  if (kl != nullptr) {
    if (env->GetArrayLength(kl) < iterations + 1)
      throw InvalidArgument("kl array needs " + std::to_string(iterations + 1) + " elements, has " +
                            std::to_string(env->GetArrayLength(kl)));
    r.kl = kl_values;
  }
  if (timings != nullptr && env->GetArrayLength(timings) < 6)
    throw InvalidArgument("timings array needs 6 elements, has " + std::to_string(env->GetArrayLength(timings)));

  segcrf::FrameTimings t;
  int classes_run = classes;
  {
    std::lock_guard<std::mutex> lock(h->lock);
    h->backend->run(r, t);
    classes_run = h->pruning->last_classes();
  }
  if (kl != nullptr) env->SetDoubleArrayRegion(kl, 0, iterations + 1, kl_values);
  if (timings != nullptr) {
    const jdouble values[7] = {t.lattice_ms, t.init_ms,          t.iterations_ms,
                               t.total_ms,   double(t.shift_x), double(t.shift_y),
                               double(classes_run)};
    env->SetDoubleArrayRegion(timings, 0, std::min<jsize>(7, env->GetArrayLength(timings)), values);
  }
  API_END()
}

JNIEXPORT void JNICALL Java_dev_segment_crf_CrfLibrary_destroy(JNIEnv* env, jclass, jlong handle) {
  API_BEGIN
  if (handle == 0) return;
  delete handle_of(handle);
  API_END()
}

}  // extern "C"
