#include "thread_pool.h"

#include <algorithm>
#include <chrono>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SEGCRF_PAUSE() _mm_pause()
#else
#define SEGCRF_PAUSE() ((void)0)
#endif

namespace segcrf {

ThreadPool::ThreadPool(int threads) {
  const int workers = std::max(threads, 1) - 1;
  workers_.reserve(workers);
  for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : workers_) t.join();
}

void ThreadPool::drain() {
  const std::function<void(int)>& task = *task_;
  for (;;) {
    const int i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i >= tasks_) return;
    try {
      task(i);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex_);
      if (!error_) error_ = std::current_exception();
    }
    finished_.fetch_add(1, std::memory_order_acq_rel);
  }
}

template <typename Ready>
bool ThreadPool::spin_until(Ready ready) {
  constexpr auto kSpin = std::chrono::microseconds(50);
  const auto start = std::chrono::steady_clock::now();
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (ready()) return true;
      SEGCRF_PAUSE();
    }
    if (std::chrono::steady_clock::now() - start > kSpin) return ready();
  }
}

void ThreadPool::worker_loop() {
  uint64_t seen = 0;
  for (;;) {
    spin_until([&] { return generation_.load(std::memory_order_acquire) != seen; });
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      // A worker that wakes after the generation completed must not touch it (run() may have returned).
      if (finished_.load(std::memory_order_acquire) >= tasks_) continue;
      ++active_;
    }
    drain();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      --active_;
    }
    done_.notify_all();
  }
}

void ThreadPool::run(int tasks, const std::function<void(int)>& task) {
  if (tasks <= 0) return;
  if (workers_.empty() || tasks == 1) {
    for (int i = 0; i < tasks; ++i) task(i);
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    task_ = &task;
    tasks_ = tasks;
    next_.store(0, std::memory_order_relaxed);
    finished_.store(0, std::memory_order_relaxed);
    error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  drain();
  spin_until([&] {
    return finished_.load(std::memory_order_acquire) >= tasks_ && active_.load(std::memory_order_acquire) == 0;
  });
  {
    std::unique_lock<std::mutex> lock(mutex_);
    // Every task finished and no worker still holds this generation's task (a late one must not see the next).
    done_.wait(lock, [&] { return finished_.load(std::memory_order_acquire) >= tasks_ && active_ == 0; });
    task_ = nullptr;
  }
  if (error_) {
    std::exception_ptr e = error_;
    error_ = nullptr;
    std::rethrow_exception(e);
  }
}

void ThreadPool::parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& body) {
  if (n <= 0) return;
  const int64_t want = static_cast<int64_t>(size()) * 4;
  const int64_t block = std::max<int64_t>(grain, (n + want - 1) / want);
  const int blocks = static_cast<int>((n + block - 1) / block);
  run(blocks, [&](int b) {
    const int64_t begin = static_cast<int64_t>(b) * block;
    body(begin, std::min(n, begin + block));
  });
}

}  // namespace segcrf
