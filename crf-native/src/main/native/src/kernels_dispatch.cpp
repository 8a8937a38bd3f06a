#include <cstdlib>
#include <cstring>

#include "kernels.h"

namespace segcrf {

const KernelTable& kernels_for_this_cpu(bool baseline) {
  const char* forced = std::getenv("SEGCRF_ISA");
  if (baseline || (forced != nullptr && std::strcmp(forced, "v2") == 0)) return kernels_v2();
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return kernels_v3();
  return kernels_v2();
}

}  // namespace segcrf
