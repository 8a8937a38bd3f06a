// Baseline kernels: x86-64-v2 (SSE4.2), runs on any x86-64 CPU of the last fifteen years.
#define SEGCRF_KERNEL_NS v2
#define SEGCRF_ISA "x86-64-v2"
#define SEGCRF_LANES 4
#include "kernels_impl.inc"

namespace segcrf {
const KernelTable& kernels_v2() { return v2::table(); }
}  // namespace segcrf
