// Single-precision matrix multiply: the heart of the native backend.
#pragma once

#include <cstddef>

namespace nabla {

// C (m x n, row stride ldc) = op(A) * op(B), or C += op(A) * op(B) when `accumulate`; all
// row-major. op(A) is m x k: A is m x k with row stride lda, or k x m when transA. op(B) is
// k x n: B is k x n (ldb), or n x k when transB.
struct GemmShape {
  size_t m, n, k;
  bool transA, transB;
  size_t lda, ldb, ldc;
  bool accumulate = false;
};

// Computes one product using up to `maxThreads` pool threads (1 = on the calling thread only).
// Small products always run on the calling thread.
void sgemm(const GemmShape& shape, const float* a, const float* b, float* c, size_t maxThreads);

// Floating-point operations below which a product is not worth splitting across threads.
constexpr double kGemmParallelFlops = 2.0 * 48 * 48 * 48;

}  // namespace nabla
