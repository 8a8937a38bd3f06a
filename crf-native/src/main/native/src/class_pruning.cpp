#include "class_pruning.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <mutex>

namespace segcrf {

namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

// Pixels per block of the evidence passes: the block's -U (and, for a grid, its logits) stay in the L2 cache.
constexpr int64_t kBlock = 1024;
// Frames a smaller layout must suffice before the layout shrinks (each shrink restarts the backend's warm state).
constexpr int kShrinkAfter = 8;

}  // namespace

PruningBackend::PruningBackend(std::unique_ptr<Backend> inner)
    : inner_(std::move(inner)), kernels_(kernels_for_this_cpu()) {}

void PruningBackend::evidence(const FrameRequest& r, int cpf, int64_t begin, int64_t end, float* out) {
  const int c = r.classes;
  if (r.kind == ScoreKind::kLogitGrid) {
    thread_local std::vector<float> logits;
    thread_local std::vector<float> scratch;
    if (logits.size() < static_cast<size_t>(kBlock * c)) logits.resize(static_cast<size_t>(kBlock * c));
    upsampler_.logits(r.scores, begin, end, logits.data(), scratch);
    kernels_.load_scores(cpf, c, logits.data(), static_cast<int>(ScoreKind::kLogits), out, 0, end - begin);
  } else {
    kernels_.load_scores(cpf, c, r.scores + begin * c, static_cast<int>(r.kind), out, 0, end - begin);
  }
}

void PruningBackend::run(const FrameRequest& r, FrameTimings& timings) {
  const int c = r.classes;
  const int cpf = padded_classes(c);
  if (!(threshold_ > 0.0f) || r.kl != nullptr || cpf <= 8) {
    has_state_ = false;
    last_classes_ = c;
    inner_->run(r, timings);
    return;
  }
  const auto t0 = Clock::now();
  ThreadPool& pool = inner_->pool();
  const int64_t n = static_cast<int64_t>(r.width) * r.height;
  if (r.kind == ScoreKind::kLogitGrid) upsampler_.prepare(r.grid, c, r.width, r.height);

  // Writes the compact unary (U; the padding slots have U = 1e30, probability 0) and the compact start Q of pixels
  // [begin, end) for a layout, from the block's -U with every class.
  auto compact_block = [&](const std::vector<int>& lay, int cpa, const float* block, int64_t begin, int64_t end) {
    const int used = static_cast<int>(lay.size());
    for (int64_t i = begin; i < end; ++i) {
      const float* u = block + (i - begin) * cpf;
      float* d = unary_.data() + i * cpa;
      for (int k = 0; k < used; ++k) d[k] = -u[lay[k]];
      for (int k = used; k < cpa; ++k) d[k] = -kPaddingNegUnary;
    }
  };
  auto compact_q = [&](const std::vector<int>& lay, int cpa, int64_t begin, int64_t end) {
    const int used = static_cast<int>(lay.size());
    for (int64_t i = begin; i < end; ++i) {
      const float* s = r.q + i * c;
      float* d = q_.data() + i * cpa;
      for (int k = 0; k < used; ++k) d[k] = s[lay[k]];
      for (int k = used; k < cpa; ++k) d[k] = 0.0f;
    }
  };
  const bool continuing = has_state_ && r.start != Start::kCold && r.width == width_ && r.height == height_ &&
                          c == classes_;
  const bool q_in = r.q != nullptr && r.start != Start::kCold;
  // While the stream continues, the layout rarely changes: the pass that finds the classes also writes the compact
  // inputs for the previous layout, and a second pass is needed only when the layout changed.
  const std::vector<int> previous = continuing ? layout_ : std::vector<int>();
  const int previous_cpa = padded_classes(static_cast<int>(previous.size()));
  const bool speculate = continuing && previous_cpa < cpf;
  if (speculate) {
    unary_.resize(static_cast<size_t>(n) * previous_cpa);
    if (r.q != nullptr) q_.resize(static_cast<size_t>(n) * previous_cpa);
  }

  // 1. The largest -U of every class over the frame.
  std::vector<float> best(c, -std::numeric_limits<float>::infinity());
  std::mutex best_lock;
  pool.parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
    thread_local std::vector<float> block;
    if (block.size() < static_cast<size_t>(kBlock * cpf)) block.resize(static_cast<size_t>(kBlock * cpf));
    std::vector<float> local(c, -std::numeric_limits<float>::infinity());
    for (int64_t b = begin; b < end; b += kBlock) {
      const int64_t e = std::min(end, b + kBlock);
      evidence(r, cpf, b, e, block.data());
      for (int64_t i = 0; i < e - b; ++i) {
        const float* u = block.data() + i * cpf;
        for (int k = 0; k < c; ++k) local[k] = std::max(local[k], u[k]);
      }
      if (speculate) compact_block(previous, previous_cpa, block.data(), b, e);
    }
    if (speculate && q_in) compact_q(previous, previous_cpa, begin, end);
    std::lock_guard<std::mutex> lock(best_lock);
    for (int k = 0; k < c; ++k) best[k] = std::max(best[k], local[k]);
  });

  // 2. The classes taking part, and their compact layout.
  const float floor = std::log(threshold_);
  std::vector<uint8_t> need(c, 0);
  int needed = 0;
  for (int k = 0; k < c; ++k) {
    need[k] = best[k] >= floor || (continuing && present_[k] != 0);
    needed += need[k];
  }
  if (needed == 0) {  // a frame of NaNs or the like: keep the most likely class
    need[static_cast<int>(std::max_element(best.begin(), best.end()) - best.begin())] = 1;
    needed = 1;
  }
  std::vector<int> layout;
  if (continuing) {
    layout = layout_;
    for (int k = 0; k < c; ++k)
      if (need[k] && std::find(layout.begin(), layout.end(), k) == layout.end()) layout.push_back(k);
    smaller_frames_ = padded_classes(needed) < padded_classes(static_cast<int>(layout.size())) ? smaller_frames_ + 1
                                                                                               : 0;
  }
  if (!continuing || smaller_frames_ >= kShrinkAfter) {
    layout.clear();
    for (int k = 0; k < c; ++k)
      if (need[k]) layout.push_back(k);
    smaller_frames_ = 0;
  }
  layout_ = layout;
  width_ = r.width;
  height_ = r.height;
  classes_ = c;
  has_state_ = true;
  const int used = static_cast<int>(layout.size());
  const int cpa = padded_classes(used);
  if (cpa >= cpf) {  // nothing to gain: the full request (the layout stays, so that a later frame can prune)
    last_classes_ = c;
    present_.assign(c, 1);
    inner_->run(r, timings);
    return;
  }
  last_classes_ = cpa;

  // 3. The compact inputs, unless pass 1 wrote them for this layout.
  if (!(speculate && layout == previous)) {
    unary_.resize(static_cast<size_t>(n) * cpa);
    if (r.q != nullptr) q_.resize(static_cast<size_t>(n) * cpa);
    pool.parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
      thread_local std::vector<float> block;
      if (block.size() < static_cast<size_t>(kBlock * cpf)) block.resize(static_cast<size_t>(kBlock * cpf));
      for (int64_t b = begin; b < end; b += kBlock) {
        const int64_t e = std::min(end, b + kBlock);
        evidence(r, cpf, b, e, block.data());
        compact_block(layout, cpa, block.data(), b, e);
      }
      if (q_in) compact_q(layout, cpa, begin, end);
    });
  }
  FrameRequest compact = r;
  compact.classes = cpa;
  compact.scores = unary_.data();
  compact.kind = ScoreKind::kUnary;
  compact.q = r.q != nullptr ? q_.data() : nullptr;
  const auto t1 = Clock::now();
  inner_->run(compact, timings);
  const auto t2 = Clock::now();

  // 4. Back to the caller's classes: Q (0 for the classes left out) and labels; which classes the labels hold.
  std::vector<int> slot(c, -1);
  for (int k = 0; k < used; ++k) slot[layout[k]] = k;
  present_.assign(c, 0);
  std::mutex present_lock;
  pool.parallel_for(n, 4096, [&](int64_t begin, int64_t end) {
    if (r.q != nullptr) {
      for (int64_t i = begin; i < end; ++i) {
        const float* s = q_.data() + i * cpa;
        float* d = r.q + i * c;
        for (int k = 0; k < c; ++k) d[k] = slot[k] >= 0 ? s[slot[k]] : 0.0f;
      }
    }
    if (r.labels != nullptr) {
      std::vector<uint8_t> seen(c, 0);
      for (int64_t i = begin; i < end; ++i) {
        const int k = std::min<int>(r.labels[i], used - 1);
        r.labels[i] = static_cast<uint8_t>(layout[k]);
        seen[layout[k]] = 1;
      }
      std::lock_guard<std::mutex> lock(present_lock);
      for (int k = 0; k < c; ++k) present_[k] |= seen[k];
    }
  });
  const auto t3 = Clock::now();
  timings.init_ms += ms_between(t0, t1);
  timings.total_ms = ms_between(t0, t3);
  (void)t2;
}

}  // namespace segcrf
