// A persistent pool of worker threads shared by all kernels (no thread creation per call).
#pragma once

#include <cstddef>
#include <type_traits>
#include <utility>

namespace nabla {

// Non-owning reference to a callable `void(size_t task)`; avoids std::function's allocation.
class TaskRef {
 public:
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, TaskRef>>>
  TaskRef(F&& f)  // NOLINT: implicit on purpose, so lambdas pass directly.
      : ctx_(const_cast<void*>(static_cast<const void*>(&f))),
        call_([](void* c, size_t i) { (*static_cast<std::remove_reference_t<F>*>(c))(i); }) {}
  void operator()(size_t task) const { call_(ctx_, task); }

 private:
  void* ctx_;
  void (*call_)(void*, size_t);
};

// Total threads kernels may use, the calling thread included (>= 1).
size_t threadCount();

// Resizes the pool to `n` threads in all (the caller plus n - 1 workers); n is clamped to [1, 256].
void setThreadCount(size_t n);

// Runs task(i) for every i in [0, tasks) on the pool, the calling thread included, and returns
// when all are done. Rethrows the first exception a task threw. Runs everything on the calling
// thread when the pool is in use by another thread (e.g. a Node worker) or from inside a task.
void parallelFor(size_t tasks, TaskRef task);

}  // namespace nabla
