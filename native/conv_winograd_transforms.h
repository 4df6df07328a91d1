// The tile transforms of Winograd's F(m x m, 3x3) (conv_winograd.cc), for m = 2 and m = 4:
// a tile of n = m + 2 input pixels a side gives m x m outputs, through n x n "points".
// Each transform works on whole rows of channels (one row per pixel or point), 8 channels a
// vector in the AVX2 form. The matrices are constants, so after unrolling every zero
// coefficient drops out and every +-1 is an add or a subtraction.
#pragma once

#include <cstddef>
#include <cstring>
#include <type_traits>

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
  // Their transposes, which the gradient transforms combine with.
  static constexpr float A[4][2] = {{1, 0}, {1, 1}, {1, -1}, {0, -1}};
  static constexpr float GT[3][4] = {{1, 0.5f, 0.5f, 0}, {0, 0.5f, -0.5f, 0}, {0, 0.5f, 0.5f, 1}};
  static constexpr float B[4][4] = {{1, 0, 0, 0}, {0, 1, -1, 1}, {-1, 1, 1, 0}, {0, 0, 0, -1}};
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
  static constexpr float A[6][4] = {{1, 0, 0, 0},          {1, 1, 1, 1},     {1, -1, 1, -1},
                                    {1, 0.5f, 0.25f, 0.125f}, {1, -2, 4, -8}, {0, 0, 0, 1}};
  static constexpr float GT[3][6] = {{1, 1.0f / 3, -1.0f / 3, -16.0f / 15, 1.0f / 15, 0},
                                     {0, 1.0f / 3, 1.0f / 3, -8.0f / 15, -2.0f / 15, 0},
                                     {0, 1.0f / 3, -1.0f / 3, -4.0f / 15, 4.0f / 15, 1}};
  static constexpr float B[6][6] = {{1, 0, 0, 0, 0, 0},           {-1.5f, -1, 1, -2, 0.5f, 1},
                                    {-2, 0.5f, -2.5f, -1, -1, -1.5f}, {1.5f, 2.5f, 0.5f, 2, -0.5f, -2},
                                    {1, 1, 1, 1, 1, 1.5f},          {0, 0, 0, 0, 0, 1}};
};

// A, GT and B must be the transposes of AT, G and BT, element for element.
template <int M>
constexpr bool transposesMatch() {
  using T = Matrices<M>;
  for (int i = 0; i < T::N; ++i) {
    for (int k = 0; k < M; ++k) {
      if (T::A[i][k] != T::AT[k][i]) return false;
    }
    for (int k = 0; k < 3; ++k) {
      if (T::GT[k][i] != T::G[i][k]) return false;
    }
    for (int k = 0; k < T::N; ++k) {
      if (T::B[i][k] != T::BT[k][i]) return false;
    }
  }
  return true;
}
static_assert(transposesMatch<2>() && transposesMatch<4>(), "Winograd matrices: A, GT or B is not the transpose");

// The rows and columns of a constant matrix given as a template argument.
template <const auto& W>
constexpr int kRows = static_cast<int>(std::extent_v<std::remove_reference_t<decltype(W)>, 0>);
template <const auto& W>
constexpr int kCols = static_cast<int>(std::extent_v<std::remove_reference_t<decltype(W)>, 1>);

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

// Every transform is Y = W X W^T for a constant R x K matrix W: X is K x K, src[K * r + s] its
// element (r, s) as a row of channels, and dst[R * i + j] receives Y(i, j). Channel c lands at
// c / panel * panelStride + c % panel (GEMM B panels), or at c when panel is 0.
inline size_t landing(size_t c, size_t panel, size_t panelStride) {
  return panel == 0 ? c : c / panel * panelStride + c % panel;
}

// L channels from c (the portable form, which the compiler vectorises for the baseline ISA).
template <const auto& W, int L>
NABLA_INLINE void sandwichBlock(const float* const* src, float* const* dst, size_t c, size_t at) {
  constexpr int R = kRows<W>, K = kCols<W>;
  float x[K * K][L], t[R * K][L], y[L];
  for (int k = 0; k < K * K; ++k) std::memcpy(x[k], src[k] + c, sizeof x[k]);
  for (int i = 0; i < R; ++i) {
    for (int j = 0; j < K; ++j) combine<K, L>(W[i], x + j, K, t[i * K + j]);
  }
  for (int i = 0; i < R; ++i) {
    for (int j = 0; j < R; ++j) {
      combine<K, L>(W[j], t + i * K, 1, y);
      std::memcpy(dst[i * R + j] + at, y, sizeof y);
    }
  }
}

// Channels [c0, c1): 8 a block, then one at a time. With panels, c0 and `panel` are multiples of 8.
template <const auto& W>
void sandwichPortable(const float* const* src, float* const* dst, size_t c0, size_t c1, size_t panel,
                      size_t panelStride) {
  size_t c = c0;
  for (; c + 8 <= c1; c += 8) sandwichBlock<W, 8>(src, dst, c, landing(c, panel, panelStride));
  for (; c < c1; ++c) sandwichBlock<W, 1>(src, dst, c, landing(c, panel, panelStride));
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

// The same in ymm registers, 8 channels a vector (the portable form's arrays went through the
// stack, whose split stores stall the vector reloads); the last channels % 8 go the portable way.
template <const auto& W>
NABLA_TARGET_AVX2 void sandwichAvx2(const float* const* src, float* const* dst, size_t channels, size_t panel,
                                    size_t panelStride) {
  constexpr int R = kRows<W>, K = kCols<W>;
  size_t c = 0;
  for (; c + 8 <= channels; c += 8) {
    __m256 x[K * K], t[R * K];
    NABLA_UNROLL
    for (int k = 0; k < K * K; ++k) x[k] = _mm256_loadu_ps(src[k] + c);
    NABLA_UNROLL
    for (int i = 0; i < R; ++i) {
      NABLA_UNROLL
      for (int j = 0; j < K; ++j) t[i * K + j] = combine8<K>(W[i], x + j, K);
    }
    const size_t at = landing(c, panel, panelStride);
    NABLA_UNROLL
    for (int i = 0; i < R; ++i) {
      NABLA_UNROLL
      for (int j = 0; j < R; ++j) _mm256_storeu_ps(dst[i * R + j] + at, combine8<K>(W[j], t + i * K, 1));
    }
  }
  sandwichPortable<W>(src, dst, c, channels, panel, panelStride);
}
#endif

// The three transforms of F(m x m, 3x3), each over `channels` channels:
// - input: V = B^T d B; src[n * r + s] is the tile's input pixel (r, s), dst[point] its row of V;
// - output: Y = A^T P A; src[point] is the point's GEMM result row, dst[m * r + s] output pixel (r, s);
// - gradient: Z = A dY A^T (the adjoint of the output transform); src[m * r + s] is dy at pixel
//   (r, s), dst[point] the point's row of Z, in GEMM B panels of `panel` channels (a multiple of
//   8) `panelStride` apart, or as one row when panel is 0;
// - inputGradient: dX = B P B^T (the adjoint of the input transform); src[point] is a GEMM result
//   row, dst[n * r + s] the input tile's pixel (r, s).
template <int M>
struct Transforms {
  using T = Matrices<M>;
  static void inputPortable(const float* const* src, float* const* dst, size_t channels) {
    sandwichPortable<T::BT>(src, dst, 0, channels, 0, 0);
  }
  static void outputPortable(const float* const* src, float* const* dst, size_t channels) {
    sandwichPortable<T::AT>(src, dst, 0, channels, 0, 0);
  }
  static void gradientPortable(const float* const* src, float* const* dst, size_t channels, size_t panel,
                               size_t panelStride) {
    sandwichPortable<T::A>(src, dst, 0, channels, panel, panelStride);
  }
  static void inputGradientPortable(const float* const* src, float* const* dst, size_t channels) {
    sandwichPortable<T::B>(src, dst, 0, channels, 0, 0);
  }
#if NABLA_HAVE_AVX2_TARGET
  static void inputAvx2(const float* const* src, float* const* dst, size_t channels) {
    sandwichAvx2<T::BT>(src, dst, channels, 0, 0);
  }
  static void outputAvx2(const float* const* src, float* const* dst, size_t channels) {
    sandwichAvx2<T::AT>(src, dst, channels, 0, 0);
  }
  static void gradientAvx2(const float* const* src, float* const* dst, size_t channels, size_t panel,
                           size_t panelStride) {
    sandwichAvx2<T::A>(src, dst, channels, panel, panelStride);
  }
  static void inputGradientAvx2(const float* const* src, float* const* dst, size_t channels) {
    sandwichAvx2<T::B>(src, dst, channels, 0, 0);
  }
#endif
};

}  // namespace winograd
}  // namespace nabla
