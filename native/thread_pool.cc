#include "thread_pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NABLA_CPU_RELAX() _mm_pause()
#else
#define NABLA_CPU_RELAX() std::this_thread::yield()
#endif

namespace nabla {
namespace {

// How long an idle worker spins before sleeping on the condition variable. Waking a sleeping
// worker costs ~30-60 us on a VM (futex + IPI to a halted vCPU), as long as a mid-sized GEMM on
// two threads, and most gaps between the kernels of a training step are below a millisecond.
// (Spinning with pause, not sched_yield: a yielding worker hands its core to any runnable
// thread, V8's helpers included, and then misses whole kernels.)
constexpr auto kSpinTime = std::chrono::microseconds(1000);
// A worker that finds it lost its core for this long while spinning (another process or
// thread wants it) sleeps at once: a descheduled spinner only runs again after that thread's
// time slice, a woken sleeper is scheduled promptly.
constexpr auto kPreemptedGap = std::chrono::microseconds(100);

thread_local bool t_insideTask = false;

class Pool {
 public:
  ~Pool() { stopWorkers(); }

  size_t size() const { return size_.load(std::memory_order_relaxed); }

  void resize(size_t n) {
    std::lock_guard<std::mutex> run(runMutex_);
    stopWorkers();
    stop_ = false;
    // Workers start from the current generation: reading it inside the new thread could miss a
    // job posted before the thread ran.
    const uint64_t generation = generation_.load(std::memory_order_relaxed);
    for (size_t i = 1; i < n; ++i) workers_.emplace_back([this, generation] { workerLoop(generation); });
    size_.store(n, std::memory_order_relaxed);
  }

  void run(size_t tasks, TaskRef task) {
    if (tasks == 0) return;
    std::unique_lock<std::mutex> run(runMutex_, std::try_to_lock);
    if (!run.owns_lock() || t_insideTask || workers_.empty() || tasks == 1) {
      runSerial(tasks, task);
      return;
    }
    task_ = &task;
    tasks_ = tasks;
    next_.store(0, std::memory_order_relaxed);
    error_ = nullptr;
    open_.store(true, std::memory_order_seq_cst);
    {
      std::lock_guard<std::mutex> lock(wakeMutex_);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    work();
    // Every task is claimed now. Close the job, then wait only for workers that joined it: a
    // worker the OS has not scheduled yet finds it closed and never touches `task`.
    open_.store(false, std::memory_order_seq_cst);
    while (joined_.load(std::memory_order_seq_cst) != 0) NABLA_CPU_RELAX();
    task_ = nullptr;
    if (error_) std::rethrow_exception(error_);
  }

 private:
  static void runSerial(size_t tasks, TaskRef task) {
    bool outer = t_insideTask;
    t_insideTask = true;
    try {
      for (size_t i = 0; i < tasks; ++i) task(i);
    } catch (...) {
      t_insideTask = outer;
      throw;
    }
    t_insideTask = outer;
  }

  void work() {
    t_insideTask = true;
    for (size_t i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < tasks_;) {
      try {
        (*task_)(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex_);
        if (!error_) error_ = std::current_exception();
      }
    }
    t_insideTask = false;
  }

  void workerLoop(uint64_t seen) {
    using Clock = std::chrono::steady_clock;
    for (;;) {
      const auto idleSince = Clock::now();
      auto lastCheck = idleSince;
      unsigned spins = 0;
      while (generation_.load(std::memory_order_acquire) == seen && !stop_.load(std::memory_order_relaxed)) {
        NABLA_CPU_RELAX();
        if ((++spins & 255) != 0) continue;
        const auto now = Clock::now();
        const bool preempted = now - lastCheck > kPreemptedGap;
        lastCheck = now;
        if (now - idleSince < kSpinTime && !preempted) continue;
        std::unique_lock<std::mutex> lock(wakeMutex_);
        wake_.wait(lock, [&] {
          return generation_.load(std::memory_order_acquire) != seen || stop_.load(std::memory_order_relaxed);
        });
      }
      if (stop_.load(std::memory_order_relaxed)) return;
      seen = generation_.load(std::memory_order_acquire);
      joined_.fetch_add(1, std::memory_order_seq_cst);
      if (open_.load(std::memory_order_seq_cst)) work();
      joined_.fetch_sub(1, std::memory_order_seq_cst);
    }
  }

  void stopWorkers() {
    {
      std::lock_guard<std::mutex> lock(wakeMutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& w : workers_) w.join();
    workers_.clear();
    size_.store(1, std::memory_order_relaxed);
  }

  std::vector<std::thread> workers_;
  std::atomic<size_t> size_{1};
  std::mutex runMutex_;  // one parallelFor (or resize) at a time
  std::mutex wakeMutex_;
  std::condition_variable wake_;
  std::atomic<uint64_t> generation_{0};
  std::atomic<bool> stop_{false};

  TaskRef* task_ = nullptr;
  size_t tasks_ = 0;
  std::atomic<size_t> next_{0};
  std::atomic<bool> open_{false};   // the current job still accepts workers
  std::atomic<size_t> joined_{0};   // workers inside the current job
  std::mutex errorMutex_;
  std::exception_ptr error_;
};

Pool& pool() {
  static Pool instance;
  return instance;
}

}  // namespace

size_t threadCount() { return pool().size(); }

void setThreadCount(size_t n) { pool().resize(std::clamp<size_t>(n, 1, 256)); }

void parallelFor(size_t tasks, TaskRef task) { pool().run(tasks, task); }

}  // namespace nabla
