// A fixed set of worker threads that run indexed tasks; the calling thread takes part.
#ifndef SEGCRF_THREAD_POOL_H
#define SEGCRF_THREAD_POOL_H

#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace segcrf {

class ThreadPool {
 public:
  // `threads` >= 1 participants in total (threads - 1 workers plus the caller).
  explicit ThreadPool(int threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs task(i) for every i in [0, tasks), each once, and returns when all are done. Tasks are claimed in order
  // from a shared counter, so which thread runs a task varies but what a task computes must not depend on it.
  // The first exception thrown by a task is rethrown here.
  void run(int tasks, const std::function<void(int)>& task);

  // Splits [0, n) into contiguous blocks of at least `grain` items (about 4 per thread) and runs body(begin, end).
  void parallel_for(int64_t n, int64_t grain, const std::function<void(int64_t, int64_t)>& body);

 private:
  void worker_loop();
  void drain();
  // Polls `ready` for a few tens of microseconds: the pool's tasks come in quick succession (about a hundred per CRF
  // frame), and a thread that is already awake picks the next one up without a futex wake-up. Returns ready().
  template <typename Ready>
  static bool spin_until(Ready ready);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  const std::function<void(int)>* task_ = nullptr;
  int tasks_ = 0;
  std::atomic<int> next_{0};
  std::atomic<int> finished_{0};
  // Changed under mutex_ only; atomic so that waiters can poll them without the lock before they sleep.
  std::atomic<int> active_{0};  // workers inside drain()
  std::atomic<uint64_t> generation_{0};
  bool stop_ = false;
  std::exception_ptr error_;
  std::mutex error_mutex_;
};

}  // namespace segcrf

#endif
