// Error types thrown by the native code; the JNI layer maps each to a Java exception class.
#ifndef SEGCRF_ERRORS_H
#define SEGCRF_ERRORS_H

#include <stdexcept>
#include <string>

namespace segcrf {

// A caller passed a bad argument (shape, size, null buffer): IllegalArgumentException in Java.
struct InvalidArgument : std::invalid_argument {
  explicit InvalidArgument(const std::string& what) : std::invalid_argument(what) {}
};

// The native side cannot do what was asked (CUDA missing, out of memory, ...): CrfException in Java.
struct NativeFailure : std::runtime_error {
  explicit NativeFailure(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace segcrf

#endif
