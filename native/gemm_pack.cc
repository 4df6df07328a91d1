// Packing of op(A) and op(B) blocks into the panel layout the micro-kernels stream through.
#include <algorithm>
#include <cstring>

#include "gemm_kernels.h"

namespace nabla {

void packA(const float* a, size_t lda, bool trans, size_t i0, size_t mc, size_t p0, size_t kc, float* dst) {
  for (size_t ib = 0; ib < mc; ib += kMR, dst += kMR * kc) {
    const size_t rows = std::min(kMR, mc - ib);
    if (trans) {
      // op(A)(i, p) = a[p * lda + i]: each depth step reads kMR consecutive values.
      for (size_t p = 0; p < kc; ++p) {
        const float* src = a + (p0 + p) * lda + i0 + ib;
        float* d = dst + p * kMR;
        size_t r = 0;
        for (; r < rows; ++r) d[r] = src[r];
        for (; r < kMR; ++r) d[r] = 0.0f;
      }
    } else if (rows == kMR) {
      const float* src[kMR];
      for (size_t r = 0; r < kMR; ++r) src[r] = a + (i0 + ib + r) * lda + p0;
      for (size_t p = 0; p < kc; ++p) {
        float* d = dst + p * kMR;
        for (size_t r = 0; r < kMR; ++r) d[r] = src[r][p];
      }
    } else {
      for (size_t p = 0; p < kc; ++p) {
        float* d = dst + p * kMR;
        size_t r = 0;
        for (; r < rows; ++r) d[r] = a[(i0 + ib + r) * lda + p0 + p];
        for (; r < kMR; ++r) d[r] = 0.0f;
      }
    }
  }
}

void packB(const float* b, size_t ldb, bool trans, size_t p0, size_t kc, size_t j0, size_t nc, float* dst) {
  for (size_t jb = 0; jb < nc; jb += kNR, dst += kNR * kc) {
    const size_t cols = std::min(kNR, nc - jb);
    if (!trans && cols == kNR) {
      // op(B)(p, j) = b[p * ldb + j]: each depth step copies one contiguous row segment.
      for (size_t p = 0; p < kc; ++p) std::memcpy(dst + p * kNR, b + (p0 + p) * ldb + j0 + jb, kNR * sizeof(float));
    } else if (!trans) {
      for (size_t p = 0; p < kc; ++p) {
        const float* src = b + (p0 + p) * ldb + j0 + jb;
        float* d = dst + p * kNR;
        std::memcpy(d, src, cols * sizeof(float));
        if (cols < kNR) std::memset(d + cols, 0, (kNR - cols) * sizeof(float));
      }
    } else {
      // op(B)(p, j) = b[j * ldb + p]: walk each source row once, scattering with stride kNR.
      for (size_t j = 0; j < cols; ++j) {
        const float* src = b + (j0 + jb + j) * ldb + p0;
        for (size_t p = 0; p < kc; ++p) dst[p * kNR + j] = src[p];
      }
      for (size_t j = cols; j < kNR; ++j) {
        for (size_t p = 0; p < kc; ++p) dst[p * kNR + j] = 0.0f;
      }
    }
  }
}

}  // namespace nabla
