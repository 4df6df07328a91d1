#include "conv_winograd.h"

#include <algorithm>
#include <memory>
#include <vector>

#include "aligned_buffer.h"
#include "conv_stride1.h"
#include "conv_winograd_transforms.h"
#include "gemm.h"
#include "gemm_kernels.h"
#include "simd_dispatch.h"
#include "thread_pool.h"

namespace nabla {
namespace {

using winograd::Matrices;

thread_local AlignedBuffer t_filterU;   // the calling thread's transformed, packed filter
thread_local AlignedBuffer t_turned;    // the calling thread's turned filter, untransformed
thread_local AlignedBuffer t_tiles;     // a task's transformed input tiles: one plane per point
thread_local AlignedBuffer t_products;  // a task's GEMM results (or transformed dy): one plane per point
thread_local AlignedBuffer t_tile;      // one input tile's gradient, before it is added into dx
thread_local std::vector<float> t_zeros;    // what reads outside the input see
thread_local std::vector<float> t_discard;  // where writes outside the output go

size_t sz(int64_t v) { return static_cast<size_t>(v); }

using TransformFn = void (*)(const float* const*, float* const*, size_t);
using GradientFn = void (*)(const float* const*, float* const*, size_t, size_t, size_t);

// F(m x m, 3x3) for one m: its sizes and its transforms for the active instruction set.
template <int M>
struct Variant {
  static constexpr int N = M + 2;
  static constexpr size_t kPoints = N * N;
  // Tiles per task: whole micro-kernel row panels, few enough that a task's transformed tiles
  // and GEMM results (2 x 16 points x 48 tiles x 64 channels = 384 KiB for m = 2) stay in L2.
  static constexpr int64_t kTilesPerTask = M == 2 ? 48 : 24;

  TransformFn input, output, inputGradient;
  GradientFn gradient;
  StridedMicroKernel kernel;

  Variant() {
    using Fns = winograd::Transforms<M>;
#if NABLA_HAVE_AVX2_TARGET
    if (useAvx2()) {
      input = Fns::inputAvx2;
      output = Fns::outputAvx2;
      gradient = Fns::gradientAvx2;
      inputGradient = Fns::inputGradientAvx2;
      kernel = microKernelAvx2Strided;
      return;
    }
#endif
    input = Fns::inputPortable;
    output = Fns::outputPortable;
    gradient = Fns::gradientPortable;
    inputGradient = Fns::inputGradientPortable;
    kernel = microKernelGenericStrided;
  }

  // For every point p: P_p (rows x cols, row stride cols) = A_p (rows x depth, row-major) x B_p
  // (depth x cols, packed as one depth block); the planes lie aStride, depth * cols and pStride
  // apart. `rows` is a whole number of micro-kernel panels.
  void multiplyPoints(size_t rows, size_t depth, size_t cols, const float* a, size_t aStride, const float* b,
                      float* products, size_t pStride) const {
    for (size_t p = 0; p < kPoints; ++p) {
      for (size_t jr = 0; jr < cols; jr += kNR) {
        for (size_t ir = 0; ir < rows; ir += kMR) {
          kernel(depth, a + p * aStride + ir * depth, depth, 1, b + (p * cols + jr) * depth,
                 products + p * pStride + ir * cols + jr, cols, false);
        }
      }
    }
  }

  // Plane strides one cache line longer than a task's planes: 16 planes of 48 x 64 floats would
  // otherwise all start at the same L1 set (12 KiB apart) and evict each other.
  static size_t planeStride(size_t width) { return sz(kTilesPerTask) * width + 16; }
};

// The m x m output blocks of a convolution, flattened in (image, block row, block column) order.
struct TileGrid {
  int64_t m, blockRows, blockCols, tiles;
  TileGrid(const ConvGeometry& g, int64_t m)
      : m(m), blockRows((g.outHeight + m - 1) / m), blockCols((g.outWidth + m - 1) / m),
        tiles(g.batch * blockRows * blockCols) {}
};

// Tile t as its image and top-left output pixel.
struct TileOrigin {
  int64_t image, oh, ow;
  TileOrigin(const TileGrid& grid, int64_t t) {
    const int64_t perImage = grid.blockRows * grid.blockCols, within = t % perImage;
    image = t / perImage;
    oh = grid.m * (within / grid.blockCols);
    ow = grid.m * (within % grid.blockCols);
  }
};

// Points of the tiles F(m x m) needs for g: the GEMMs' share of the work.
int64_t pointsFor(const ConvGeometry& g, int64_t m) { return TileGrid(g, m).tiles * (m + 2) * (m + 2); }

// Transforms the input tiles [first, first + count) into row r - first of each point's plane
// of v (C floats a row, planes vStride apart).
template <int M>
void transformInputs(const Variant<M>& w, const ConvGeometry& g, const TileGrid& grid, const float* x, int64_t first,
                     int64_t count, float* v, size_t vStride) {
  constexpr int N = Variant<M>::N;
  const size_t C = sz(g.inChannels);
  if (t_zeros.size() < C) t_zeros.assign(C, 0.0f);
  const float* src[N * N];
  float* dst[N * N];
  for (int64_t r = 0; r < count; ++r) {
    const TileOrigin at(grid, first + r);
    for (int64_t a = 0; a < N; ++a) {
      const int64_t ih = at.oh + a - g.padTop;
      for (int64_t b = 0; b < N; ++b) {
        const int64_t iw = at.ow + b - g.padLeft;
        const bool inside = ih >= 0 && ih < g.inHeight && iw >= 0 && iw < g.inWidth;
        src[a * N + b] = inside ? x + ((at.image * g.inHeight + ih) * g.inWidth + iw) * g.inChannels : t_zeros.data();
      }
    }
    for (size_t p = 0; p < Variant<M>::kPoints; ++p) dst[p] = v + p * vStride + sz(r) * C;
    w.input(src, dst, C);
  }
}

// Pointers to the m x m output pixels of a tile (where they exist; `outside` where not).
template <int M, class Float>
void tilePixels(const ConvGeometry& g, const TileOrigin& at, Float* base, Float* outside, Float* (&pixels)[M * M]) {
  for (int64_t a = 0; a < M; ++a) {
    for (int64_t b = 0; b < M; ++b) {
      const bool inside = at.oh + a < g.outHeight && at.ow + b < g.outWidth;
      pixels[a * M + b] =
          inside ? base + ((at.image * g.outHeight + at.oh + a) * g.outWidth + at.ow + b) * g.outChannels : outside;
    }
  }
}

// How a transform reads the caller's HWIO filter [3][3][ci][co] as the C x O filter of the
// convolution it computes: as it is; turned (the forward of dy whose result is the input
// gradient: tap t, input i, output o is filter[8 - t][o][i]); or with its channels swapped
// (tap t, input i, output o is filter[t][o][i]: the adjoint's products dY x U^T).
enum class FilterView { Plain, Turned, Swapped };

// The view as an ordinary HWIO filter [tap][i][o] (C inputs, O outputs): transposed in 16x16
// blocks, taps split across threads.
const float* viewFilter(const float* filter, size_t C, size_t O, FilterView view) {
  if (view == FilterView::Plain) return filter;
  float* out = t_turned.reserve(9 * C * O);
  constexpr size_t kBlock = 16;
  parallelFor(9, [&](size_t tap) {
    const float* src = filter + (view == FilterView::Turned ? 8 - tap : tap) * C * O;  // [o][i]
    float* dst = out + tap * C * O;                                                  // [i][o]
    for (size_t o0 = 0; o0 < O; o0 += kBlock) {
      for (size_t i0 = 0; i0 < C; i0 += kBlock) {
        for (size_t o = o0; o < std::min(O, o0 + kBlock); ++o) {
          for (size_t i = i0; i < std::min(C, i0 + kBlock); ++i) dst[i * O + o] = src[o * C + i];
        }
      }
    }
  });
  return out;
}

// U = G k G^T for every (input, output) channel pair, written straight into GEMM B panels: point
// p's panels are one depth block of all C input channels, panel q (output channels [16q, 16q + 16),
// zero past O) at p * C * nPad + q * 16 * C. Split by input channels across threads.
template <int M>
void transformFilter(size_t C, size_t O, const float* filter, FilterView view, float* packed) {
  using T = Matrices<M>;
  constexpr int N = T::N;
  const size_t plane = C * O, nPad = (O + kNR - 1) / kNR * kNR;
  // Other views are first copied as an ordinary HWIO filter: read in place, their output channels
  // are C floats apart and every cache line would be fetched 16 times.
  const float* hwio = viewFilter(filter, C, O, view);
  const size_t tasks = std::min(C, 4 * threadCount());
  parallelFor(tasks, [&](size_t task) {
    for (size_t i = C * task / tasks; i < C * (task + 1) / tasks; ++i) {
      for (size_t o0 = 0; o0 < nPad; o0 += kNR) {
        float k[9][kNR] = {}, gk[N * 3][kNR], u[N * N][kNR];
        const size_t width = std::min(kNR, O - std::min(O, o0));
        for (size_t tap = 0; tap < 9; ++tap) {
          for (size_t l = 0; l < width; ++l) k[tap][l] = hwio[tap * plane + i * O + o0 + l];
        }
        for (int r = 0; r < N; ++r) {
          for (int b = 0; b < 3; ++b) {
            for (size_t l = 0; l < kNR; ++l) {
              float acc = 0.0f;
              for (int a = 0; a < 3; ++a) acc += T::G[r][a] * k[a * 3 + b][l];
              gk[r * 3 + b][l] = acc;
            }
          }
        }
        for (int r = 0; r < N; ++r) {
          for (int s = 0; s < N; ++s) {
            for (size_t l = 0; l < kNR; ++l) {
              float acc = 0.0f;
              for (int b = 0; b < 3; ++b) acc += T::G[s][b] * gk[r * 3 + b][l];
              u[r * N + s][l] = acc;
            }
          }
        }
        for (size_t p = 0; p < N * N; ++p) std::copy(u[p], u[p] + kNR, packed + p * C * nPad + o0 * C + i * kNR);
      }
    }
  });
}

// dfilter = G^T dU G for the input channels [i0, i1) (the adjoint of the filter transform),
// from dU[point][i][o] with rows nPad floats wide.
template <int M>
void untransformFilterGradient(const ConvGeometry& g, const float* dU, size_t uStride, size_t nPad, size_t i0,
                               size_t i1, float* dfilter) {
  constexpr int N = Matrices<M>::N;
  constexpr auto& gt = Matrices<M>::GT;
  const size_t C = sz(g.inChannels), O = sz(g.outChannels);
  for (size_t i = i0; i < i1; ++i) {
    // 16 output channels at a time, so the loops over them vectorise (dU's rows are padded to nPad).
    for (size_t o0 = 0; o0 < O; o0 += kNR) {
      float h[3 * N][kNR], d[9][kNR];
      for (int a = 0; a < 3; ++a) {
        for (int s = 0; s < N; ++s) {
          for (size_t l = 0; l < kNR; ++l) {
            float acc = 0.0f;
            for (int r = 0; r < N; ++r) acc += gt[a][r] * dU[sz(r * N + s) * uStride + i * nPad + o0 + l];
            h[a * N + s][l] = acc;
          }
        }
      }
      for (int a = 0; a < 3; ++a) {
        for (int b = 0; b < 3; ++b) {
          for (size_t l = 0; l < kNR; ++l) {
            float acc = 0.0f;
            for (int s = 0; s < N; ++s) acc += gt[b][s] * h[a * N + s][l];
            d[a * 3 + b][l] = acc;
          }
        }
      }
      const size_t width = std::min(kNR, O - o0);
      for (size_t tap = 0; tap < 9; ++tap) std::copy(d[tap], d[tap] + width, dfilter + tap * C * O + i * O + o0);
    }
  }
}

template <int M>
void forward(const ConvGeometry& g, const float* x, const float* filter, bool turned, float* out) {
  using V = Variant<M>;
  const V w;
  const size_t C = sz(g.inChannels), O = sz(g.outChannels), nPad = (O + kNR - 1) / kNR * kNR;
  float* packedU = t_filterU.reserve(V::kPoints * C * nPad);
  transformFilter<M>(C, O, filter, turned ? FilterView::Turned : FilterView::Plain, packedU);

  const TileGrid grid(g, M);
  const int64_t tasks = (grid.tiles + V::kTilesPerTask - 1) / V::kTilesPerTask;
  const size_t vStride = V::planeStride(C), pStride = V::planeStride(nPad);
  parallelFor(sz(tasks), [&](size_t task) {
    const int64_t first = static_cast<int64_t>(task) * V::kTilesPerTask;
    const int64_t count = std::min(V::kTilesPerTask, grid.tiles - first);
    const size_t rows = (sz(count) + kMR - 1) / kMR * kMR;
    float* v = t_tiles.reserve(V::kPoints * vStride);
    float* products = t_products.reserve(V::kPoints * pStride);
    if (t_discard.size() < O) t_discard.resize(O);
    transformInputs<M>(w, g, grid, x, first, count, v, vStride);
    // Rows of the last row panel past `count` are multiplied too; give them defined values.
    for (size_t p = 0; p < V::kPoints; ++p) std::fill(v + p * vStride + sz(count) * C, v + p * vStride + rows * C, 0.0f);

    w.multiplyPoints(rows, C, nPad, v, vStride, packedU, products, pStride);

    const float* src[V::kPoints];
    float* dst[M * M];
    for (int64_t r = 0; r < count; ++r) {
      tilePixels<M>(g, TileOrigin(grid, first + r), out, t_discard.data(), dst);
      for (size_t p = 0; p < V::kPoints; ++p) src[p] = products + p * pStride + sz(r) * nPad;
      w.output(src, dst, O);
    }
  });
}

template <int M>
void backpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dfilter) {
  using V = Variant<M>;
  const V w;
  const size_t C = sz(g.inChannels), O = sz(g.outChannels), nPad = (O + kNR - 1) / kNR * kNR;
  const size_t cPad = (C + kMR - 1) / kMR * kMR, uStride = cPad * nPad, partialSize = V::kPoints * uStride;
  const TileGrid grid(g, M);
  const int64_t tasks = (grid.tiles + V::kTilesPerTask - 1) / V::kTilesPerTask;
  // Each chunk of tasks sums dU over its tiles into its own partial; partials add up at the end.
  const size_t chunks = filterChunks(tasks, partialSize);
  std::unique_ptr<float[]> partials(new float[chunks * partialSize]);
  const size_t vStride = V::planeStride(C), zPanel = sz(V::kTilesPerTask) * kNR, zStride = V::planeStride(nPad);
  parallelFor(chunks, [&](size_t chunk) {
    float* dU = partials.get() + chunk * partialSize;
    std::fill(dU, dU + partialSize, 0.0f);
    float* v = t_tiles.reserve(V::kPoints * vStride);
    float* z = t_products.reserve(V::kPoints * zStride);
    if (t_zeros.size() < O) t_zeros.assign(O, 0.0f);
    const int64_t begin = static_cast<int64_t>(chunk) * tasks / static_cast<int64_t>(chunks);
    const int64_t end = static_cast<int64_t>(chunk + 1) * tasks / static_cast<int64_t>(chunks);
    for (int64_t task = begin; task < end; ++task) {
      const int64_t first = task * V::kTilesPerTask, count = std::min(V::kTilesPerTask, grid.tiles - first);
      transformInputs<M>(w, g, grid, x, first, count, v, vStride);
      const float* src[M * M];
      float* dst[V::kPoints];
      for (int64_t r = 0; r < count; ++r) {
        tilePixels<M>(g, TileOrigin(grid, first + r), dy, static_cast<const float*>(t_zeros.data()), src);
        for (size_t p = 0; p < V::kPoints; ++p) dst[p] = z + p * zStride + sz(r) * kNR;
        w.gradient(src, dst, O, kNR, zPanel);
      }
      // Columns of the last B panel past O are multiplied too; give them defined values.
      if (O < nPad) {
        for (size_t p = 0; p < V::kPoints; ++p) {
          float* panel = z + p * zStride + (nPad / kNR - 1) * zPanel;
          for (int64_t r = 0; r < count; ++r) std::fill(panel + sz(r) * kNR + O % kNR, panel + sz(r + 1) * kNR, 0.0f);
        }
      }
      // dU[point] (C x O) += V[point]^T (C x tiles) * Z[point] (tiles x O): V is read in place,
      // its channel rows 1 apart and its tiles C apart. Rows past C (up to cPad) are discarded.
      for (size_t p = 0; p < V::kPoints; ++p) {
        const float* vp = v + p * vStride;
        const float* zp = z + p * zStride;
        float* up = dU + p * uStride;
        for (size_t jr = 0; jr < nPad; jr += kNR) {
          for (size_t ir = 0; ir < cPad; ir += kMR) {
            w.kernel(sz(count), vp + ir, 1, C, zp + jr / kNR * zPanel, up + ir * nPad + jr, nPad, true);
          }
        }
      }
    }
  });
  // Partials add up and untransform by input channels, in parallel.
  const size_t rowTasks = std::min(C, 4 * threadCount());
  parallelFor(rowTasks, [&](size_t t) {
    const size_t i0 = C * t / rowTasks, i1 = C * (t + 1) / rowTasks;
    float* total = partials.get();
    for (size_t c = 1; c < chunks; ++c) {
      const float* part = partials.get() + c * partialSize;
      for (size_t p = 0; p < V::kPoints; ++p) {
        for (size_t i = p * uStride + i0 * nPad; i < p * uStride + i1 * nPad; ++i) total[i] += part[i];
      }
    }
    untransformFilterGradient<M>(g, total, uStride, nPad, i0, i1, dfilter);
  });
}

// dx = the input gradient of the convolution g, by the adjoint of its forward: per tile,
// dX = B [(A dY A^T) x U^T] B^T, added into dx. A 'valid' convolution's forward tiles cover dx's
// 13x13 with 9 blocks of 4 where the turned forward needs 16 (it pads dy by 2 on every side).
// Neighbouring tiles overlap by 2 pixels, so each task owns whole images.
template <int M>
void backpropInputAdjoint(const ConvGeometry& g, const float* dy, const float* filter, float* dx) {
  using V = Variant<M>;
  constexpr int N = V::N;
  const V w;
  const size_t C = sz(g.inChannels), O = sz(g.outChannels), cPad = (C + kNR - 1) / kNR * kNR;
  float* packedUT = t_filterU.reserve(V::kPoints * O * cPad);
  transformFilter<M>(O, C, filter, FilterView::Swapped, packedUT);

  const TileGrid grid(g, M);
  const int64_t perImage = grid.blockRows * grid.blockCols, imageSize = g.inHeight * g.inWidth * g.inChannels;
  const int64_t imagesPerTask = std::max<int64_t>(1, V::kTilesPerTask / perImage);
  const int64_t tasks = (g.batch + imagesPerTask - 1) / imagesPerTask;
  const size_t zStride = V::planeStride(O), pStride = V::planeStride(cPad);
  parallelFor(sz(tasks), [&](size_t task) {
    const int64_t n0 = static_cast<int64_t>(task) * imagesPerTask, n1 = std::min(g.batch, n0 + imagesPerTask);
    std::fill(dx + n0 * imageSize, dx + n1 * imageSize, 0.0f);
    float* z = t_tiles.reserve(V::kPoints * zStride);
    float* products = t_products.reserve(V::kPoints * pStride);
    float* tile = t_tile.reserve(V::kPoints * C);
    if (t_zeros.size() < O) t_zeros.assign(O, 0.0f);
    const float* src[V::kPoints];
    float* dst[V::kPoints];
    for (int64_t first = n0 * perImage; first < n1 * perImage; first += V::kTilesPerTask) {
      const int64_t count = std::min(V::kTilesPerTask, n1 * perImage - first);
      const size_t rows = (sz(count) + kMR - 1) / kMR * kMR;
      for (int64_t r = 0; r < count; ++r) {
        const float* pixels[M * M];
        tilePixels<M>(g, TileOrigin(grid, first + r), dy, static_cast<const float*>(t_zeros.data()), pixels);
        for (size_t p = 0; p < V::kPoints; ++p) dst[p] = z + p * zStride + sz(r) * O;
        w.gradient(pixels, dst, O, 0, 0);
      }
      for (size_t p = 0; p < V::kPoints; ++p) std::fill(z + p * zStride + sz(count) * O, z + p * zStride + rows * O, 0.0f);
      w.multiplyPoints(rows, O, cPad, z, zStride, packedUT, products, pStride);
      for (int64_t r = 0; r < count; ++r) {
        const TileOrigin at(grid, first + r);
        for (size_t p = 0; p < V::kPoints; ++p) {
          src[p] = products + p * pStride + sz(r) * cPad;
          dst[p] = tile + p * C;
        }
        w.inputGradient(src, dst, C);
        for (int64_t a = 0; a < N; ++a) {
          const int64_t ih = at.oh + a - g.padTop;
          if (ih < 0 || ih >= g.inHeight) continue;
          for (int64_t b = 0; b < N; ++b) {
            const int64_t iw = at.ow + b - g.padLeft;
            if (iw < 0 || iw >= g.inWidth) continue;
            float* d = dx + ((at.image * g.inHeight + ih) * g.inWidth + iw) * g.inChannels;
            const float* t = tile + sz(a * N + b) * C;
            for (size_t c = 0; c < C; ++c) d[c] += t[c];
          }
        }
      }
    }
  });
}

// Whether 4x4 blocks multiply fewer points than 2x2 ones: not where they would overhang the
// output too much (a 5x5 output is 4 blocks of 4 but 9 of 2).
bool fewerPointsIn4x4(const ConvGeometry& g) { return pointsFor(g, 4) < pointsFor(g, 2); }

}  // namespace

bool winogradSuits(const ConvGeometry& g) {
  // Past 1024 x 1024 channels the transformed filter (16 x C x O floats, kept per calling thread)
  // and the filter gradient's partials would pass 64 MB each: the direct paths need 9/16 of it.
  return g.filterHeight == 3 && g.filterWidth == 3 && g.strideHeight == 1 && g.strideWidth == 1 &&
         g.dilationHeight == 1 && g.dilationWidth == 1 && g.channelMultiplier == 1 && g.inChannels >= 16 &&
         g.outChannels >= 16 && g.pixels() > 0 && g.inChannels * g.outChannels <= (int64_t{1} << 20);
}

void conv2dWinograd(const ConvGeometry& g, const float* x, const float* filter, bool turned, float* out) {
  // F(4x4) rounds more than F(2x2) (its transforms' coefficients reach 8), and more so the deeper
  // the GEMM sums: against the differential tests' float32 tolerance, its largest error is 0.2 of
  // it at 64 input channels, 0.37 at 128, 0.5 at 180-512. Deeper sums take 2x2 blocks, which
  // round like the direct product.
  if (fewerPointsIn4x4(g) && g.inChannels <= 128) {
    forward<4>(g, x, filter, turned, out);
  } else {
    forward<2>(g, x, filter, turned, out);
  }
}

void conv2dBackpropInputWinograd(const ConvGeometry& g, const float* dy, const float* filter, float* dx) {
  // The adjoint when its tiles are fewer than the turned forward's and every thread gets images
  // of its own; the GEMMs sum over dy's channels either way (the same F(4x4) rule as forward).
  const ConvGeometry t = transposedGeometry(g);
  const bool deep = g.outChannels > 128;
  const int64_t adjoint = pointsFor(g, !deep && fewerPointsIn4x4(g) ? 4 : 2);
  const int64_t turned = pointsFor(t, !deep && fewerPointsIn4x4(t) ? 4 : 2);
  if (adjoint < turned && g.batch >= static_cast<int64_t>(threadCount())) {
    if (!deep && fewerPointsIn4x4(g)) {
      backpropInputAdjoint<4>(g, dy, filter, dx);
    } else {
      backpropInputAdjoint<2>(g, dy, filter, dx);
    }
    return;
  }
  conv2dWinograd(t, dy, filter, true, dx);
}

void conv2dBackpropFilterWinograd(const ConvGeometry& g, const float* x, const float* dy, float* dfilter) {
  // Each chunk of tiles sums into a partial of 36 points x C x O floats with 4x4 blocks: past
  // 4 MB (256 channels) zeroing and adding up the partials costs more than 4x4 blocks save.
  const int64_t partial4 = 36 * g.inChannels * g.outChannels;
  if (fewerPointsIn4x4(g) && partial4 <= (int64_t{1} << 20)) {
    backpropFilter<4>(g, x, dy, dfilter);
  } else {
    backpropFilter<2>(g, x, dy, dfilter);
  }
}

}  // namespace nabla
