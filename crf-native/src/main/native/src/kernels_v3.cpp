// AVX2 + FMA kernels (x86-64-v3); chosen only when the CPU reports both.
#define SEGCRF_KERNEL_NS v3
#define SEGCRF_ISA "x86-64-v3 (AVX2, FMA)"
#define SEGCRF_LANES 8
#include "kernels_impl.inc"

namespace segcrf {
const KernelTable& kernels_v3() { return v3::table(); }
}  // namespace segcrf
