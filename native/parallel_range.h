// Splitting a flat range of independent elements across the thread pool.
#pragma once

#include <algorithm>
#include <cstddef>

#include "thread_pool.h"

namespace nabla {

// Calls body(begin, end) over [0, n) in chunks: on the calling thread alone when n is below
// `minParallel`, else in about 4 chunks per thread (chunk starts are multiples of 64 elements),
// so a busy core delays at most a small chunk.
template <class Body>
void parallelRange(size_t n, size_t minParallel, Body&& body) {
  const size_t threads = threadCount();
  if (n < minParallel || threads <= 1) {
    if (n > 0) body(size_t{0}, n);
    return;
  }
  const size_t minChunk = std::max<size_t>(minParallel / 2, 64);
  size_t chunk = std::max(minChunk, (n + 4 * threads - 1) / (4 * threads));
  chunk = (chunk + 63) / 64 * 64;
  const size_t chunks = (n + chunk - 1) / chunk;
  parallelFor(chunks, [&](size_t c) { body(c * chunk, std::min(n, (c + 1) * chunk)); });
}

}  // namespace nabla
