// Portable micro-kernel: plain loops the compiler vectorises for the baseline ISA (SSE2, NEON).
#include "gemm_kernels.h"
#include "simd_dispatch.h"

namespace nabla {
namespace {

NABLA_INLINE void kernelBody(size_t kc, const float* a, size_t rowStride, size_t depthStride, const float* b,
                             float* c, size_t ldc, bool accumulate) {
  float acc[kMR][kNR] = {};
  for (size_t p = 0; p < kc; ++p) {
    const float* bp = b + p * kNR;
    const float* ap = a + p * depthStride;
    for (size_t i = 0; i < kMR; ++i) {
      const float ai = ap[i * rowStride];
      for (size_t j = 0; j < kNR; ++j) acc[i][j] += ai * bp[j];
    }
  }
  for (size_t i = 0; i < kMR; ++i) {
    float* ci = c + i * ldc;
    if (accumulate) {
      for (size_t j = 0; j < kNR; ++j) ci[j] += acc[i][j];
    } else {
      for (size_t j = 0; j < kNR; ++j) ci[j] = acc[i][j];
    }
  }
}

}  // namespace

void microKernelGeneric(size_t kc, const float* a, const float* b, float* c, size_t ldc, bool accumulate) {
  kernelBody(kc, a, 1, kMR, b, c, ldc, accumulate);
}

void microKernelGenericStrided(size_t kc, const float* a, size_t rowStride, size_t depthStride, const float* b,
                               float* c, size_t ldc, bool accumulate) {
  kernelBody(kc, a, rowStride, depthStride, b, c, ldc, accumulate);
}

void microKernelGenericGather(size_t segments, const GatherSegment* seg, const float* b, float* c, size_t ldc,
                              bool accumulate) {
  float acc[kMR][kNR] = {};
  for (size_t s = 0; s < segments; ++s) {
    for (size_t p = 0; p < seg[s].length; ++p, b += kNR) {
      for (size_t i = 0; i < kMR; ++i) {
        const float ai = seg[s].rows[i][p];
        for (size_t j = 0; j < kNR; ++j) acc[i][j] += ai * b[j];
      }
    }
  }
  for (size_t i = 0; i < kMR; ++i) {
    float* ci = c + i * ldc;
    for (size_t j = 0; j < kNR; ++j) ci[j] = (accumulate ? ci[j] : 0.0f) + acc[i][j];
  }
}

}  // namespace nabla
