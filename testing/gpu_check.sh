#!/bin/bash
# Checks the CRF's CUDA backend against its CPU backend (crf-native/README.md, "Checking a GPU"): builds crf_check
# (and the CUDA plugin libsegcrf_cuda.so when nvcc is found) with CMake if it is not built yet, runs it and exits
# with its status: 0 CUDA agrees with the CPU, 1 it differs, 2 bad input, 3 the CPU does not match the fixtures,
# 4 no usable GPU, 5 a CUDA run failed.
#   testing/gpu_check.sh [crf_check options]     (testing/gpu_check.sh --help lists them)
# The program is taken from $SEGMENT_CRF_CHECK_DIR, else crf-native/target/classes/native/linux-x86_64 (Maven's
# build), else crf-native/target/gpu-check (this script's build; needs cmake 3.18+ and g++, no Maven, no JDK).
# GPU_CHECK_BUILD=1 builds into crf-native/target/gpu-check whatever exists (e.g. for another GPU architecture or an
# older glibc). Build settings: SEGCRF_CUDA_ARCHITECTURES (default "90-real;90-virtual"; "native" = this machine's
# GPU, 80 = A100, ...), JOBS (parallel compile jobs, default all cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
maven_dir=$root/crf-native/target/classes/native/linux-x86_64
own_dir=$root/crf-native/target/gpu-check
build=$root/crf-native/target/gpu-check-build

if [ -n "${SEGMENT_CRF_CHECK_DIR:-}" ]; then
  dir=$SEGMENT_CRF_CHECK_DIR
  if [ ! -x "$dir/crf_check" ]; then
    echo "gpu_check: SEGMENT_CRF_CHECK_DIR=$dir has no crf_check" >&2
    exit 2
  fi
elif [ "${GPU_CHECK_BUILD:-0}" != 1 ] && [ -x "$maven_dir/crf_check" ]; then
  dir=$maven_dir
elif [ "${GPU_CHECK_BUILD:-0}" != 1 ] && [ -x "$own_dir/crf_check" ]; then
  dir=$own_dir
else
  dir=$own_dir
  for tool in cmake g++; do
    if ! command -v "$tool" >/dev/null; then
      echo "gpu_check: crf_check is not built and $tool is missing (Debian package: $tool)" >&2
      exit 2
    fi
  done
  mkdir -p "$build"
  log=$build/build.log
  echo "gpu_check: building crf_check into $dir (log: $log)"
  if ! { cmake -S "$root/crf-native/src/main/native" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSEGCRF_JNI=OFF \
           -DSEGCRF_OUTPUT_DIR="$dir" ${SEGCRF_CUDA_ARCHITECTURES:+"-DSEGCRF_CUDA_ARCHITECTURES=$SEGCRF_CUDA_ARCHITECTURES"} \
         && cmake --build "$build" --parallel "${JOBS:-$(nproc)}"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    echo "gpu_check: the build failed (log: $log)" >&2
    exit 2
  fi
  if [ -f "$dir/libsegcrf_cuda.so" ]; then
    echo "gpu_check: built crf_check and libsegcrf_cuda.so"
  else
    echo "gpu_check: built crf_check; nvcc was not found, so libsegcrf_cuda.so is not built"
  fi
fi
exec "$dir/crf_check" "$@"
