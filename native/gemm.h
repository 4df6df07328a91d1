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

// Products against an operand packed once and reused many times (a convolution's filter, or
// im2col patches packed straight into panels). A "whole-packed" matrix holds op(X) for all of
// its depth: depth block b (gemmDepthBlock(k) deep, the last one shorter) starts at
// b * kc * padded(rows or columns), and within it panel q (kMR rows of A or kNR columns of B)
// starts at q * panel * kcOfBlock, depth-major.
size_t gemmDepthBlock(size_t k);
// Floats of a whole-packed op(A) with m rows (rows rounded up to the panel height) and of a
// whole-packed op(B) with n columns.
size_t packedASize(size_t m, size_t k);
size_t packedBSize(size_t k, size_t n);
// Packs `rows` rows of op(A) (A is rows x k, row stride lda, or k x rows when trans) as rows
// [row0, row0 + rows) of a whole-packed A of mTotal rows; row0 is a multiple of the panel height.
void packAWhole(const float* a, size_t lda, bool trans, size_t rows, size_t k, float* dst, size_t mTotal, size_t row0);
// Packs all of op(B) (k x n; B is k x n with row stride ldb, or n x k when trans), in depth
// blocks of `depthBlock` (0: gemmDepthBlock(k), as gemmPrepacked reads them).
void packBWhole(const float* b, size_t ldb, bool trans, size_t k, size_t n, float* dst, size_t depthBlock = 0);
// C (m x n, row stride ldc) (+)= whole-packed A (m x k) * whole-packed B (k x n), on the calling
// thread.
void gemmPrepacked(size_t m, size_t n, size_t k, const float* packedA, const float* packedB, float* c, size_t ldc,
                   bool accumulate);

// One micro-tile of C, its mr x nr corner (mr <= kMR, nr <= kNR): C (+)= A x B panel, where A's
// kMR rows are read in place through the segments' pointers (see GatherSegment in
// gemm_kernels.h; rows past mr must still point at readable memory) and `bPanel` is one packed
// kNR-column panel as deep as the segments together.
struct GatherSegment;
void gatherTile(size_t segments, const GatherSegment* seg, const float* bPanel, float* c, size_t ldc, size_t mr,
                size_t nr, bool accumulate);

// Floating-point operations below which a product is not worth splitting across threads.
constexpr double kGemmParallelFlops = 2.0 * 48 * 48 * 48;

}  // namespace nabla
