// The tile transforms of Winograd's F(m x m, 3x3) (conv_winograd.cc), for m = 2 and m = 4:
// a tile of n = m + 2 input pixels a side gives m x m outputs, through n x n "points".
// Each transform works on whole rows of channels (one row per pixel or point), 8 channels a
// vector in the AVX2 form. The matrices are constants, so after unrolling every zero
// coefficient drops out and every +-1 is an add or a subtraction.
#pragma once

#include <cstddef>
#include <cstring>

#include "cpu_features.h"
#include "simd_dispatch.h"

#if NABLA_HAVE_AVX2_TARGET
#include <immintrin.h>
#endif

#if defined(__clang__)
#define NABLA_UNROLL _Pragma("unroll")
#elif defined(__GNUC__)
#define NABLA_UNROLL _Pragma("GCC unroll 8")
#else
#define NABLA_UNROLL
#endif

namespace nabla {
namespace winograd {

// Y = A^T [(G g G^T) * (B^T d B)] A (Lavin & Gray, 2015), from Toom-Cook interpolation points.
template <int M>
struct Matrices;

template <>
struct Matrices<2> {  // points 0, 1, -1, infinity
  static constexpr int N = 4;
  static constexpr float BT[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
  static constexpr float G[4][3] = {{1, 0, 0}, {0.5f, 0.5f, 0.5f}, {0.5f, -0.5f, 0.5f}, {0, 0, 1}};
  static constexpr float AT[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};
};

// Points 0, 1, -1, 1/2, -2, infinity, in the plain Toom-Cook form (all of the Lagrange
// denominators in G). In float32 with 64-channel sums its error is 2.5x below that of the
// 0, +-1, +-2 points in Lavin's scaling (largest error over 40k outputs: 7.2e-5 vs 1.8e-4,
// direct summation 3.0e-5), so 4x4 blocks stay well inside the direct product's tolerance.
template <>
struct Matrices<4> {
  static constexpr int N = 6;
  static constexpr float BT[6][6] = {{1, -1.5f, -2, 1.5f, 1, 0},    {0, -1, 0.5f, 2.5f, 1, 0},
                                     {0, 1, -2.5f, 0.5f, 1, 0},     {0, -2, -1, 2, 1, 0},
                                     {0, 0.5f, -1, -0.5f, 1, 0},    {0, 1, -1.5f, -2, 1.5f, 1}};
  static constexpr float G[6][3] = {{1, 0, 0},
                                    {1.0f / 3, 1.0f / 3, 1.0f / 3},
                                    {-1.0f / 3, 1.0f / 3, -1.0f / 3},
                                    {-16.0f / 15, -8.0f / 15, -4.0f / 15},
                                    {1.0f / 15, -2.0f / 15, 4.0f / 15},
                                    {0, 0, 1}};
  static constexpr float AT[4][6] = {
      {1, 1, 1, 1, 1, 0}, {0, 1, -1, 0.5f, -2, 0}, {0, 1, 1, 0.25f, 4, 0}, {0, 1, -1, 0.125f, -8, 1}};
};

// A = AT^T and G^T as constants (the gradient transforms combine with their columns).
template <int M>
struct Transposed {
  static constexpr int N = M + 2;
  struct A {
    float w[N][M];
  };
  struct GT {
    float w[3][N];
  };
  static constexpr A a = [] {
    A r{};
    for (int i = 0; i < N; ++i) {
      for (int k = 0; k < M; ++k) r.w[i][k] = Matrices<M>::AT[k][i];
    }
    return r;
  }();
  static constexpr GT gt = [] {
    GT r{};
    for (int a = 0; a < 3; ++a) {
      for (int k = 0; k < N; ++k) r.w[a][k] = Matrices<M>::G[k][a];
    }
    return r;
  }();
};

// out[l] = sum over k of w[k] * v[k * stride][l] for L lanes (channels), zero coefficients
// skipped (so a zero times an infinity never makes a NaN that the direct product would not).
template <int K, int L>
NABLA_INLINE void combine(const float* w, const float (*v)[L], int stride, float* out) {
  float acc[L] = {};
  NABLA_UNROLL
  for (int k = 0; k < K; ++k) {
    if (w[k] == 0.0f) continue;
    for (int l = 0; l < L; ++l) acc[l] += w[k] * v[k * stride][l];
  }
  for (int l = 0; l < L; ++l) out[l] = acc[l];
}

// V = B^T d B for L channels from c: src[n * r + s] is the tile's input pixel (r, s) (a row of
// channels), dst[point] the point's row.
template <int M, int L>
NABLA_INLINE void inputBlock(const float* const* src, float* const* dst, size_t c) {
  using T = Matrices<M>;
  constexpr int N = T::N;
  float d[N * N][L], t[N * N][L], v[L];
  for (int k = 0; k < N * N; ++k) std::memcpy(d[k], src[k] + c, sizeof d[k]);
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) combine<N, L>(T::BT[i], d + j, N, t[i * N + j]);
  }
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      combine<N, L>(T::BT[j], t + i * N, 1, v);
      std::memcpy(dst[i * N + j] + c, v, sizeof v);
    }
  }
}

// Y = A^T P A for L channels from c: src[point] is the point's GEMM result row, dst[m * r + s]
// the output pixel (r, s).
template <int M, int L>
NABLA_INLINE void outputBlock(const float* const* src, float* const* dst, size_t c) {
  using T = Matrices<M>;
  constexpr int N = T::N;
  float p[N * N][L], t[M * N][L], y[L];
  for (int k = 0; k < N * N; ++k) std::memcpy(p[k], src[k] + c, sizeof p[k]);
  for (int i = 0; i < M; ++i) {
    for (int j = 0; j < N; ++j) combine<N, L>(T::AT[i], p + j, N, t[i * N + j]);
  }
  for (int i = 0; i < M; ++i) {
    for (int j = 0; j < M; ++j) {
      combine<N, L>(T::AT[j], t + i * N, 1, y);
      std::memcpy(dst[i * M + j] + c, y, sizeof y);
    }
  }
}

// Z = A dY A^T (the adjoint of the output transform) for L channels from c: src[m * r + s] is
// the output gradient at pixel (r, s), dst[point] the point's row of Z as GEMM B panels of
// `panel` channels, `panelStride` apart (channel c at (c / panel) * panelStride + c % panel;
// `panel` is a multiple of L).
template <int M, int L>
NABLA_INLINE void gradientBlock(const float* const* src, float* const* dst, size_t c, size_t panel,
                                size_t panelStride) {
  constexpr int N = Matrices<M>::N;
  constexpr auto& at = Transposed<M>::a.w;
  float d[M * M][L], t[N * M][L], z[L];
  for (int k = 0; k < M * M; ++k) std::memcpy(d[k], src[k] + c, sizeof d[k]);
  for (int i = 0; i < N; ++i) {
    for (int b = 0; b < M; ++b) combine<M, L>(at[i], d + b, M, t[i * M + b]);
  }
  const size_t offset = c / panel * panelStride + c % panel;
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) {
      combine<M, L>(at[j], t + i * M, 1, z);
      std::memcpy(dst[i * N + j] + offset, z, sizeof z);
    }
  }
}

// The portable transforms of channels [c0, c1): 8 channels a block (which the compiler
// vectorises for the baseline instruction set), then one at a time.
template <int M>
void inputPortable(const float* const* src, float* const* dst, size_t c0, size_t c1) {
  size_t c = c0;
  for (; c + 8 <= c1; c += 8) inputBlock<M, 8>(src, dst, c);
  for (; c < c1; ++c) inputBlock<M, 1>(src, dst, c);
}

template <int M>
void outputPortable(const float* const* src, float* const* dst, size_t c0, size_t c1) {
  size_t c = c0;
  for (; c + 8 <= c1; c += 8) outputBlock<M, 8>(src, dst, c);
  for (; c < c1; ++c) outputBlock<M, 1>(src, dst, c);
}

template <int M>
void gradientPortable(const float* const* src, float* const* dst, size_t c0, size_t c1, size_t panel,
                      size_t panelStride) {
  size_t c = c0;
  for (; c + 8 <= c1 && c % 8 == 0; c += 8) gradientBlock<M, 8>(src, dst, c, panel, panelStride);
  for (; c < c1; ++c) gradientBlock<M, 1>(src, dst, c, panel, panelStride);
}

#if NABLA_HAVE_AVX2_TARGET
// The vector form of combine: 8 channels at once.
template <int K>
NABLA_TARGET_AVX2 NABLA_INLINE __m256 combine8(const float* w, const __m256* v, int stride) {
  __m256 acc = _mm256_setzero_ps();
  NABLA_UNROLL
  for (int k = 0; k < K; ++k) {
    if (w[k] == 1.0f) {
      acc = _mm256_add_ps(acc, v[k * stride]);
    } else if (w[k] == -1.0f) {
      acc = _mm256_sub_ps(acc, v[k * stride]);
    } else if (w[k] != 0.0f) {
      acc = _mm256_fmadd_ps(_mm256_set1_ps(w[k]), v[k * stride], acc);
    }
  }
  return acc;
}

template <int M>
NABLA_TARGET_AVX2 void inputAvx2(const float* const* src, float* const* dst, size_t channels) {
  using T = Matrices<M>;
  constexpr int N = T::N;
  size_t c = 0;
  for (; c + 8 <= channels; c += 8) {
    __m256 d[N * N], t[N * N];
    NABLA_UNROLL
    for (int k = 0; k < N * N; ++k) d[k] = _mm256_loadu_ps(src[k] + c);
    NABLA_UNROLL
    for (int i = 0; i < N; ++i) {
      NABLA_UNROLL
      for (int j = 0; j < N; ++j) t[i * N + j] = combine8<N>(T::BT[i], d + j, N);
    }
    NABLA_UNROLL
    for (int i = 0; i < N; ++i) {
      NABLA_UNROLL
      for (int j = 0; j < N; ++j) _mm256_storeu_ps(dst[i * N + j] + c, combine8<N>(T::BT[j], t + i * N, 1));
    }
  }
  inputPortable<M>(src, dst, c, channels);
}

template <int M>
NABLA_TARGET_AVX2 void outputAvx2(const float* const* src, float* const* dst, size_t channels) {
  using T = Matrices<M>;
  constexpr int N = T::N;
  size_t c = 0;
  for (; c + 8 <= channels; c += 8) {
    __m256 p[N * N], t[M * N];
    NABLA_UNROLL
    for (int k = 0; k < N * N; ++k) p[k] = _mm256_loadu_ps(src[k] + c);
    NABLA_UNROLL
    for (int i = 0; i < M; ++i) {
      NABLA_UNROLL
      for (int j = 0; j < N; ++j) t[i * N + j] = combine8<N>(T::AT[i], p + j, N);
    }
    NABLA_UNROLL
    for (int i = 0; i < M; ++i) {
      NABLA_UNROLL
      for (int j = 0; j < M; ++j) _mm256_storeu_ps(dst[i * M + j] + c, combine8<N>(T::AT[j], t + i * N, 1));
    }
  }
  outputPortable<M>(src, dst, c, channels);
}

// `panel` must be a multiple of 8, so no vector straddles two panels.
template <int M>
NABLA_TARGET_AVX2 void gradientAvx2(const float* const* src, float* const* dst, size_t channels, size_t panel,
                                    size_t panelStride) {
  constexpr int N = Matrices<M>::N;
  constexpr auto& at = Transposed<M>::a.w;
  size_t c = 0;
  for (; c + 8 <= channels; c += 8) {
    __m256 d[M * M], t[N * M];
    NABLA_UNROLL
    for (int k = 0; k < M * M; ++k) d[k] = _mm256_loadu_ps(src[k] + c);
    NABLA_UNROLL
    for (int i = 0; i < N; ++i) {
      NABLA_UNROLL
      for (int b = 0; b < M; ++b) t[i * M + b] = combine8<M>(at[i], d + b, M);
    }
    const size_t offset = c / panel * panelStride + c % panel;
    NABLA_UNROLL
    for (int i = 0; i < N; ++i) {
      NABLA_UNROLL
      for (int j = 0; j < N; ++j) _mm256_storeu_ps(dst[i * N + j] + offset, combine8<M>(at[j], t + i * M, 1));
    }
  }
  gradientPortable<M>(src, dst, c, channels, panel, panelStride);
}
#endif

}  // namespace winograd
}  // namespace nabla
