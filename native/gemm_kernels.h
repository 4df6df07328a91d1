// Building blocks of sgemm: panel packing and the register-blocked micro-kernels.
#pragma once

#include <cstddef>

namespace nabla {

// Micro-tile: the micro-kernel computes kMR rows x kNR columns of C from packed panels.
constexpr size_t kMR = 6;
constexpr size_t kNR = 16;

// c[0..kMR)[0..kNR) (row stride ldc) = (accumulate ? c : 0) + sum_p a[p*kMR + i] * b[p*kNR + j].
// `a` and `b` are packed panels, 32-byte aligned.
using MicroKernel = void (*)(size_t kc, const float* a, const float* b, float* c, size_t ldc, bool accumulate);

void microKernelGeneric(size_t kc, const float* a, const float* b, float* c, size_t ldc, bool accumulate);
void microKernelAvx2(size_t kc, const float* a, const float* b, float* c, size_t ldc, bool accumulate);

// The same for only the first `mr` (1 <= mr < kMR) rows of the tile: rows past mr of C are not
// touched (their packed A rows are still read). Saves the tile copy on the last row panel.
using RowsMicroKernel = void (*)(size_t mr, size_t kc, const float* a, const float* b, float* c, size_t ldc,
                                 bool accumulate);

void microKernelAvx2Rows(size_t mr, size_t kc, const float* a, const float* b, float* c, size_t ldc, bool accumulate);

// The same with A read in place: A(i, p) = a[i * rowStride + p * depthStride], for all kMR rows.
// Used when each A element is needed once (one B panel), so packing A would only add a copy.
using StridedMicroKernel = void (*)(size_t kc, const float* a, size_t rowStride, size_t depthStride, const float* b,
                                    float* c, size_t ldc, bool accumulate);

void microKernelGenericStrided(size_t kc, const float* a, size_t rowStride, size_t depthStride, const float* b,
                               float* c, size_t ldc, bool accumulate);
void microKernelAvx2Strided(size_t kc, const float* a, size_t rowStride, size_t depthStride, const float* b, float* c,
                            size_t ldc, bool accumulate);

// The same with every A row read in place through its own pointer, in segments: A's depth is the
// concatenation of the segments, and A(i, p) for p in segment s is seg[s].rows[i][p - start of s].
// A convolution's im2col rows, taken straight from the input (one segment per filter row).
struct GatherSegment {
  const float* rows[kMR];
  size_t length;
};
using GatherMicroKernel = void (*)(size_t segments, const GatherSegment* seg, const float* b, float* c, size_t ldc,
                                   bool accumulate);

void microKernelGenericGather(size_t segments, const GatherSegment* seg, const float* b, float* c, size_t ldc,
                              bool accumulate);
void microKernelAvx2Gather(size_t segments, const GatherSegment* seg, const float* b, float* c, size_t ldc,
                           bool accumulate);

// Packs rows [i0, i0 + mc) x depth [p0, p0 + kc) of op(A) as consecutive kMR-row panels, each
// laid out depth-major (kMR values per depth step), zero-padding the last panel's rows.
using PackA = void (*)(const float* a, size_t lda, bool trans, size_t i0, size_t mc, size_t p0, size_t kc, float* dst);
void packA(const float* a, size_t lda, bool trans, size_t i0, size_t mc, size_t p0, size_t kc, float* dst);
void packAAvx2(const float* a, size_t lda, bool trans, size_t i0, size_t mc, size_t p0, size_t kc, float* dst);

// Packs depth [p0, p0 + kc) x columns [j0, j0 + nc) of op(B) as consecutive kNR-column panels,
// each depth-major (kNR values per depth step), zero-padding the last panel's columns.
using PackB = void (*)(const float* b, size_t ldb, bool trans, size_t p0, size_t kc, size_t j0, size_t nc, float* dst);
void packB(const float* b, size_t ldb, bool trans, size_t p0, size_t kc, size_t j0, size_t nc, float* dst);
void packBAvx2(const float* b, size_t ldb, bool trans, size_t p0, size_t kc, size_t j0, size_t nc, float* dst);

}  // namespace nabla
