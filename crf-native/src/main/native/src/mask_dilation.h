// Dilation of a per-pixel 0/1 mask by a square of radius r (separable: rows, then columns), on the CPU.
#ifndef SEGCRF_MASK_DILATION_H
#define SEGCRF_MASK_DILATION_H

#include <cstdint>
#include <vector>

#include "thread_pool.h"

namespace segcrf {

// mask (width * height) becomes 1 wherever a 1 lies within `radius` pixels in x and in y; tmp is scratch.
void dilate_mask(uint8_t* mask, int width, int height, int radius, std::vector<uint8_t>& tmp, ThreadPool& pool);

}  // namespace segcrf

#endif
