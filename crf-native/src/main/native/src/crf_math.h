// Per-element math of the DenseCRF, shared verbatim by the CPU kernels and the CUDA kernels.
//
// Everything here works on one pixel or one lattice point, so the CPU tests exercise exactly the arithmetic the GPU
// runs. Functions have internal linkage on the host (static inline): the CPU kernels are compiled twice with
// different instruction sets, and each copy must get its own instance.
#ifndef SEGCRF_CRF_MATH_H
#define SEGCRF_CRF_MATH_H

#include <math.h>
#include <stdint.h>

#if defined(__CUDACC__)
#define CRF_HD static __host__ __device__ __forceinline__
#else
#define CRF_HD static inline __attribute__((always_inline))
#endif

namespace segcrf {
namespace math {

// Largest feature dimension the lattice supports (keys hold d coordinates of 16 bits in 128 bits).
constexpr int kMaxDim = 7;
// Probabilities are clamped here before the log, as the reference does.
constexpr float kMinProbability = 1e-5f;
// Key coordinates must fit in int16; elevated coordinates beyond this are refused by the lattice builder.
constexpr float kMaxElevated = 32000.0f;

// IEEE single operations without contraction into FMA, so that host and device round the same way in the lattice
// embedding (where a different rounding can move a point into another simplex).
CRF_HD float mul_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fmul_rn(a, b);
#else
  return a * b;
#endif
}
CRF_HD float add_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fadd_rn(a, b);
#else
  return a + b;
#endif
}
CRF_HD float sub_rn(float a, float b) {
#if defined(__CUDA_ARCH__)
  return __fsub_rn(a, b);
#else
  return a - b;
#endif
}

// Lane-wise helpers so that exp_approx_t below is one definition for float (host and device) and for the CPU
// kernels' 8-lane vectors (host only, see kernels_impl.inc).
CRF_HD float lane_min(float a, float b) { return a < b ? a : b; }
CRF_HD float lane_max(float a, float b) { return a > b ? a : b; }
// Largest integer <= x for |x| < 2^23, as a float.
CRF_HD float lane_floor(float x) { return floorf(x); }
// 2^n for integral n in [-126, 127].
CRF_HD float lane_pow2(float n) {
  union {
    int32_t i;
    float f;
  } u;
  u.i = (static_cast<int32_t>(n) + 127) << 23;
  return u.f;
}
// x where keep, else 0.
CRF_HD float lane_zero_below(float x, float v, float limit) { return v < limit ? 0.0f : x; }

#if !defined(__CUDACC__)
// The CPU kernels' vectors (GCC vector extensions): 4 lanes for the x86-64-v2 build (SSE), 8 for v3 (AVX2).
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v4i __attribute__((vector_size(16)));
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v8i __attribute__((vector_size(32)));

#define SEGCRF_LANE_OPS(VF, VI)                                                                     \
  CRF_HD VF lane_min(VF a, VF b) { return a < b ? a : b; }                                          \
  CRF_HD VF lane_max(VF a, VF b) { return a > b ? a : b; }                                          \
  CRF_HD VF lane_floor(VF x) {                                                                      \
    const VF t = __builtin_convertvector(__builtin_convertvector(x, VI), VF); /* truncation */     \
    return t > x ? t - 1.0f : t;                                                                    \
  }                                                                                                 \
  CRF_HD VF lane_pow2(VF n) { return (VF)((__builtin_convertvector(n, VI) + 127) << 23); }         \
  CRF_HD VF lane_zero_below(VF x, VF v, float limit) { return v < (VF{} + limit) ? VF{} : x; }
SEGCRF_LANE_OPS(v4f, v4i)
SEGCRF_LANE_OPS(v8f, v8i)
#undef SEGCRF_LANE_OPS
#endif

// exp(x) with relative error below 2e-7 on [-87, 88]; exactly 0 below -87 (also for -inf), so padded channels carry
// no mass. Range reduction x = n ln2 + r, |r| <= ln2/2, then a degree 5 minimax polynomial for e^r (the
// coefficients of the classic single-precision Cephes expf).
template <typename F>
CRF_HD F exp_approx_t(F x) {
  const F xc = lane_max(lane_min(x, F{} + 88.0f), F{} - 87.0f);
  const F n = lane_floor(xc * 1.44269504088896341f + 0.5f);
  F r = xc - n * 0.693359375f;
  r = r + n * 2.12194440e-4f;
  const F r2 = r * r;
  F p = F{} + 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const F e = p * r2 + r + 1.0f;
  return lane_zero_below(e * lane_pow2(n), x, -87.0f);
}

CRF_HD float exp_approx(float x) { return exp_approx_t<float>(x); }

// log(x) for normal positive x with relative error below 3e-7 (Cephes logf's polynomial on [sqrt(1/2), sqrt(2))).
CRF_HD float log_approx(float x) {
  union {
    float f;
    int32_t i;
  } u;
  u.f = x;
  int32_t e = ((u.i >> 23) & 0xff) - 126;
  u.i = (u.i & 0x007fffff) | 0x3f000000;  // mantissa in [0.5, 1)
  float m = u.f;
  const bool small = m < 0.707106781186547524f;
  e = small ? e - 1 : e;
  m = small ? m + m - 1.0f : m - 1.0f;
  const float z = m * m;
  float y = 7.0376836292e-2f;
  y = y * m - 1.1514610310e-1f;
  y = y * m + 1.1676998740e-1f;
  y = y * m - 1.2420140846e-1f;
  y = y * m + 1.4249322787e-1f;
  y = y * m - 1.6668057665e-1f;
  y = y * m + 2.0000714765e-1f;
  y = y * m - 2.4999993993e-1f;
  y = y * m + 3.3333331174e-1f;
  y = y * m * z;
  const float fe = static_cast<float>(e);
  y = y + fe * -2.12194440e-4f;
  y = y - 0.5f * z;
  return m + y + fe * 0.693359375f;
}

// -U = log(max(p, 1e-5)): the unary the reference derives from probabilities.
CRF_HD float neg_unary_from_probability(float p) {
  return log_approx(p > kMinProbability ? p : kMinProbability);
}

// log(1e-5): the smallest -U the clamp allows.
constexpr float kLogMinProbability = -11.512925465f;

// -U from logits l[0..n): log(max(softmax(l), 1e-5)), computed as max(l - logsumexp(l), log(1e-5)) (the same unary
// as neg_unary_from_probability of the softmax, without n logarithms). The GPU runs this; the CPU kernels take the
// same steps on vectors (kernels_impl.inc load_scores_t).
CRF_HD void neg_unary_from_logits(const float* l, float* neg_u, int n) {
  float mx = l[0];
  for (int c = 1; c < n; ++c) mx = l[c] > mx ? l[c] : mx;
  float sum = 0.0f;
  for (int c = 0; c < n; ++c) sum += exp_approx(l[c] - mx);
  const float lse = mx + log_approx(sum);
  for (int c = 0; c < n; ++c) {
    const float v = l[c] - lse;
    neg_u[c] = v > kLogMinProbability ? v : kLogMinProbability;
  }
}

// In-place softmax of t[0..n) into q[0..n): subtract the maximum, exponentiate, normalise.
CRF_HD void softmax(const float* t, float* q, int n) {
  float mx = t[0];
  for (int c = 1; c < n; ++c) mx = t[c] > mx ? t[c] : mx;
  float sum = 0.0f;
  for (int c = 0; c < n; ++c) {
    const float e = exp_approx(t[c] - mx);
    q[c] = e;
    sum += e;
  }
  const float inv = 1.0f / sum;
  for (int c = 0; c < n; ++c) q[c] *= inv;
}

// One pixel's contribution to the KL divergence the reference prints: sum_c Q log Q - Q.T, where T = -U + messages
// computed from this same Q (sum Q.U + sum_k Q.(-w_k n K_k n Q) = -Q.T).
CRF_HD double kl_term(const float* q, const float* t, int n) {
  double s = 0.0;
  for (int c = 0; c < n; ++c) {
    const float qc = q[c];
    if (qc > 0.0f) s += static_cast<double>(qc) * (log(static_cast<double>(qc > 1e-20f ? qc : 1e-20f)) - t[c]);
  }
  return s;
}

// Index of the largest value; the first one on ties (as numpy's argmax).
CRF_HD int argmax(const float* q, int n) {
  int best = 0;
  for (int c = 1; c < n; ++c)
    if (q[c] > q[best]) best = c;
  return best;
}

// Warm start, step 1, per pixel: p = softmax(-U_t) and p_prev = softmax(-U_(t-1)), the evidence of this frame and
// of the previous one. The pixel is "fresh" (drops its previous Q) where the evidence changed: another label, or a
// total-variation distance above `gate`. A new object's pixels and those of an object that left are fresh; where the
// evidence stayed, Q_(t-1) (which the CRF has already moved away from p where it matters) is carried over. Comparing
// p with Q_(t-1) instead would restart exactly the pixels the CRF corrected, every frame.
// The decision takes sum |p - p_prev| and both argmaxes, which the CPU kernels compute with vectors and the GPU with
// the scalar helpers below.
CRF_HD bool warm_fresh_from(float abs_diff_sum, int label, int prev_label, float gate) {
  return 0.5f * abs_diff_sum > gate || label != prev_label;
}

CRF_HD float abs_diff_sum(const float* p, const float* p_prev, int n) {
  float s = 0.0f;
  for (int c = 0; c < n; ++c) s += fabsf(p[c] - p_prev[c]);
  return s;
}

CRF_HD bool warm_is_fresh(const float* p, const float* p_prev, int n, float gate) {
  return warm_fresh_from(abs_diff_sum(p, p_prev, n), argmax(p, n), argmax(p_prev, n), gate);
}

// Warm start, step 3 (after the fresh mask was dilated, step 2): a fresh pixel starts from the new evidence p as in a
// cold start; elsewhere from (1 - keep) p + keep prev.
CRF_HD void warm_mix(const float* p, const float* prev, float* q, int n, bool fresh, float keep) {
  const float k = fresh ? 0.0f : keep;
  for (int c = 0; c < n; ++c) q[c] = (1.0f - k) * p[c] + k * prev[c];
}

// Temporal term: a Potts edge between pixel i in this frame and the same pixel in the previous one, with a Gaussian
// kernel on the pixel's colour change, in mean field with the previous frame's Q held fixed. It adds
// weight * exp(-|rgb - rgb_prev|^2 / (2 srgb^2)) * Q_prev(l) to -U(l), rgb being the pixel's 3x3 mean colour
// (colour_smooth.h, computed by the host for both backends): where the image did not change, the previous
// result pulls the label towards itself (the model's frame-to-frame noise at object boundaries stops flipping labels);
// where the pixel's colour changed (motion, a new object, one that left) the kernel is ~0 and only this frame's
// evidence counts. Where the evidence itself changed by more than the gate's distance the term is off too, so a
// changed prediction over an unchanged image (an object the model just recognised) is never held back. Returns the
// per-pixel weight of Q_prev (0 = off). Pixels where it is below half the full weight count as changed
// (temporal_changed); the caller switches the term off within the gate's radius of them too, so that the unchanged
// pixels next to an object that moved or left do not hold on to its label.
CRF_HD float temporal_weight_from(float abs_diff_sum, float gate, const uint8_t* rgb, const uint8_t* rgb_prev,
                                  float weight, float inv_two_srgb2) {
  if (0.5f * abs_diff_sum > gate) return 0.0f;
  float d2 = 0.0f;
  for (int c = 0; c < 3; ++c) {
    const float d = static_cast<float>(rgb[c]) - static_cast<float>(rgb_prev[c]);
    d2 += d * d;
  }
  return weight * expf(-d2 * inv_two_srgb2);
}

CRF_HD float temporal_weight(const float* p, const float* p_prev, int n, float gate, const uint8_t* rgb,
                             const uint8_t* rgb_prev, float weight, float inv_two_srgb2) {
  return temporal_weight_from(abs_diff_sum(p, p_prev, n), gate, rgb, rgb_prev, weight, inv_two_srgb2);
}

CRF_HD bool temporal_changed(float w, float weight) { return w < 0.5f * weight; }

// Camera shift of the warm start (motion.h): the content at (x, y) was at (x - dx, y - dy) in the previous frame.
// The columns [*x_lo, *x_hi) of row y have that position inside the previous frame (none when row y - dy is outside);
// the other pixels have no previous state and start as in a cold start, without the temporal term.
CRF_HD void shifted_columns(int y, int width, int height, int dx, int dy, int* x_lo, int* x_hi) {
  const bool row_inside = y - dy >= 0 && y - dy < height;
  *x_lo = dx > 0 ? dx : 0;
  *x_hi = row_inside ? (dx < 0 ? width + dx : width) : *x_lo;
}

// One blur step along one lattice direction: new = old + (left + right) / 2.
template <typename F>
CRF_HD F blur_value(F self, F left, F right) {
  return self + 0.5f * (left + right);
}

// Scale factors of the elevation matrix E (Adams et al. 2010, p. 5), for a d-dimensional feature.
static inline void lattice_scale_factors(int d, float* scale) {
  const float inv_std_dev = static_cast<float>(sqrt(2.0 / 3.0) * (d + 1));
  for (int i = 0; i < d; ++i) scale[i] = static_cast<float>(1.0 / sqrt(static_cast<double>((i + 2) * (i + 1))) * inv_std_dev);
}

// Normalisation constant of the lattice filter, alpha = 1 / (1 + 2^-d).
static inline float lattice_alpha(int d) { return 1.0f / (1.0f + powf(2.0f, static_cast<float>(-d))); }

// Embeds one D-dimensional feature f into the permutohedral lattice: the remainder-0 vertex rem0 of the enclosing
// simplex (D+1 coordinates, multiples of D+1), the rank of each coordinate, and the barycentric weights of the D+1
// vertices (bary[0..D]). Returns false when the elevated coordinates do not fit the 16-bit keys.
template <int D>
CRF_HD bool lattice_embed(const float* f, const float* scale, int* rem0, int* rank, float* bary) {
  float elevated[D + 1];
  float sm = 0.0f;
  for (int j = D; j > 0; --j) {
    const float cf = mul_rn(f[j - 1], scale[j - 1]);
    elevated[j] = sub_rn(sm, mul_rn(static_cast<float>(j), cf));
    sm = add_rn(sm, cf);
  }
  elevated[0] = sm;
  bool ok = true;
  const float down = 1.0f / (D + 1);
  const float up = static_cast<float>(D + 1);
  float rem[D + 1];
  float sum = 0.0f;
  for (int i = 0; i <= D; ++i) {
    ok = ok && fabsf(elevated[i]) < kMaxElevated;
    const float v = rintf(mul_rn(down, elevated[i]));  // nearest, ties to even
    rem[i] = mul_rn(v, up);
    sum = add_rn(sum, v);
  }
  int rk[D + 1];
  for (int i = 0; i <= D; ++i) rk[i] = 0;
  // Branch-free: which of two coordinates ranks higher is data-dependent and mispredicts half the time.
  float diff[D + 1];
  for (int i = 0; i <= D; ++i) diff[i] = sub_rn(elevated[i], rem[i]);
  for (int i = 0; i < D; ++i) {
    for (int j = i + 1; j <= D; ++j) {
      const int lower = diff[i] < diff[j] ? 1 : 0;
      rk[i] += lower;
      rk[j] += 1 - lower;
    }
  }
  const int s = static_cast<int>(sum);
  for (int i = 0; i <= D; ++i) {
    rk[i] += s;
    const bool under = rk[i] < 0;
    const bool over = rk[i] > D;
    rk[i] += under ? D + 1 : (over ? -(D + 1) : 0);
    const float up_rem = add_rn(rem[i], up);
    const float down_rem = sub_rn(rem[i], up);
    rem[i] = under ? up_rem : (over ? down_rem : rem[i]);
  }
  float b[D + 2];
  for (int i = 0; i < D + 2; ++i) b[i] = 0.0f;
  for (int i = 0; i <= D; ++i) {
    const float v = mul_rn(sub_rn(elevated[i], rem[i]), down);
    b[D - rk[i]] = add_rn(b[D - rk[i]], v);
    b[D - rk[i] + 1] = sub_rn(b[D - rk[i] + 1], v);
  }
  b[0] = add_rn(b[0], add_rn(1.0f, b[D + 1]));
  for (int i = 0; i <= D; ++i) {
    rem0[i] = static_cast<int>(rem[i]);
    rank[i] = rk[i];
    bary[i] = b[i];
  }
  return ok;
}

// Coordinate i (< D) of the simplex vertex with the given remainder (0..D).
CRF_HD int lattice_vertex_coord(int rem0_i, int rank_i, int remainder, int D) {
  return rem0_i + (rank_i <= D - remainder ? remainder : remainder - (D + 1));
}

}  // namespace math
}  // namespace segcrf

#endif  // SEGCRF_CRF_MATH_H
