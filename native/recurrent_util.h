// Pieces the fused LSTM and GRU loops share (native/lstm.cc, native/gru.cc).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "gemm.h"
#include "parallel_range.h"
#include "thread_pool.h"

namespace nabla {

// Runs body(b) for every batch row of a step, split across the pool when the step is large
// enough to pay for the handoff.
template <class Body>
void forRecurrentRows(size_t rows, size_t rowElements, Body&& body) {
  constexpr size_t kMinParallelElements = 1 << 14;
  parallelRange(rows, std::max<size_t>(1, kMinParallelElements / std::max<size_t>(rowElements, 1)), [&](size_t b0, size_t b1) {
    for (size_t b = b0; b < b1; ++b) body(b);
  });
}

// du = Σ_t h_{t-1}ᵀ · dInner_t as one product over all B·T rows: `hPrev` (scratch, B·T·H floats)
// is filled with h_{t-1} of every step (h0 for t = 0, else hs shifted by one step).
inline void recurrentKernelGradient(size_t B, size_t T, size_t H, size_t W, const float* h0, const float* hs,
                                    const float* dInner, float* hPrev, float* du) {
  for (size_t b = 0; b < B; ++b) {
    std::memcpy(hPrev + b * T * H, h0 + b * H, H * sizeof(float));
    if (T > 1) std::memcpy(hPrev + (b * T + 1) * H, hs + b * T * H, (T - 1) * H * sizeof(float));
  }
  sgemm({H, W, B * T, true, false, H, W, W}, hPrev, dInner, du, threadCount());
}

}  // namespace nabla
