#include "cpu_backend.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "crf_math.h"
#include "mask_dilation.h"

namespace segcrf {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// neg_u of pixels [begin, end) from the logits grid: each output row's stretch is upsampled into a small buffer of
// the calling thread (one row at most, cache-resident) and goes through the logits softmax from there.
void load_grid_logits(const LogitUpsampler& up, const KernelTable& kernels, int cp, int classes, const float* grid,
                      float* neg_u, int64_t begin, int64_t end) {
  thread_local std::vector<float> logits;
  thread_local std::vector<float> scratch;
  const int64_t w = up.width();
  if (logits.size() < static_cast<size_t>(w * classes)) logits.resize(static_cast<size_t>(w * classes));
  for (int64_t i = begin; i < end;) {
    const int64_t stop = std::min(end, (i / w + 1) * w);
    up.logits(grid, i, stop, logits.data(), scratch);
    kernels.load_scores(cp, classes, logits.data(), static_cast<int>(ScoreKind::kLogits), neg_u + i * cp, 0,
                        stop - i);
    i = stop;
  }
}

template <typename T>
void ensure_size(BigVector<T>& v, size_t n) {
  if (v.size() < n) v.resize(n);
}

// Splits the pixels [begin, end) into runs: inside(b, e) for those whose position in the previous frame under the
// camera shift lies inside it (crf_math.h shifted_columns), outside(b, e) for the others.
template <typename Inside, typename Outside>
void split_by_shift(int width, int height, Shift s, int64_t begin, int64_t end, Inside inside, Outside outside) {
  if (s.dx == 0 && s.dy == 0) {
    inside(begin, end);
    return;
  }
  for (int64_t y = begin / width; y * width < end; ++y) {
    int lo = 0, hi = 0;
    math::shifted_columns(static_cast<int>(y), width, height, s.dx, s.dy, &lo, &hi);
    lo = std::min(lo, width);
    hi = std::max(hi, lo);
    const int64_t row = y * width;
    const int64_t a = std::max(begin, row), b = std::min(end, row + width);
    const int64_t in_a = std::max(a, row + lo), in_b = std::min(b, row + hi);
    if (in_a >= in_b) {
      outside(a, b);
      continue;
    }
    if (a < in_a) outside(a, in_a);
    inside(in_a, in_b);
    if (in_b < b) outside(in_b, b);
  }
}

}  // namespace

CpuBackend::CpuBackend(int threads, bool baseline) : pool_(threads), kernels_(kernels_for_this_cpu(baseline)) {}

std::string CpuBackend::name() const {
  return std::string("cpu (") + kernels_.isa + ", " + std::to_string(pool_.size()) + " threads)";
}

void CpuBackend::begin_splat(const PreparedKernel* const* kernels, int count, int cp) {
  // The splat target is the buffer not holding the latest blurred rows (those may still be read by the slice).
  const int parts = kernels[0]->lattice().parts();
  for (int k = 0; k < count; ++k) {
    const Lattice& lat = kernels[k]->lattice();
    Buffers& buf = buffers_[k];
    const int64_t rows = static_cast<int64_t>(lat.m) + 1;
    const size_t size = static_cast<size_t>(rows) * cp;
    if (buf.rows[0].size() < size) {
      buf.rows[0].assign(size, 0.0f);
      buf.rows[1].assign(size, 0.0f);
      buf.result = 1;
    }
    if (static_cast<int>(buf.parts.size()) < parts) buf.parts.resize(parts);
    buf.target = 1 - buf.result;
    float* t = buf.rows[buf.target].data();
    std::memset(buf.rows[buf.result].data(), 0, sizeof(float) * cp);  // row 0 stays "no neighbour"
    pool_.parallel_for(rows * cp, 1 << 16, [&](int64_t begin, int64_t end) {
      std::memset(t + begin, 0, sizeof(float) * (end - begin));
    });
  }
}

int CpuBackend::splat_targets(const PreparedKernel* const* kernels, int count, int cp, int p, SplatTarget* targets) {
  // Partition 0 splats into the target rows, the others into private rows (zeroed here), added in partition order
  // by finish_filter (the same order for a given thread count, whoever runs which partition).
  int n = 0;
  for (int k = 0; k < count; ++k) {
    const Lattice& lat = kernels[k]->lattice();
    const int32_t lo = lat.part_row_lo[p];
    const int32_t hi = lat.part_row_hi[p];
    if (hi < lo) continue;
    Buffers& buf = buffers_[k];
    SplatTarget& t = targets[n++];
    t.d1 = lat.d + 1;
    t.offset = lat.offset.data();
    t.weight = kernels[k]->splat_weights().data();
    t.rows = buf.rows[buf.target].data();
    t.row_base = 0;
    if (p > 0) {
      BigVector<float>& priv = buf.parts[p];
      const size_t need = static_cast<size_t>(hi - lo + 1) * cp;
      if (priv.size() < need) priv.resize(need);
      std::memset(priv.data(), 0, sizeof(float) * need);
      t.rows = priv.data();
      t.row_base = lo;
    }
  }
  return n;
}

void CpuBackend::finish_filter(const PreparedKernel* const* kernels, int count, int cp, const float** rows_out) {
  const int parts = kernels[0]->lattice().parts();
  for (int k = 0; k < count; ++k) {
    const Lattice& lat = kernels[k]->lattice();
    Buffers& buf = buffers_[k];
    float* a = buf.rows[buf.target].data();
    float* b = buf.rows[1 - buf.target].data();
    const int64_t rows = static_cast<int64_t>(lat.m) + 1;
    if (parts > 1) {
      pool_.parallel_for(rows, 1024, [&](int64_t begin, int64_t end) {
        for (int p = 1; p < parts; ++p) {
          const int64_t lo = std::max<int64_t>(begin, lat.part_row_lo[p]);
          const int64_t hi = std::min<int64_t>(end - 1, lat.part_row_hi[p]);
          if (hi < lo) continue;
          kernels_.accumulate(a + lo * cp, buf.parts[p].data() + (lo - lat.part_row_lo[p]) * cp,
                              (hi - lo + 1) * cp);
        }
      });
    }
    // Blur along each of the d + 1 lattice directions, ping-ponging between the two buffers.
    int in = buf.target;
    for (int j = 0; j <= lat.d; ++j) {
      const int32_t* nb = lat.neighbours.data() + static_cast<size_t>(j) * lat.m * 2;
      pool_.parallel_for(lat.m, 1024, [&](int64_t begin, int64_t end) { kernels_.blur(cp, a, b, nb, begin, end); });
      std::swap(a, b);
      in = 1 - in;
    }
    buf.result = in;
    rows_out[k] = a;
  }
}

void CpuBackend::run(const FrameRequest& r, FrameTimings& timings) {
  const auto t_start = Clock::now();
  const int n = r.width * r.height;
  const int cp = padded_classes(r.classes);
  const int parts = pool_.size();

  // Lattices (the Gaussian one is reused while the frame size stays).
  const bool use_gaussian = params_.gaussian_weight > 0.0f;
  const bool use_bilateral = params_.bilateral_weight > 0.0f;
  if (use_gaussian) {
    FeatureSpec g;
    g.sxy = params_.gaussian_sxy;
    gaussian_.prepare(g, params_.gaussian_weight, r.width, r.height, nullptr, parts, pool_, builder_, kernels_);
  }
  if (use_bilateral) {
    FeatureSpec b;
    b.bilateral = true;
    b.sxy = params_.bilateral_sxy;
    b.srgb = params_.bilateral_srgb;
    bilateral_.prepare(b, params_.bilateral_weight, r.width, r.height, r.rgb, parts, pool_, builder_, kernels_);
  }
  const auto t_init = Clock::now();
  timings.lattice_ms = std::chrono::duration<double, std::milli>(t_init - t_start).count();

  // Unary and Q0. What is kept of this frame for the next frame's warm-start gate: after a gated warm start its
  // evidence p = softmax(-U), which it computed anyway; after a cold (or from-Q) start its unary, so that a cold run
  // touches no extra buffer, and the next gate computes p from it. Buffers swap; nothing is copied.
  ensure_size(neg_u_, static_cast<size_t>(n) * cp);
  ensure_size(q_, static_cast<size_t>(n) * cp);
  float* neg_u = neg_u_.data();
  float* q = q_.data();
  const bool gated = r.start == Start::kGatedWarm;
  const bool have_prev = prev_width_ == r.width && prev_height_ == r.height && prev_classes_ == r.classes;
  // The camera shift since the previous frame (zero without motion_range) and the 3x3 mean colours the temporal term
  // compares (warm_inputs.h): the warm start reads each pixel's previous state where its content was, and pixels
  // whose content was outside the previous frame start cold.
  warm_inputs_.prepare(r, gated && have_prev, pool_, timings);
  const Shift shift = warm_inputs_.shift();
  const uint8_t* smooth = warm_inputs_.smooth();
  const uint8_t* prev_smooth = warm_inputs_.prev_smooth();
  // With the temporal term the iterations read this frame's unary plus the term, written over p_prev (free once the
  // gate has read it); neg_u itself stays the plain unary.
  const bool temporal = gated && have_prev && smooth != nullptr && prev_smooth != nullptr;
  const float inv_two_srgb2 = 1.0f / (2.0f * r.temporal_srgb * r.temporal_srgb);
  if (gated) {
    ensure_size(p_cur_, static_cast<size_t>(n) * cp);
    ensure_size(fresh_, static_cast<size_t>(n));
    if (have_prev) ensure_size(p_prev_, static_cast<size_t>(n) * cp);
  }
  if (temporal) {
    ensure_size(temporal_w_, static_cast<size_t>(n));
    ensure_size(changed_, static_cast<size_t>(n));
  }
  float* p = gated ? p_cur_.data() : q;  // where softmax(-U) goes
  const int64_t prev_shift = static_cast<int64_t>(shift.dy) * r.width + shift.dx;
  float* p_prev = have_prev ? p_prev_.data() : nullptr;
  auto gate = [&](int64_t begin, int64_t end) {
    split_by_shift(
        r.width, r.height, shift, begin, end,
        [&](int64_t b, int64_t e) {
          kernels_.warm_gate(cp, r.classes, p, p_prev, r.gate, fresh_.data(), temporal ? smooth : nullptr,
                             prev_smooth, r.temporal_weight, inv_two_srgb2, temporal_w_.data(), changed_.data(),
                             prev_shift, b, e);
        },
        [&](int64_t b, int64_t e) {
          std::memset(fresh_.data() + b, 1, static_cast<size_t>(e - b));
          if (!temporal) return;
          std::fill(temporal_w_.data() + b, temporal_w_.data() + e, 0.0f);
          std::memset(changed_.data() + b, 0, static_cast<size_t>(e - b));
        });
  };
  // The gate reads p_prev at shifted positions: when this pass also computes p_prev (from the previous unary) and
  // the camera moved, the gate waits for a pass of its own.
  const bool gate_apart = have_prev && prev_is_unary_ && prev_shift != 0;
  const bool grid = r.kind == ScoreKind::kLogitGrid;
  if (grid) upsampler_.prepare(r.grid, r.classes, r.width, r.height);
  pool_.parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
    if (grid)
      load_grid_logits(upsampler_, kernels_, cp, r.classes, r.scores, neg_u, begin, end);
    else
      kernels_.load_scores(cp, r.classes, r.scores, static_cast<int>(r.kind), neg_u, begin, end);
    if (r.start == Start::kFromQ) {
      kernels_.load_q(cp, r.classes, r.q, q, begin, end);
      return;
    }
    kernels_.update(cp, r.classes, neg_u, p, nullptr, 0, false, true, true, nullptr, 0, begin, end);
    if (!gated) return;
    if (!have_prev) {
      std::memset(fresh_.data() + begin, 1, static_cast<size_t>(end - begin));
      return;
    }
    if (prev_is_unary_)
      kernels_.update(cp, r.classes, prev_neg_u_.data(), p_prev, nullptr, 0, false, true, true, nullptr, 0, begin,
                      end);
    if (!gate_apart) gate(begin, end);
  });
  if (gated && gate_apart) pool_.parallel_for(n, 4096, gate);
  if (gated) {
    dilate_mask(fresh_.data(), r.width, r.height, r.radius, dilation_tmp_, pool_);
    if (temporal) dilate_mask(changed_.data(), r.width, r.height, r.radius, dilation_tmp_, pool_);
    pool_.parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
      split_by_shift(
          r.width, r.height, shift, begin, end,
          [&](int64_t b, int64_t e) {
            if (temporal)
              kernels_.temporal_unary(cp, r.classes, neg_u, r.q, temporal_w_.data(), changed_.data(), p_prev,
                                      prev_shift, b, e);
            kernels_.warm_mix(cp, r.classes, p, r.q, fresh_.data(), r.keep, q, prev_shift, b, e);
          },
          [&](int64_t b, int64_t e) {  // no previous state: the plain unary, and Q0 = p (fresh)
            const size_t bytes = sizeof(float) * static_cast<size_t>(e - b) * cp;
            if (temporal) std::memcpy(p_prev + b * cp, neg_u + b * cp, bytes);
            std::memcpy(q + b * cp, p + b * cp, bytes);
          });
    });
  }
  // The vectors swap their storage; `unary` still points at storage nothing touches before the next frame.
  const float* unary = temporal ? p_prev_.data() : neg_u;
  if (gated) {
    std::swap(p_cur_, p_prev_);
    prev_is_unary_ = false;
  } else {
    std::swap(neg_u_, prev_neg_u_);
    prev_is_unary_ = true;
  }
  prev_width_ = r.width;
  prev_height_ = r.height;
  prev_classes_ = r.classes;
  const auto t_iter = Clock::now();
  timings.init_ms = std::chrono::duration<double, std::milli>(t_iter - t_init).count();

  // Mean-field iterations; with KL wanted, one more message pass evaluates the last Q. Each update pass also splats
  // the new Q into the next pass's lattices (no separate pass over Q); only the first splat reads Q on its own.
  const bool want_kl = r.kl != nullptr;
  const int passes = r.iterations + (want_kl ? 1 : 0);
  SliceView views[2];
  const PreparedKernel* active[2];
  int nkernels = 0;
  if (use_gaussian) active[nkernels++] = &gaussian_;
  if (use_bilateral) active[nkernels++] = &bilateral_;
  const int splat_parts = nkernels > 0 ? active[0]->lattice().parts() : 1;
  auto part_begin = [&](int p) -> int64_t {
    return nkernels > 0 ? active[0]->lattice().part_begin[p] : static_cast<int64_t>(n) * p / splat_parts;
  };
  double iter_ms = 0;
  std::vector<double> kl_parts(splat_parts, 0.0);
  auto t0 = Clock::now();
  if (passes > 0 && nkernels > 0) {
    begin_splat(active, nkernels, cp);
    pool_.run(splat_parts, [&](int p) {
      SplatTarget targets[2];
      const int nt = splat_targets(active, nkernels, cp, p, targets);
      kernels_.splat_multi(cp, q, targets, nt, part_begin(p), part_begin(p + 1));
    });
  }
  for (int it = 0; it < passes; ++it) {
    const float* rows[2] = {nullptr, nullptr};
    if (nkernels > 0) finish_filter(active, nkernels, cp, rows);
    for (int k = 0; k < nkernels; ++k)
      views[k] = {active[k]->lattice().d + 1, active[k]->lattice().offset.data(),
                  active[k]->slice_weights().data(), rows[k]};
    const bool write_q = it < r.iterations;
    const bool fuse = nkernels > 0 && write_q && it + 1 < passes;
    // Q must reach memory for the KL pass (which reads it) and after the last iteration; in between it only feeds
    // the fused splat.
    const bool store_q = write_q && (want_kl || !fuse);
    if (fuse) begin_splat(active, nkernels, cp);
    pool_.run(splat_parts, [&](int p) {
      SplatTarget targets[2];
      const int nt = fuse ? splat_targets(active, nkernels, cp, p, targets) : 0;
      kl_parts[p] = kernels_.update(cp, r.classes, unary, q, views, nkernels, want_kl, write_q, store_q, targets, nt,
                                    part_begin(p), part_begin(p + 1));
    });
    if (want_kl) {
      double sum = 0;
      for (double v : kl_parts) sum += v;
      r.kl[it] = sum;
    }
    const auto t1 = Clock::now();
    if (write_q) iter_ms += std::chrono::duration<double, std::milli>(t1 - t0).count();
    t0 = t1;
  }
  timings.iterations_ms = iter_ms;

  if (r.q != nullptr || r.labels != nullptr) {
    pool_.parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
      kernels_.store(cp, r.classes, q, r.q, r.labels, begin, end);
    });
  }
  timings.total_ms = ms_since(t_start);
}

}  // namespace segcrf
