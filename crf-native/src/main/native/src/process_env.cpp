// JNI entry points of dev.segment.crf.NativeProcess: process-wide settings that only C can change (the C environment,
// file descriptor 2). No entry point throws: they report whether the change was made.
#include <fcntl.h>
#include <jni.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

std::string utf(JNIEnv* env, jstring s) {
  if (s == nullptr) return std::string();
  const char* chars = env->GetStringUTFChars(s, nullptr);
  if (chars == nullptr) return std::string();
  std::string out(chars);
  env->ReleaseStringUTFChars(s, chars);
  return out;
}

}  // namespace

extern "C" {

JNIEXPORT jboolean JNICALL Java_dev_segment_crf_NativeProcess_setenvIfUnset0(JNIEnv* env, jclass, jstring name,
                                                                              jstring value) {
  const std::string n = utf(env, name);
  const std::string v = utf(env, value);
  if (n.empty() || n.find('=') != std::string::npos) return JNI_FALSE;
  return setenv(n.c_str(), v.c_str(), 0) == 0 ? JNI_TRUE : JNI_FALSE;
}

// Points file descriptor 2 at a file (created or truncated) and returns a duplicate of the previous one, -1 on failure.
JNIEXPORT jint JNICALL Java_dev_segment_crf_NativeProcess_redirectStderr0(JNIEnv* env, jclass, jstring path) {
  const std::string p = utf(env, path);
  std::fflush(stderr);
  const int saved = dup(2);
  if (saved < 0) return -1;
  const int fd = open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0 || dup2(fd, 2) < 0) {
    if (fd >= 0) close(fd);
    close(saved);
    return -1;
  }
  close(fd);
  return saved;
}

JNIEXPORT jboolean JNICALL Java_dev_segment_crf_NativeProcess_restoreStderr0(JNIEnv*, jclass, jint saved) {
  std::fflush(stderr);
  const bool ok = dup2(saved, 2) >= 0;
  close(saved);
  return ok ? JNI_TRUE : JNI_FALSE;
}

}  // extern "C"
