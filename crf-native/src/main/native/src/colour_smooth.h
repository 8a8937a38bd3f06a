// The colour the warm start's temporal term compares between frames: each pixel's 3x3 mean.
#ifndef SEGCRF_COLOUR_SMOOTH_H
#define SEGCRF_COLOUR_SMOOTH_H

#include <cstdint>

#include "thread_pool.h"

namespace segcrf {

// out (width * height * 3) = the 3x3 box mean of rgb per channel, edges replicated, rounded to nearest. Camera and
// codec noise that moves single pixels by more than the term's colour scale (H.264 at CRF 23 with grain, measured on
// the annotated pan) averages down by 3, while a moving edge or an object that arrives still changes the mean. Run on
// the host for both backends, so the CPU and the CUDA term compare the same values.
void box_mean3(const uint8_t* rgb, int width, int height, uint8_t* out, ThreadPool& pool);

}  // namespace segcrf

#endif
