// The CPU mean-field kernels, compiled once per instruction set (x86-64-v2 baseline and x86-64-v3 with AVX2/FMA) and
// chosen at run time. Values are pixel-major with `cp` floats per pixel or lattice row (classes padded to a multiple
// of 8, the padding carrying zero probability).
#ifndef SEGCRF_KERNELS_H
#define SEGCRF_KERNELS_H

#include <cstdint>

namespace segcrf {

// Unary value of the padding channels: their exp is exactly 0.
constexpr float kPaddingNegUnary = -1e30f;
// Largest number of classes (keeps per-pixel scratch on the stack).
constexpr int kMaxClasses = 256;

// One kernel's lattice as the slice step reads it.
struct SliceView {
  int d1;                   // vertices per pixel (d + 1)
  const int32_t* offset;    // n * d1 rows
  const float* weight;      // n * d1 slice weights (barycentric * alpha * norm * kernel weight)
  const float* rows;        // blurred lattice values, (m + 1) * cp
};

// One kernel's lattice as a splat writes it: rows[(offset - row_base) * cp] += weight * q.
struct SplatTarget {
  int d1;
  const int32_t* offset;
  const float* weight;
  float* rows;
  int32_t row_base;
};

struct KernelTable {
  const char* isa;
  // rows[(offset - row_base) * cp] += w * q[i * cp] for pixels [begin, end).
  void (*splat)(int cp, const float* q, const int32_t* offset, const float* w, int d1, int64_t begin, int64_t end,
                float* rows, int32_t row_base);
  // The same for several kernels in one pass over q (q is read once).
  void (*splat_multi)(int cp, const float* q, const SplatTarget* targets, int ntargets, int64_t begin, int64_t end);
  // dst[k] += src[k] for k in [0, count).
  void (*accumulate)(float* dst, const float* src, int64_t count);
  // dst row p+1 = src row p+1 + (src[left] + src[right]) / 2 for lattice points [begin, end).
  void (*blur)(int cp, const float* src, float* dst, const int32_t* neighbours, int64_t begin, int64_t end);
  // For pixels [begin, end): T = -U + sum of the views' slices; adds KL(Q_old) terms when want_kl; Q = softmax(T)
  // when write_q, and then splats the new Q into `targets` (the next iteration's lattices; ntargets may be 0). The
  // new Q is stored in q only when store_q: an iteration whose Q only feeds the next splat (fused, from registers)
  // skips the write of n * cp floats. Returns the KL partial sum (0 without want_kl).
  double (*update)(int cp, int classes, const float* neg_u, float* q, const SliceView* views, int nviews,
                   bool want_kl, bool write_q, bool store_q, const SplatTarget* targets, int ntargets, int64_t begin,
                   int64_t end);
  // neg_u (padded) from caller scores of the given kind (backend.h ScoreKind, as int): -u for unaries,
  // log(max(p, 1e-5)) for probabilities, log(max(softmax(l), 1e-5)) for logits.
  void (*load_scores)(int cp, int classes, const float* scores, int kind, float* neg_u, int64_t begin,
                      int64_t end);
  // Padded q from the caller's q (zero padding).
  void (*load_q)(int cp, int classes, const float* src, float* q, int64_t begin, int64_t end);
  // The warm start's kernels read the previous frame's values of pixel i at index i - prev_shift (the camera shift,
  // motion.h, as a pixel offset); the caller passes only pixels whose previous position lies inside the frame.
  //
  // Warm start, step 1, for pixels [begin, end): fresh[i] = whether pixel i's evidence changed from the previous
  // frame's (p and p_prev = softmax(-U) of both frames, padded; crf_math.h warm_fresh_from) and, when rgb is not
  // null, the temporal term's weight w[i] and changed[i] (crf_math.h temporal_weight_from, temporal_changed).
  void (*warm_gate)(int cp, int classes, const float* p, const float* p_prev, float gate, uint8_t* fresh,
                    const uint8_t* rgb, const uint8_t* rgb_prev, float weight, float inv_two_srgb2, float* w,
                    uint8_t* changed, int64_t prev_shift, int64_t begin, int64_t end);
  // Warm start, step 3: q = p where fresh, else (1 - keep) p + keep prev (p padded, prev the caller's Q; q may be p).
  void (*warm_mix)(int cp, int classes, const float* p, const float* prev, const uint8_t* fresh, float keep,
                   float* q, int64_t prev_shift, int64_t begin, int64_t end);
  // Temporal term, step 3 (after the changed mask was dilated, step 2): eff = neg_u + w_i * prev where the dilated
  // mask is 0, eff = neg_u where it is 1; prev is the caller's Q (classes per pixel).
  void (*temporal_unary)(int cp, int classes, const float* neg_u, const float* prev, const float* w,
                         const uint8_t* changed, float* eff, int64_t prev_shift, int64_t begin, int64_t end);
  // The caller's q and labels (either may be null) from the padded q.
  void (*store)(int cp, int classes, const float* q, float* dst, uint8_t* labels, int64_t begin, int64_t end);
};

const KernelTable& kernels_v2();
const KernelTable& kernels_v3();
// The best table this CPU runs; `baseline` (or SEGCRF_ISA=v2 in the environment) forces x86-64-v2.
const KernelTable& kernels_for_this_cpu(bool baseline = false);

inline int padded_classes(int classes) { return (classes + 7) / 8 * 8; }

}  // namespace segcrf

#endif
