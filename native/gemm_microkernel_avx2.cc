// AVX2/FMA 6x16 micro-kernel: 12 ymm accumulators, 2 for the B row, 1 for the A broadcast.
#include "cpu_features.h"
#include "gemm_kernels.h"
#include "simd_dispatch.h"

#if NABLA_HAVE_AVX2_TARGET
#include <immintrin.h>

namespace nabla {

static_assert(kMR == 6 && kNR == 16, "the AVX2 micro-kernel is written for 6x16 tiles");

#define NABLA_ROW_FMA(r)                                          \
  {                                                               \
    const __m256 ar = _mm256_broadcast_ss(a + (r) * rowStride);   \
    c##r##0 = _mm256_fmadd_ps(ar, b0, c##r##0);                    \
    c##r##1 = _mm256_fmadd_ps(ar, b1, c##r##1);                    \
  }

#define NABLA_STEP()                                    \
  {                                                     \
    const __m256 b0 = _mm256_load_ps(b);                \
    const __m256 b1 = _mm256_load_ps(b + 8);            \
    NABLA_ROW_FMA(0) NABLA_ROW_FMA(1) NABLA_ROW_FMA(2)  \
    NABLA_ROW_FMA(3) NABLA_ROW_FMA(4) NABLA_ROW_FMA(5)  \
    a += depthStride;                                   \
    b += kNR;                                           \
  }

#define NABLA_STORE_ROW(r)                                                        \
  {                                                                               \
    float* cr = c + (r) * ldc;                                                    \
    if (accumulate) {                                                             \
      c##r##0 = _mm256_add_ps(c##r##0, _mm256_loadu_ps(cr));                      \
      c##r##1 = _mm256_add_ps(c##r##1, _mm256_loadu_ps(cr + 8));                  \
    }                                                                             \
    _mm256_storeu_ps(cr, c##r##0);                                                \
    _mm256_storeu_ps(cr + 8, c##r##1);                                            \
  }

// The 12 accumulators of a 6x16 tile, zeroed, and C's rows prefetched for the final store.
#define NABLA_TILE_START()                                                                          \
  __m256 c00 = _mm256_setzero_ps(), c01 = _mm256_setzero_ps(), c10 = _mm256_setzero_ps();          \
  __m256 c11 = _mm256_setzero_ps(), c20 = _mm256_setzero_ps(), c21 = _mm256_setzero_ps();          \
  __m256 c30 = _mm256_setzero_ps(), c31 = _mm256_setzero_ps(), c40 = _mm256_setzero_ps();          \
  __m256 c41 = _mm256_setzero_ps(), c50 = _mm256_setzero_ps(), c51 = _mm256_setzero_ps();          \
  for (size_t r = 0; r < kMR; ++r) _mm_prefetch(reinterpret_cast<const char*>(c + r * ldc), _MM_HINT_T0);

// A(i, p) = a[i * rowStride + p * depthStride]: (1, kMR) for a packed panel, where the
// constants let the compiler fold the addressing.
NABLA_TARGET_AVX2 NABLA_INLINE void kernelBody(size_t kc, const float* a, size_t rowStride, size_t depthStride,
                                               const float* b, float* c, size_t ldc, bool accumulate) {
  NABLA_TILE_START()

  size_t p = 0;
  for (; p + 4 <= kc; p += 4) {
    _mm_prefetch(reinterpret_cast<const char*>(b + 8 * kNR), _MM_HINT_T0);
    NABLA_STEP() NABLA_STEP()
    _mm_prefetch(reinterpret_cast<const char*>(b + 8 * kNR), _MM_HINT_T0);
    NABLA_STEP() NABLA_STEP()
  }
  for (; p < kc; ++p) NABLA_STEP()

  NABLA_STORE_ROW(0) NABLA_STORE_ROW(1) NABLA_STORE_ROW(2)
  NABLA_STORE_ROW(3) NABLA_STORE_ROW(4) NABLA_STORE_ROW(5)
}

NABLA_TARGET_AVX2
void microKernelAvx2(size_t kc, const float* a, const float* b, float* c, size_t ldc, bool accumulate) {
  kernelBody(kc, a, 1, kMR, b, c, ldc, accumulate);
}

NABLA_TARGET_AVX2
void microKernelAvx2Strided(size_t kc, const float* a, size_t rowStride, size_t depthStride, const float* b, float* c,
                            size_t ldc, bool accumulate) {
  kernelBody(kc, a, rowStride, depthStride, b, c, ldc, accumulate);
}

#define NABLA_GATHER_FMA(k)                                     \
  {                                                             \
    const __m256 ak = _mm256_broadcast_ss(row##k + p);          \
    c##k##0 = _mm256_fmadd_ps(ak, b0, c##k##0);                  \
    c##k##1 = _mm256_fmadd_ps(ak, b1, c##k##1);                  \
  }

#define NABLA_GATHER_STEP()                                       \
  {                                                               \
    const __m256 b0 = _mm256_load_ps(b);                          \
    const __m256 b1 = _mm256_load_ps(b + 8);                      \
    NABLA_GATHER_FMA(0) NABLA_GATHER_FMA(1) NABLA_GATHER_FMA(2)   \
    NABLA_GATHER_FMA(3) NABLA_GATHER_FMA(4) NABLA_GATHER_FMA(5)   \
    b += kNR;                                                     \
  }

NABLA_TARGET_AVX2
void microKernelAvx2Gather(size_t segments, const GatherSegment* seg, const float* b, float* c, size_t ldc,
                           bool accumulate) {
  NABLA_TILE_START()
  for (size_t s = 0; s < segments; ++s) {
    const float *row0 = seg[s].rows[0], *row1 = seg[s].rows[1], *row2 = seg[s].rows[2];
    const float *row3 = seg[s].rows[3], *row4 = seg[s].rows[4], *row5 = seg[s].rows[5];
    const size_t kc = seg[s].length;
    for (size_t p = 0; p < kc; ++p) NABLA_GATHER_STEP()
  }
  NABLA_STORE_ROW(0) NABLA_STORE_ROW(1) NABLA_STORE_ROW(2)
  NABLA_STORE_ROW(3) NABLA_STORE_ROW(4) NABLA_STORE_ROW(5)
}

// The first MR (< kMR) rows of a tile from a packed A panel (kMR values per depth step).
template <size_t MR>
NABLA_TARGET_AVX2 NABLA_INLINE void kernelRows(size_t kc, const float* a, const float* b, float* c, size_t ldc,
                                               bool accumulate) {
  __m256 acc0[MR], acc1[MR];
  for (size_t i = 0; i < MR; ++i) acc0[i] = acc1[i] = _mm256_setzero_ps();
  for (size_t p = 0; p < kc; ++p) {
    const __m256 b0 = _mm256_load_ps(b), b1 = _mm256_load_ps(b + 8);
    for (size_t i = 0; i < MR; ++i) {
      const __m256 ai = _mm256_broadcast_ss(a + i);
      acc0[i] = _mm256_fmadd_ps(ai, b0, acc0[i]);
      acc1[i] = _mm256_fmadd_ps(ai, b1, acc1[i]);
    }
    a += kMR;
    b += kNR;
  }
  for (size_t i = 0; i < MR; ++i) {
    float* ci = c + i * ldc;
    if (accumulate) {
      acc0[i] = _mm256_add_ps(acc0[i], _mm256_loadu_ps(ci));
      acc1[i] = _mm256_add_ps(acc1[i], _mm256_loadu_ps(ci + 8));
    }
    _mm256_storeu_ps(ci, acc0[i]);
    _mm256_storeu_ps(ci + 8, acc1[i]);
  }
}

NABLA_TARGET_AVX2
void microKernelAvx2Rows(size_t mr, size_t kc, const float* a, const float* b, float* c, size_t ldc, bool accumulate) {
  switch (mr) {
    case 1: kernelRows<1>(kc, a, b, c, ldc, accumulate); break;
    case 2: kernelRows<2>(kc, a, b, c, ldc, accumulate); break;
    case 3: kernelRows<3>(kc, a, b, c, ldc, accumulate); break;
    case 4: kernelRows<4>(kc, a, b, c, ldc, accumulate); break;
    default: kernelRows<5>(kc, a, b, c, ldc, accumulate); break;
  }
}

}  // namespace nabla

#else

namespace nabla {
void microKernelAvx2Rows(size_t mr, size_t kc, const float* a, const float* b, float* c, size_t ldc, bool accumulate) {
  alignas(64) float tile[kMR * kNR];
  microKernelGeneric(kc, a, b, tile, kNR, false);
  for (size_t i = 0; i < mr; ++i) {
    for (size_t j = 0; j < kNR; ++j) c[i * ldc + j] = (accumulate ? c[i * ldc + j] : 0.0f) + tile[i * kNR + j];
  }
}
void microKernelAvx2(size_t kc, const float* a, const float* b, float* c, size_t ldc, bool accumulate) {
  microKernelGeneric(kc, a, b, c, ldc, accumulate);
}
void microKernelAvx2Strided(size_t kc, const float* a, size_t rowStride, size_t depthStride, const float* b, float* c,
                            size_t ldc, bool accumulate) {
  microKernelGenericStrided(kc, a, rowStride, depthStride, b, c, ldc, accumulate);
}
void microKernelAvx2Gather(size_t segments, const GatherSegment* seg, const float* b, float* c, size_t ldc,
                           bool accumulate) {
  microKernelGenericGather(segments, seg, b, c, ldc, accumulate);
}
}  // namespace nabla

#endif
