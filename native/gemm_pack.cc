// Packing of op(A) and op(B) blocks into the panel layout the micro-kernels stream through.
//
// Two source layouts: a depth step of the block is either a contiguous row segment of the
// source spanning all its panels (B as stored, A transposed: copied row by row, prefetching rows
// ahead, since the rows are far apart and the hardware prefetchers miss that stride), or one
// column of it (A as stored, B transposed: the AVX2 versions transpose 8x8 blocks in registers,
// the portable ones copy element by element).
#include <algorithm>
#include <cstring>

#include "gemm_kernels.h"
#include "simd_dispatch.h"

#if NABLA_HAVE_AVX2_TARGET
#include <immintrin.h>
#endif

#if defined(__GNUC__) || defined(__clang__)
#define NABLA_PREFETCH(p) __builtin_prefetch(p)
#else
#define NABLA_PREFETCH(p) ((void)(p))
#endif

namespace nabla {
namespace {

// Rows of the source prefetched ahead while packing row by row.
constexpr size_t kPrefetchRows = 16;

// Packs kc depth steps whose values for panels of W columns lie along source rows: depth step
// p is src[p * ld + x] for x in [0, width), split into panels of W values (the last one
// zero-padded), each panel depth-major.
template <size_t W>
NABLA_INLINE void packAcross(const float* src, size_t ld, size_t kc, size_t width, float* dst) {
  const size_t full = width / W, rest = width % W;
  for (size_t p = 0; p < kc; ++p) {
    const float* row = src + p * ld;
    if (p + kPrefetchRows < kc) {
      const float* ahead = row + kPrefetchRows * ld;
      for (size_t x = 0; x < width; x += 16) NABLA_PREFETCH(ahead + x);
      NABLA_PREFETCH(ahead + width - 1);
    }
    float* d = dst + p * W;
    for (size_t q = 0; q < full; ++q) std::memcpy(d + q * W * kc, row + q * W, W * sizeof(float));
    if (rest != 0) {
      float* dr = d + full * W * kc;
      std::memcpy(dr, row + full * W, rest * sizeof(float));
      std::memset(dr + rest, 0, (W - rest) * sizeof(float));
    }
  }
}

// One kMR-row panel of op(A) = A as stored (rows [i0, i0 + rows) of a, depth [p0, p0 + kc)),
// from depth step `from` on.
NABLA_INLINE void packAPanelRows(const float* a, size_t lda, size_t i0, size_t rows, size_t p0, size_t from, size_t kc,
                                 float* dst) {
  if (rows == kMR) {
    const float* src[kMR];
    for (size_t r = 0; r < kMR; ++r) src[r] = a + (i0 + r) * lda + p0;
    for (size_t p = from; p < kc; ++p) {
      float* d = dst + p * kMR;
      for (size_t r = 0; r < kMR; ++r) d[r] = src[r][p];
    }
    return;
  }
  for (size_t p = from; p < kc; ++p) {
    float* d = dst + p * kMR;
    size_t r = 0;
    for (; r < rows; ++r) d[r] = a[(i0 + r) * lda + p0 + p];
    for (; r < kMR; ++r) d[r] = 0.0f;
  }
}

// One kNR-column panel of op(B) = transpose of b (columns are rows of b), from depth `from` on:
// walks each source row once, scattering with stride kNR.
NABLA_INLINE void packBPanelTrans(const float* b, size_t ldb, size_t p0, size_t from, size_t kc, size_t j0,
                                  size_t cols, float* dst) {
  for (size_t j = 0; j < cols; ++j) {
    const float* src = b + (j0 + j) * ldb + p0;
    for (size_t p = from; p < kc; ++p) dst[p * kNR + j] = src[p];
  }
  for (size_t j = cols; j < kNR; ++j) {
    for (size_t p = from; p < kc; ++p) dst[p * kNR + j] = 0.0f;
  }
}

}  // namespace

void packA(const float* a, size_t lda, bool trans, size_t i0, size_t mc, size_t p0, size_t kc, float* dst) {
  if (trans) {
    // op(A)(i, p) = a[p * lda + i]: depth step p is a row segment of a.
    packAcross<kMR>(a + p0 * lda + i0, lda, kc, mc, dst);
    return;
  }
  for (size_t ib = 0; ib < mc; ib += kMR, dst += kMR * kc) {
    packAPanelRows(a, lda, i0 + ib, std::min(kMR, mc - ib), p0, 0, kc, dst);
  }
}

void packB(const float* b, size_t ldb, bool trans, size_t p0, size_t kc, size_t j0, size_t nc, float* dst) {
  if (!trans) {
    // op(B)(p, j) = b[p * ldb + j]: depth step p is a row segment of b.
    packAcross<kNR>(b + p0 * ldb + j0, ldb, kc, nc, dst);
    return;
  }
  for (size_t jb = 0; jb < nc; jb += kNR, dst += kNR * kc) {
    packBPanelTrans(b, ldb, p0, 0, kc, j0 + jb, std::min(kNR, nc - jb), dst);
  }
}

#if NABLA_HAVE_AVX2_TARGET

namespace {

// Transposes the 8x8 block r[0..8) in place: r[i][j] becomes r[j][i].
NABLA_TARGET_AVX2 NABLA_INLINE void transpose8x8(__m256 r[8]) {
  const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  const __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  const __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  const __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  const __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
  r[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
  r[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
  r[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
  r[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
  r[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
  r[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
  r[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

}  // namespace

NABLA_TARGET_AVX2
void packAAvx2(const float* a, size_t lda, bool trans, size_t i0, size_t mc, size_t p0, size_t kc, float* dst) {
  static_assert(kMR == 6, "the AVX2 packing is written for 6-row panels");
  if (trans) {
    packAcross<kMR>(a + p0 * lda + i0, lda, kc, mc, dst);
    return;
  }
  for (size_t ib = 0; ib < mc; ib += kMR, dst += kMR * kc) {
    const size_t rows = std::min(kMR, mc - ib);
    size_t p = 0;
    if (rows == kMR) {
      // 8 depth steps of the 6 rows at a time: transpose 6 (+2 unused) row vectors into 8
      // depth vectors and store the first 6 values of each.
      const float* src = a + (i0 + ib) * lda + p0;
      for (; p + 8 <= kc; p += 8) {
        __m256 r[8];
        for (size_t i = 0; i < kMR; ++i) {
          if ((p & 15) == 0) NABLA_PREFETCH(src + i * lda + p + 64);
          r[i] = _mm256_loadu_ps(src + i * lda + p);
        }
        r[6] = r[7] = _mm256_setzero_ps();
        transpose8x8(r);
        for (size_t q = 0; q < 8; ++q) {
          float* d = dst + (p + q) * kMR;
          _mm_storeu_ps(d, _mm256_castps256_ps128(r[q]));
          _mm_storel_pi(reinterpret_cast<__m64*>(d + 4), _mm256_extractf128_ps(r[q], 1));
        }
      }
    }
    packAPanelRows(a, lda, i0 + ib, rows, p0, p, kc, dst);
  }
}

NABLA_TARGET_AVX2
void packBAvx2(const float* b, size_t ldb, bool trans, size_t p0, size_t kc, size_t j0, size_t nc, float* dst) {
  static_assert(kNR == 16, "the AVX2 packing is written for 16-column panels");
  if (!trans) {
    packAcross<kNR>(b + p0 * ldb + j0, ldb, kc, nc, dst);
    return;
  }
  for (size_t jb = 0; jb < nc; jb += kNR, dst += kNR * kc) {
    const size_t cols = std::min(kNR, nc - jb);
    size_t p = 0;
    if (cols == kNR) {
      // 8 depth steps x 16 columns at a time: two 8x8 transposes of the 16 source rows.
      const float* src = b + (j0 + jb) * ldb + p0;
      for (; p + 8 <= kc; p += 8) {
        for (size_t half = 0; half < 2; ++half) {
          __m256 r[8];
          for (size_t i = 0; i < 8; ++i) {
            const float* s = src + (half * 8 + i) * ldb + p;
            if ((p & 15) == 0) NABLA_PREFETCH(s + 64);
            r[i] = _mm256_loadu_ps(s);
          }
          transpose8x8(r);
          for (size_t q = 0; q < 8; ++q) _mm256_storeu_ps(dst + (p + q) * kNR + half * 8, r[q]);
        }
      }
    }
    packBPanelTrans(b, ldb, p0, p, kc, j0 + jb, cols, dst);
  }
}

#else

void packAAvx2(const float* a, size_t lda, bool trans, size_t i0, size_t mc, size_t p0, size_t kc, float* dst) {
  packA(a, lda, trans, i0, mc, p0, kc, dst);
}
void packBAvx2(const float* b, size_t ldb, bool trans, size_t p0, size_t kc, size_t j0, size_t nc, float* dst) {
  packB(b, ldb, trans, p0, kc, j0, nc, dst);
}

#endif

}  // namespace nabla
