// Depthwise convolution: no channel mixing, so no GEMM; the loops run over the channel axis
// innermost (contiguous in NHWC), which the AVX2 build vectorises. Forward and the filter gradient
// walk output pixels; the input gradient gathers, for each input pixel, the output pixels whose
// window covers it, so threads write disjoint rows and no scatter is needed.
#include "depthwise.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "parallel_range.h"
#include "simd_dispatch.h"
#include "thread_pool.h"

namespace nabla {
namespace {

size_t sz(int64_t v) { return static_cast<size_t>(v); }

// Output pixels per task (whole rows keep the walker cheap).
constexpr int64_t kPixelsPerTask = 256;

// acc[c*M + m] += x[c] * f[c*M + m] for C channels.
NABLA_INLINE void tapAccumulate(float* __restrict acc, const float* __restrict x, const float* __restrict f, int64_t C, int64_t M) {
  if (M == 1) {
    for (int64_t c = 0; c < C; ++c) acc[c] += x[c] * f[c];
    return;
  }
  for (int64_t c = 0, j = 0; c < C; ++c) {
    const float xc = x[c];
    for (int64_t m = 0; m < M; ++m, ++j) acc[j] += xc * f[j];
  }
}

NABLA_INLINE void forwardBody(const ConvGeometry& g, const float* x, const float* f, float* out, int64_t first, int64_t last) {
  const int64_t C = g.inChannels, M = g.channelMultiplier, OC = C * M;
  WindowWalker walker(g, first);
  for (int64_t p = first; p < last; ++p, walker.advance()) {
    const Window& w = walker.window();
    float* acc = out + p * OC;
    std::memset(acc, 0, sz(OC) * sizeof(float));
    for (int64_t kh = w.kh.lo; kh < w.kh.hi; ++kh) {
      const int64_t ih = w.ih0 + kh * g.dilationHeight;
      for (int64_t kw = w.kw.lo; kw < w.kw.hi; ++kw) {
        tapAccumulate(acc, x + inputOffset(g, w.image, ih, w.iw0 + kw * g.dilationWidth), f + (kh * g.filterWidth + kw) * OC, C, M);
      }
    }
  }
}
void forwardGeneric(const ConvGeometry& g, const float* x, const float* f, float* out, int64_t a, int64_t b) { forwardBody(g, x, f, out, a, b); }
NABLA_TARGET_AVX2 void forwardAvx2(const ConvGeometry& g, const float* x, const float* f, float* out, int64_t a, int64_t b) {
  forwardBody(g, x, f, out, a, b);
}

// dfilter partial over output pixels [first, last): acc[tap][c*M + m] += x[c] * dy[c*M + m].
NABLA_INLINE void filterBody(const ConvGeometry& g, const float* x, const float* dy, float* acc, int64_t first, int64_t last) {
  const int64_t C = g.inChannels, M = g.channelMultiplier, OC = C * M;
  WindowWalker walker(g, first);
  for (int64_t p = first; p < last; ++p, walker.advance()) {
    const Window& w = walker.window();
    const float* __restrict d = dy + p * OC;
    for (int64_t kh = w.kh.lo; kh < w.kh.hi; ++kh) {
      const int64_t ih = w.ih0 + kh * g.dilationHeight;
      for (int64_t kw = w.kw.lo; kw < w.kw.hi; ++kw) {
        const float* __restrict xs = x + inputOffset(g, w.image, ih, w.iw0 + kw * g.dilationWidth);
        float* __restrict a = acc + (kh * g.filterWidth + kw) * OC;
        if (M == 1) {
          for (int64_t c = 0; c < C; ++c) a[c] += xs[c] * d[c];
        } else {
          for (int64_t c = 0, j = 0; c < C; ++c) {
            const float xc = xs[c];
            for (int64_t m = 0; m < M; ++m, ++j) a[j] += xc * d[j];
          }
        }
      }
    }
  }
}
void filterGeneric(const ConvGeometry& g, const float* x, const float* dy, float* acc, int64_t a, int64_t b) { filterBody(g, x, dy, acc, a, b); }
NABLA_TARGET_AVX2 void filterAvx2(const ConvGeometry& g, const float* x, const float* dy, float* acc, int64_t a, int64_t b) {
  filterBody(g, x, dy, acc, a, b);
}

// dx rows [first, last) of (image, ih): gathers every (oh, ow, kh, kw) that reads each input pixel.
NABLA_INLINE void inputBody(const ConvGeometry& g, const float* dy, const float* f, float* dx, int64_t firstRow, int64_t lastRow) {
  const int64_t C = g.inChannels, M = g.channelMultiplier, OC = C * M;
  const int64_t FW = g.filterWidth;
  for (int64_t row = firstRow; row < lastRow; ++row) {
    const int64_t image = row / g.inHeight, ih = row % g.inHeight;
    for (int64_t iw = 0; iw < g.inWidth; ++iw) {
      float* __restrict acc = dx + ((image * g.inHeight + ih) * g.inWidth + iw) * C;
      std::memset(acc, 0, sz(C) * sizeof(float));
      for (int64_t kh = 0; kh < g.filterHeight; ++kh) {
        const int64_t numH = ih + g.padTop - kh * g.dilationHeight;
        if (numH < 0 || numH % g.strideHeight != 0) continue;
        const int64_t oh = numH / g.strideHeight;
        if (oh >= g.outHeight) continue;
        for (int64_t kw = 0; kw < FW; ++kw) {
          const int64_t numW = iw + g.padLeft - kw * g.dilationWidth;
          if (numW < 0 || numW % g.strideWidth != 0) continue;
          const int64_t ow = numW / g.strideWidth;
          if (ow >= g.outWidth) continue;
          const float* __restrict d = dy + ((image * g.outHeight + oh) * g.outWidth + ow) * OC;
          const float* __restrict fk = f + (kh * FW + kw) * OC;
          if (M == 1) {
            for (int64_t c = 0; c < C; ++c) acc[c] += d[c] * fk[c];
          } else {
            for (int64_t c = 0, j = 0; c < C; ++c) {
              float s = 0.0f;
              for (int64_t m = 0; m < M; ++m, ++j) s += d[j] * fk[j];
              acc[c] += s;
            }
          }
        }
      }
    }
  }
}
void inputGeneric(const ConvGeometry& g, const float* dy, const float* f, float* dx, int64_t a, int64_t b) { inputBody(g, dy, f, dx, a, b); }
NABLA_TARGET_AVX2 void inputAvx2(const ConvGeometry& g, const float* dy, const float* f, float* dx, int64_t a, int64_t b) {
  inputBody(g, dy, f, dx, a, b);
}

}  // namespace

void depthwiseConv2d(const ConvGeometry& g, const float* x, const float* filter, float* out) {
  const int64_t pixels = g.pixels();
  if (pixels == 0 || g.outChannels == 0) return;
  const int64_t tasks = (pixels + kPixelsPerTask - 1) / kPixelsPerTask;
  const bool avx2 = useAvx2();
  parallelFor(sz(tasks), [&](size_t t) {
    const int64_t a = static_cast<int64_t>(t) * kPixelsPerTask, b = std::min(pixels, a + kPixelsPerTask);
    (avx2 ? forwardAvx2 : forwardGeneric)(g, x, filter, out, a, b);
  });
}

void depthwiseConv2dBackpropInput(const ConvGeometry& g, const float* dy, const float* filter, float* dx) {
  const int64_t rows = g.batch * g.inHeight;
  if (rows == 0 || g.inWidth == 0 || g.inChannels == 0) return;
  const bool avx2 = useAvx2();
  const int64_t rowsPerTask = std::max<int64_t>(1, kPixelsPerTask / std::max<int64_t>(g.inWidth, 1));
  const int64_t tasks = (rows + rowsPerTask - 1) / rowsPerTask;
  parallelFor(sz(tasks), [&](size_t t) {
    const int64_t a = static_cast<int64_t>(t) * rowsPerTask, b = std::min(rows, a + rowsPerTask);
    (avx2 ? inputAvx2 : inputGeneric)(g, dy, filter, dx, a, b);
  });
}

void depthwiseConv2dBackpropFilter(const ConvGeometry& g, const float* x, const float* dy, float* dfilter) {
  const int64_t pixels = g.pixels();
  const size_t filterSize = sz(g.filterHeight * g.filterWidth * g.inChannels * g.channelMultiplier);
  if (filterSize == 0) return;
  std::memset(dfilter, 0, filterSize * sizeof(float));
  if (pixels == 0) return;
  // Each chunk of pixels sums into its own partial gradient; the partials add up at the end.
  const size_t chunks = std::max<size_t>(1, std::min(sz((pixels + kPixelsPerTask - 1) / kPixelsPerTask), 4 * threadCount()));
  std::vector<float> partials(chunks * filterSize, 0.0f);
  const bool avx2 = useAvx2();
  parallelFor(chunks, [&](size_t c) {
    const int64_t a = pixels * static_cast<int64_t>(c) / static_cast<int64_t>(chunks);
    const int64_t b = pixels * static_cast<int64_t>(c + 1) / static_cast<int64_t>(chunks);
    if (a < b) (avx2 ? filterAvx2 : filterGeneric)(g, x, dy, partials.data() + c * filterSize, a, b);
  });
  for (size_t c = 0; c < chunks; ++c) {
    const float* p = partials.data() + c * filterSize;
    for (size_t i = 0; i < filterSize; ++i) dfilter[i] += p[i];
  }
}

}  // namespace nabla
