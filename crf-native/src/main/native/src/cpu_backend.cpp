#include "cpu_backend.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "mask_dilation.h"

namespace segcrf {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

template <typename T>
void ensure_size(BigVector<T>& v, size_t n) {
  if (v.size() < n) v.resize(n);
}

}  // namespace

CpuBackend::CpuBackend(int threads, bool baseline) : pool_(threads), kernels_(kernels_for_this_cpu(baseline)) {}

std::string CpuBackend::name() const {
  return std::string("cpu (") + kernels_.isa + ", " + std::to_string(pool_.size()) + " threads)";
}

void CpuBackend::filter(const PreparedKernel* const* kernels, int count, int cp, const float* q,
                        const float** rows_out) {
  // Splat: partition 0 of each kernel into its buffer a, the other partitions into private rows, then those are
  // added in partition order (the same order for a given thread count, whoever runs which partition). All kernels
  // share the pixel partitions, so one pass over q feeds every lattice.
  const int parts = kernels[0]->lattice().parts();
  for (int k = 0; k < count; ++k) {
    const Lattice& lat = kernels[k]->lattice();
    Buffers& buf = buffers_[k];
    const int64_t rows = static_cast<int64_t>(lat.m) + 1;
    const size_t size = static_cast<size_t>(rows) * cp;
    if (buf.a.size() < size) {
      buf.a.assign(size, 0.0f);
      buf.b.assign(size, 0.0f);
    }
    if (static_cast<int>(buf.parts.size()) < parts) buf.parts.resize(parts);
    float* a = buf.a.data();
    std::memset(buf.b.data(), 0, sizeof(float) * cp);  // row 0 of the blur target: "no neighbour"
    pool_.parallel_for(rows * cp, 1 << 16, [&](int64_t begin, int64_t end) {
      std::memset(a + begin, 0, sizeof(float) * (end - begin));
    });
  }
  pool_.run(parts, [&](int p) {
    SplatTarget targets[2];
    int n = 0;
    for (int k = 0; k < count; ++k) {
      const Lattice& lat = kernels[k]->lattice();
      const int32_t lo = lat.part_row_lo[p];
      const int32_t hi = lat.part_row_hi[p];
      if (hi < lo) continue;
      SplatTarget& t = targets[n++];
      t.d1 = lat.d + 1;
      t.offset = lat.offset.data();
      t.weight = kernels[k]->splat_weights().data();
      t.rows = buffers_[k].a.data();
      t.row_base = 0;
      if (p > 0) {
        BigVector<float>& priv = buffers_[k].parts[p];
        const size_t need = static_cast<size_t>(hi - lo + 1) * cp;
        if (priv.size() < need) priv.resize(need);
        std::memset(priv.data(), 0, sizeof(float) * need);
        t.rows = priv.data();
        t.row_base = lo;
      }
    }
    const Lattice& first = kernels[0]->lattice();
    kernels_.splat_multi(cp, q, targets, n, first.part_begin[p], first.part_begin[p + 1]);
  });
  for (int k = 0; k < count; ++k) {
    const Lattice& lat = kernels[k]->lattice();
    Buffers& buf = buffers_[k];
    float* a = buf.a.data();
    float* b = buf.b.data();
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
    // Blur along each of the d + 1 lattice directions.
    for (int j = 0; j <= lat.d; ++j) {
      const int32_t* nb = lat.neighbours.data() + static_cast<size_t>(j) * lat.m * 2;
      pool_.parallel_for(lat.m, 1024, [&](int64_t begin, int64_t end) { kernels_.blur(cp, a, b, nb, begin, end); });
      std::swap(a, b);
    }
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

  // Unary and Q0. The previous frame's unary is kept (buffers swap, nothing is copied) for the warm-start gate.
  ensure_size(neg_u_, static_cast<size_t>(n) * cp);
  ensure_size(q_, static_cast<size_t>(n) * cp);
  float* neg_u = neg_u_.data();
  float* q = q_.data();
  const bool gated = r.start == Start::kGatedWarm;
  const bool have_prev = prev_width_ == r.width && prev_height_ == r.height && prev_classes_ == r.classes;
  if (gated) {
    ensure_size(fresh_, static_cast<size_t>(n));
    if (have_prev) ensure_size(p_prev_, static_cast<size_t>(n) * cp);
  }
  pool_.parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
    kernels_.load_scores(cp, r.classes, r.scores, r.probabilities, neg_u, begin, end);
    if (r.start == Start::kFromQ) {
      kernels_.load_q(cp, r.classes, r.q, q, begin, end);
      return;
    }
    kernels_.update(cp, r.classes, neg_u, q, nullptr, 0, false, true, begin, end);  // q = p = softmax(-U)
    if (!gated) return;
    if (have_prev) {
      float* p_prev = p_prev_.data();
      kernels_.update(cp, r.classes, prev_neg_u_.data(), p_prev, nullptr, 0, false, true, begin, end);
      kernels_.warm_fresh(cp, r.classes, q, p_prev, r.gate, fresh_.data(), begin, end);
    } else {
      std::memset(fresh_.data() + begin, 1, static_cast<size_t>(end - begin));
    }
  });
  if (gated) {
    dilate_mask(fresh_.data(), r.width, r.height, r.radius, dilation_tmp_, pool_);
    pool_.parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
      kernels_.warm_mix(cp, r.classes, q, r.q, fresh_.data(), r.keep, q, begin, end);  // in place, per element
    });
  }
  // The vectors swap their storage: `neg_u` still points at this frame's unary, now owned by prev_neg_u_.
  std::swap(neg_u_, prev_neg_u_);
  prev_width_ = r.width;
  prev_height_ = r.height;
  prev_classes_ = r.classes;
  const auto t_iter = Clock::now();
  timings.init_ms = std::chrono::duration<double, std::milli>(t_iter - t_init).count();

  // Mean-field iterations; with KL wanted, one more message pass evaluates the last Q.
  const bool want_kl = r.kl != nullptr;
  const int passes = r.iterations + (want_kl ? 1 : 0);
  SliceView views[2];
  const PreparedKernel* active[2];
  int nkernels = 0;
  if (use_gaussian) active[nkernels++] = &gaussian_;
  if (use_bilateral) active[nkernels++] = &bilateral_;
  double iter_ms = 0;
  std::vector<double> kl_parts;
  for (int it = 0; it < passes; ++it) {
    const auto t0 = Clock::now();
    const float* rows[2] = {nullptr, nullptr};
    if (nkernels > 0) filter(active, nkernels, cp, q, rows);
    for (int k = 0; k < nkernels; ++k)
      views[k] = {active[k]->lattice().d + 1, active[k]->lattice().offset.data(),
                  active[k]->slice_weights().data(), rows[k]};
    const int nviews = nkernels;
    const bool write_q = it < r.iterations;
    const int64_t block = 4096;
    const int blocks = static_cast<int>((n + block - 1) / block);
    if (want_kl) kl_parts.assign(blocks, 0.0);
    pool_.run(blocks, [&](int bi) {
      const int64_t begin = bi * block;
      const int64_t end = std::min<int64_t>(n, begin + block);
      const double kl = kernels_.update(cp, r.classes, neg_u, q, views, nviews, want_kl, write_q, begin, end);
      if (want_kl) kl_parts[bi] = kl;
    });
    if (want_kl) {
      double sum = 0;
      for (double v : kl_parts) sum += v;
      r.kl[it] = sum;
    }
    if (write_q) iter_ms += ms_since(t0);
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
