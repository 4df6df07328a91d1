#include "conv_winograd.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "aligned_buffer.h"
#include "conv_stride1.h"
#include "gemm.h"
#include "gemm_kernels.h"
#include "simd_dispatch.h"
#include "thread_pool.h"

#if NABLA_HAVE_AVX2_TARGET
#include <immintrin.h>
#endif

namespace nabla {
namespace {

// 4x4 input tiles, one per 2x2 output block, step 2 apart: 16 transformed values per channel.
constexpr int kPoints = 16;
// Output blocks per task: whole micro-kernel row panels, few enough that one task's transformed
// tiles and GEMM results (2 x 16 x 48 rows x 64 floats = 384 KiB at 64 channels) stay in L2.
constexpr int64_t kTilesPerTask = 48;

thread_local AlignedBuffer t_filterU;   // the calling thread's transformed, packed filter
thread_local AlignedBuffer t_dense;     // the same before packing
thread_local AlignedBuffer t_tiles;     // a task's transformed input tiles: 16 planes of rows x C
thread_local AlignedBuffer t_products;  // a task's GEMM results: 16 planes of rows x nPad
thread_local std::vector<float> t_zeros;    // what reads outside the input see
thread_local std::vector<float> t_discard;  // where writes outside the output go

size_t sz(int64_t v) { return static_cast<size_t>(v); }

// U = G k G^T for every (input, output) channel pair, with G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]:
// dense[point][i][o] for the 16 points of the 4x4 transformed filter.
void transformFilter(const ConvGeometry& g, const float* filter, bool turned, float* dense) {
  const size_t C = sz(g.inChannels), O = sz(g.outChannels), plane = C * O;
  for (size_t i = 0; i < C; ++i) {
    for (size_t o = 0; o < O; ++o) {
      float k[3][3];
      for (size_t a = 0; a < 3; ++a) {
        for (size_t b = 0; b < 3; ++b) {
          k[a][b] = turned ? filter[((2 - a) * 3 + (2 - b)) * plane + o * C + i] : filter[(a * 3 + b) * plane + i * O + o];
        }
      }
      float gk[4][3];
      for (size_t b = 0; b < 3; ++b) {
        gk[0][b] = k[0][b];
        gk[1][b] = 0.5f * (k[0][b] + k[1][b] + k[2][b]);
        gk[2][b] = 0.5f * (k[0][b] - k[1][b] + k[2][b]);
        gk[3][b] = k[2][b];
      }
      float* u = dense + i * O + o;
      for (size_t r = 0; r < 4; ++r) {
        u[(r * 4 + 0) * plane] = gk[r][0];
        u[(r * 4 + 1) * plane] = 0.5f * (gk[r][0] + gk[r][1] + gk[r][2]);
        u[(r * 4 + 2) * plane] = 0.5f * (gk[r][0] - gk[r][1] + gk[r][2]);
        u[(r * 4 + 3) * plane] = gk[r][2];
      }
    }
  }
}

// V = B^T d B for L channels from c of one 4x4 tile, B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
// src[4r + s] is the tile's pixel (r, s) (a row of channels), dst[point] the point's output row.
// Rows are combined first, then columns; every load and store is one whole run of L channels,
// so each vectorises as a single vector move.
template <int L>
NABLA_INLINE void inputLanes(const float* const* src, float* const* dst, size_t c) {
  float w[kPoints][L], v[kPoints][L];
  for (int r = 0; r < 4; ++r) {
    float d[4][L];
    for (int s = 0; s < 4; ++s) std::memcpy(d[s], src[4 * r + s] + c, sizeof d[s]);
    for (int l = 0; l < L; ++l) {
      w[4 * r][l] = d[0][l] - d[2][l];
      w[4 * r + 1][l] = d[1][l] + d[2][l];
      w[4 * r + 2][l] = d[2][l] - d[1][l];
      w[4 * r + 3][l] = d[1][l] - d[3][l];
    }
  }
  for (int s = 0; s < 4; ++s) {
    for (int l = 0; l < L; ++l) {
      v[s][l] = w[s][l] - w[8 + s][l];
      v[4 + s][l] = w[4 + s][l] + w[8 + s][l];
      v[8 + s][l] = w[8 + s][l] - w[4 + s][l];
      v[12 + s][l] = w[4 + s][l] - w[12 + s][l];
    }
  }
  for (int k = 0; k < kPoints; ++k) std::memcpy(dst[k] + c, v[k], sizeof v[k]);
}

// Y = A^T M A for L channels from c of one tile, A^T = [1 1 1 0; 0 1 -1 -1]: src[point] is the
// point's GEMM result row, dst[2r + s] the output pixel (r, s).
template <int L>
NABLA_INLINE void outputLanes(const float* const* src, float* const* dst, size_t c) {
  float t[8][L], y[4][L];
  for (int s = 0; s < 4; ++s) {
    float m[4][L];
    for (int r = 0; r < 4; ++r) std::memcpy(m[r], src[4 * r + s] + c, sizeof m[r]);
    for (int l = 0; l < L; ++l) {
      t[s][l] = m[0][l] + m[1][l] + m[2][l];
      t[4 + s][l] = m[1][l] - m[2][l] - m[3][l];
    }
  }
  for (int r = 0; r < 2; ++r) {
    for (int l = 0; l < L; ++l) {
      y[2 * r][l] = t[4 * r][l] + t[4 * r + 1][l] + t[4 * r + 2][l];
      y[2 * r + 1][l] = t[4 * r + 1][l] - t[4 * r + 2][l] - t[4 * r + 3][l];
    }
  }
  for (int k = 0; k < 4; ++k) std::memcpy(dst[k] + c, y[k], sizeof y[k]);
}

// Z = A dY A^T for L channels from c of one 2x2 block of output gradients, the adjoint of the
// output transform: src[2r + s] is dy at pixel (r, s), dst[point] the point's row of Z, laid out
// as GEMM B panels (channel c at (c / kNR) * panelStride + c % kNR).
template <int L>
NABLA_INLINE void gradientLanes(const float* const* src, float* const* dst, size_t c, size_t panelStride) {
  float w[8][L], z[kPoints][L];
  for (int s = 0; s < 2; ++s) {
    float d0[L], d1[L];
    std::memcpy(d0, src[s] + c, sizeof d0);
    std::memcpy(d1, src[2 + s] + c, sizeof d1);
    for (int l = 0; l < L; ++l) {
      w[s][l] = d0[l];
      w[2 + s][l] = d0[l] + d1[l];
      w[4 + s][l] = d0[l] - d1[l];
      w[6 + s][l] = -d1[l];
    }
  }
  for (int r = 0; r < 4; ++r) {
    for (int l = 0; l < L; ++l) {
      const float w0 = w[2 * r][l], w1 = w[2 * r + 1][l];
      z[4 * r][l] = w0;
      z[4 * r + 1][l] = w0 + w1;
      z[4 * r + 2][l] = w0 - w1;
      z[4 * r + 3][l] = -w1;
    }
  }
  const size_t at = c / kNR * panelStride + c % kNR;
  for (int k = 0; k < kPoints; ++k) std::memcpy(dst[k] + at, z[k], sizeof z[k]);
}

// The portable transforms: one channel at a time (vectorised as far as the compiler manages).
void inputGeneric(const float* const* src, float* const* dst, size_t channels) {
  for (size_t c = 0; c < channels; ++c) inputLanes<1>(src, dst, c);
}
void outputGeneric(const float* const* src, float* const* dst, size_t channels) {
  for (size_t c = 0; c < channels; ++c) outputLanes<1>(src, dst, c);
}
void gradientGeneric(const float* const* src, float* const* dst, size_t channels, size_t panelStride) {
  for (size_t c = 0; c < channels; ++c) gradientLanes<1>(src, dst, c, panelStride);
}

#if NABLA_HAVE_AVX2_TARGET
// The same 8 channels at a time in ymm registers (the portable form went through the stack,
// whose split stores stall the vector reloads).
NABLA_TARGET_AVX2 void inputAvx2(const float* const* src, float* const* dst, size_t channels) {
  size_t c = 0;
  for (; c + 8 <= channels; c += 8) {
    __m256 w[kPoints];
    for (int r = 0; r < 4; ++r) {
      const __m256 d0 = _mm256_loadu_ps(src[4 * r] + c), d1 = _mm256_loadu_ps(src[4 * r + 1] + c);
      const __m256 d2 = _mm256_loadu_ps(src[4 * r + 2] + c), d3 = _mm256_loadu_ps(src[4 * r + 3] + c);
      w[4 * r] = _mm256_sub_ps(d0, d2);
      w[4 * r + 1] = _mm256_add_ps(d1, d2);
      w[4 * r + 2] = _mm256_sub_ps(d2, d1);
      w[4 * r + 3] = _mm256_sub_ps(d1, d3);
    }
    for (int s = 0; s < 4; ++s) {
      _mm256_storeu_ps(dst[s] + c, _mm256_sub_ps(w[s], w[8 + s]));
      _mm256_storeu_ps(dst[4 + s] + c, _mm256_add_ps(w[4 + s], w[8 + s]));
      _mm256_storeu_ps(dst[8 + s] + c, _mm256_sub_ps(w[8 + s], w[4 + s]));
      _mm256_storeu_ps(dst[12 + s] + c, _mm256_sub_ps(w[4 + s], w[12 + s]));
    }
  }
  for (; c < channels; ++c) inputLanes<1>(src, dst, c);
}

NABLA_TARGET_AVX2 void outputAvx2(const float* const* src, float* const* dst, size_t channels) {
  size_t c = 0;
  for (; c + 8 <= channels; c += 8) {
    __m256 t[8];
    for (int s = 0; s < 4; ++s) {
      const __m256 m0 = _mm256_loadu_ps(src[s] + c), m1 = _mm256_loadu_ps(src[4 + s] + c);
      const __m256 m2 = _mm256_loadu_ps(src[8 + s] + c), m3 = _mm256_loadu_ps(src[12 + s] + c);
      t[s] = _mm256_add_ps(_mm256_add_ps(m0, m1), m2);
      t[4 + s] = _mm256_sub_ps(_mm256_sub_ps(m1, m2), m3);
    }
    for (int r = 0; r < 2; ++r) {
      _mm256_storeu_ps(dst[2 * r] + c, _mm256_add_ps(_mm256_add_ps(t[4 * r], t[4 * r + 1]), t[4 * r + 2]));
      _mm256_storeu_ps(dst[2 * r + 1] + c, _mm256_sub_ps(_mm256_sub_ps(t[4 * r + 1], t[4 * r + 2]), t[4 * r + 3]));
    }
  }
  for (; c < channels; ++c) outputLanes<1>(src, dst, c);
}

NABLA_TARGET_AVX2 void gradientAvx2(const float* const* src, float* const* dst, size_t channels, size_t panelStride) {
  static_assert(kNR % 8 == 0, "8-channel runs must not straddle B panels");
  size_t c = 0;
  for (; c + 8 <= channels; c += 8) {
    __m256 w[8];
    for (int s = 0; s < 2; ++s) {
      const __m256 d0 = _mm256_loadu_ps(src[s] + c), d1 = _mm256_loadu_ps(src[2 + s] + c);
      w[s] = d0;
      w[2 + s] = _mm256_add_ps(d0, d1);
      w[4 + s] = _mm256_sub_ps(d0, d1);
      w[6 + s] = _mm256_sub_ps(_mm256_setzero_ps(), d1);
    }
    const size_t at = c / kNR * panelStride + c % kNR;
    for (int r = 0; r < 4; ++r) {
      const __m256 w0 = w[2 * r], w1 = w[2 * r + 1];
      _mm256_storeu_ps(dst[4 * r] + at, w0);
      _mm256_storeu_ps(dst[4 * r + 1] + at, _mm256_add_ps(w0, w1));
      _mm256_storeu_ps(dst[4 * r + 2] + at, _mm256_sub_ps(w0, w1));
      _mm256_storeu_ps(dst[4 * r + 3] + at, _mm256_sub_ps(_mm256_setzero_ps(), w1));
    }
  }
  for (; c < channels; ++c) gradientLanes<1>(src, dst, c, panelStride);
}
#else
constexpr auto inputAvx2 = inputGeneric;
constexpr auto outputAvx2 = outputGeneric;
constexpr auto gradientAvx2 = gradientGeneric;
#endif

using TransformFn = void (*)(const float* const*, float* const*, size_t);
using GradientFn = void (*)(const float* const*, float* const*, size_t, size_t);

// The 2x2 output blocks of a convolution, flattened in (image, block row, block column) order.
struct TileGrid {
  int64_t blockRows, blockCols, tiles;
  explicit TileGrid(const ConvGeometry& g)
      : blockRows((g.outHeight + 1) / 2), blockCols((g.outWidth + 1) / 2), tiles(g.batch * blockRows * blockCols) {}
  int64_t tasks() const { return (tiles + kTilesPerTask - 1) / kTilesPerTask; }
};

// Tile t as its image and top-left output pixel.
struct TileOrigin {
  int64_t image, oh, ow;
  TileOrigin(const TileGrid& grid, int64_t t) {
    const int64_t perImage = grid.blockRows * grid.blockCols, within = t % perImage;
    image = t / perImage;
    oh = 2 * (within / grid.blockCols);
    ow = 2 * (within % grid.blockCols);
  }
};

// Plane strides one cache line longer than a task's planes: 16 planes of 48 x 64 floats would
// otherwise all start at the same L1 set (12 KiB apart) and evict each other.
size_t planeStride(size_t width) { return sz(kTilesPerTask) * width + 16; }

// Transforms the input tiles [first, first + count) into row r - first of the 16 planes of v
// (C floats a row, planes vStride apart).
void transformInputs(const ConvGeometry& g, const TileGrid& grid, const float* x, int64_t first, int64_t count,
                     float* v, size_t vStride, TransformFn transform) {
  const size_t C = sz(g.inChannels);
  if (t_zeros.size() < C) t_zeros.assign(C, 0.0f);
  const float* src[kPoints];
  float* dst[kPoints];
  for (int64_t r = 0; r < count; ++r) {
    const TileOrigin at(grid, first + r);
    for (int64_t a = 0; a < 4; ++a) {
      const int64_t ih = at.oh + a - g.padTop;
      for (int64_t b = 0; b < 4; ++b) {
        const int64_t iw = at.ow + b - g.padLeft;
        const bool inside = ih >= 0 && ih < g.inHeight && iw >= 0 && iw < g.inWidth;
        src[a * 4 + b] = inside ? x + ((at.image * g.inHeight + ih) * g.inWidth + iw) * g.inChannels : t_zeros.data();
      }
    }
    for (size_t p = 0; p < kPoints; ++p) dst[p] = v + p * vStride + sz(r) * C;
    transform(src, dst, C);
  }
}

// dfilter = G^T dU G for every channel pair (the adjoint of the filter transform), from
// dU[point][i][o] with rows nPad floats wide.
void untransformFilterGradient(const ConvGeometry& g, const float* dU, size_t uStride, size_t nPad, float* dfilter) {
  const size_t C = sz(g.inChannels), O = sz(g.outChannels);
  for (size_t i = 0; i < C; ++i) {
    for (size_t o = 0; o < O; ++o) {
      float u[4][4], h[3][4];
      for (size_t p = 0; p < kPoints; ++p) u[p / 4][p % 4] = dU[p * uStride + i * nPad + o];
      for (size_t b = 0; b < 4; ++b) {
        h[0][b] = u[0][b] + 0.5f * (u[1][b] + u[2][b]);
        h[1][b] = 0.5f * (u[1][b] - u[2][b]);
        h[2][b] = 0.5f * (u[1][b] + u[2][b]) + u[3][b];
      }
      for (size_t a = 0; a < 3; ++a) {
        float* d = dfilter + (a * 3) * C * O + i * O + o;
        d[0] = h[a][0] + 0.5f * (h[a][1] + h[a][2]);
        d[C * O] = 0.5f * (h[a][1] - h[a][2]);
        d[2 * C * O] = 0.5f * (h[a][1] + h[a][2]) + h[a][3];
      }
    }
  }
}

}  // namespace

bool winogradSuits(const ConvGeometry& g) {
  return g.filterHeight == 3 && g.filterWidth == 3 && g.strideHeight == 1 && g.strideWidth == 1 &&
         g.dilationHeight == 1 && g.dilationWidth == 1 && g.channelMultiplier == 1 && g.inChannels >= 16 &&
         g.outChannels >= 16 && g.pixels() > 0;
}

void conv2dWinograd(const ConvGeometry& g, const float* x, const float* filter, bool turned, float* out) {
  const bool avx2 = useAvx2();
  const TransformFn inputTransform = avx2 ? inputAvx2 : inputGeneric;
  const TransformFn outputTransform = avx2 ? outputAvx2 : outputGeneric;
  const StridedMicroKernel kernel = avx2 ? microKernelAvx2Strided : microKernelGenericStrided;

  const size_t C = sz(g.inChannels), O = sz(g.outChannels), nPad = (O + kNR - 1) / kNR * kNR;
  float* dense = t_dense.reserve(kPoints * C * O);
  transformFilter(g, filter, turned, dense);
  // One depth block per point (the whole of C), so each point's panels are C x kNR floats.
  float* packedU = t_filterU.reserve(kPoints * C * nPad);
  for (size_t p = 0; p < kPoints; ++p) packBWhole(dense + p * C * O, O, false, C, O, packedU + p * C * nPad, C);

  const TileGrid grid(g);
  const size_t vStride = planeStride(C), mStride = planeStride(nPad);
  parallelFor(sz(grid.tasks()), [&](size_t task) {
    const int64_t first = static_cast<int64_t>(task) * kTilesPerTask;
    const int64_t count = std::min(kTilesPerTask, grid.tiles - first);
    const size_t rows = (sz(count) + kMR - 1) / kMR * kMR;
    float* v = t_tiles.reserve(kPoints * vStride);
    float* m = t_products.reserve(kPoints * mStride);
    if (t_discard.size() < O) t_discard.resize(O);
    transformInputs(g, grid, x, first, count, v, vStride, inputTransform);
    // Rows of the last row panel past `count` are multiplied too; give them defined values.
    for (size_t p = 0; p < kPoints; ++p) std::fill(v + p * vStride + sz(count) * C, v + p * vStride + rows * C, 0.0f);

    for (size_t p = 0; p < kPoints; ++p) {
      const float* vp = v + p * vStride;
      const float* up = packedU + p * C * nPad;
      float* mp = m + p * mStride;
      for (size_t jr = 0; jr < nPad; jr += kNR) {
        for (size_t ir = 0; ir < rows; ir += kMR) kernel(C, vp + ir * C, C, 1, up + jr * C, mp + ir * nPad + jr, nPad, false);
      }
    }

    const float* src[kPoints];
    float* dst[kPoints];
    for (int64_t r = 0; r < count; ++r) {
      const TileOrigin at(grid, first + r);
      for (int64_t a = 0; a < 2; ++a) {
        for (int64_t b = 0; b < 2; ++b) {
          const bool inside = at.oh + a < g.outHeight && at.ow + b < g.outWidth;
          dst[a * 2 + b] = inside ? out + ((at.image * g.outHeight + at.oh + a) * g.outWidth + at.ow + b) * g.outChannels
                                  : t_discard.data();
        }
      }
      for (size_t p = 0; p < kPoints; ++p) src[p] = m + p * mStride + sz(r) * nPad;
      outputTransform(src, dst, O);
    }
  });
}

void conv2dBackpropFilterWinograd(const ConvGeometry& g, const float* x, const float* dy, float* dfilter) {
  const bool avx2 = useAvx2();
  const TransformFn inputTransform = avx2 ? inputAvx2 : inputGeneric;
  const GradientFn gradientTransform = avx2 ? gradientAvx2 : gradientGeneric;
  const StridedMicroKernel kernel = avx2 ? microKernelAvx2Strided : microKernelGenericStrided;

  const size_t C = sz(g.inChannels), O = sz(g.outChannels), nPad = (O + kNR - 1) / kNR * kNR;
  const size_t cPad = (C + kMR - 1) / kMR * kMR, uStride = cPad * nPad;
  const TileGrid grid(g);
  const int64_t tasks = grid.tasks();
  // Each chunk of tile blocks sums dU over its tiles into its own partial; partials add up at the end.
  const size_t chunks = filterChunks(tasks, kPoints * uStride);
  std::vector<float> partials(chunks * kPoints * uStride, 0.0f);
  const size_t vStride = planeStride(C), zPanel = sz(kTilesPerTask) * kNR, zStride = planeStride(nPad);
  parallelFor(chunks, [&](size_t chunk) {
    float* dU = partials.data() + chunk * kPoints * uStride;
    float* v = t_tiles.reserve(kPoints * vStride);
    float* z = t_products.reserve(kPoints * zStride);
    if (t_zeros.size() < O) t_zeros.assign(O, 0.0f);
    const int64_t begin = static_cast<int64_t>(chunk) * tasks / static_cast<int64_t>(chunks);
    const int64_t end = static_cast<int64_t>(chunk + 1) * tasks / static_cast<int64_t>(chunks);
    for (int64_t task = begin; task < end; ++task) {
      const int64_t first = task * kTilesPerTask, count = std::min(kTilesPerTask, grid.tiles - first);
      transformInputs(g, grid, x, first, count, v, vStride, inputTransform);
      const float* src[4];
      float* dst[kPoints];
      for (int64_t r = 0; r < count; ++r) {
        const TileOrigin at(grid, first + r);
        for (int64_t a = 0; a < 2; ++a) {
          for (int64_t b = 0; b < 2; ++b) {
            const bool inside = at.oh + a < g.outHeight && at.ow + b < g.outWidth;
            src[a * 2 + b] = inside ? dy + ((at.image * g.outHeight + at.oh + a) * g.outWidth + at.ow + b) * g.outChannels
                                    : t_zeros.data();
          }
        }
        for (size_t p = 0; p < kPoints; ++p) dst[p] = z + p * zStride + sz(r) * kNR;
        gradientTransform(src, dst, O, zPanel);
      }
      // Columns of the last B panel past O are multiplied too; give them defined values.
      if (O < nPad) {
        for (size_t p = 0; p < kPoints; ++p) {
          float* panel = z + p * zStride + (nPad / kNR - 1) * zPanel;
          for (int64_t r = 0; r < count; ++r) std::fill(panel + sz(r) * kNR + O % kNR, panel + sz(r + 1) * kNR, 0.0f);
        }
      }
      // dU[point] (C x O) += V[point]^T (C x tiles) * Z[point] (tiles x O): V is read in place,
      // its channel rows 1 apart and its tiles C apart.
      for (size_t p = 0; p < kPoints; ++p) {
        const float* vp = v + p * vStride;
        const float* zp = z + p * zStride;
        float* up = dU + p * uStride;
        for (size_t jr = 0; jr < nPad; jr += kNR) {
          for (size_t ir = 0; ir < cPad; ir += kMR) kernel(sz(count), vp + ir, 1, C, zp + jr / kNR * zPanel, up + ir * nPad + jr, nPad, true);
        }
      }
    }
  });
  for (size_t c = 1; c < chunks; ++c) {
    const float* part = partials.data() + c * kPoints * uStride;
    for (size_t i = 0; i < kPoints * uStride; ++i) partials[i] += part[i];
  }
  untransformFilterGradient(g, partials.data(), uStride, nPad, dfilter);
}

}  // namespace nabla
