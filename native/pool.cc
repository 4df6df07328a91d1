#include "pool.h"

#include <cstring>
#include <limits>
#include <vector>

#include "parallel_range.h"
#include "simd_dispatch.h"
#include "thread_pool.h"

namespace nabla {
namespace {

size_t sz(int64_t v) { return static_cast<size_t>(v); }

// Output pixels [first, last) of max or average pooling; `best` is scratch for C channels.
template <bool Max>
NABLA_INLINE void poolBody(const ConvGeometry& g, const float* x, float* out, int64_t first, int64_t last, float* acc) {
  const int64_t C = g.inChannels;
  if (first >= last) return;
  WindowWalker walker(g, first);
  for (int64_t p = first; p < last; ++p, walker.advance()) {
    const Window& w = walker.window();
    for (int64_t c = 0; c < C; ++c) acc[c] = Max ? -std::numeric_limits<float>::infinity() : 0.0f;
    for (int64_t kh = w.kh.lo; kh < w.kh.hi; ++kh) {
      const int64_t ih = w.ih0 + kh * g.dilationHeight;
      for (int64_t kw = w.kw.lo; kw < w.kw.hi; ++kw) {
        const float* src = x + inputOffset(g, w.image, ih, w.iw0 + kw * g.dilationWidth);
        for (int64_t c = 0; c < C; ++c) {
          if (Max) {
            acc[c] = src[c] > acc[c] ? src[c] : acc[c];
          } else {
            acc[c] += src[c];
          }
        }
      }
    }
    const int64_t count = (w.kh.hi - w.kh.lo) * (w.kw.hi - w.kw.lo);
    float* dst = out + p * C;
    if (count == 0) {
      for (int64_t c = 0; c < C; ++c) dst[c] = 0.0f;
    } else if (Max) {
      for (int64_t c = 0; c < C; ++c) dst[c] = acc[c];
    } else {
      const float scale = 1.0f / static_cast<float>(count);
      for (int64_t c = 0; c < C; ++c) dst[c] = acc[c] * scale;
    }
  }
}

template <bool Max>
void poolGeneric(const ConvGeometry& g, const float* x, float* out, int64_t first, int64_t last, float* acc) {
  poolBody<Max>(g, x, out, first, last, acc);
}
template <bool Max>
NABLA_TARGET_AVX2 void poolAvx2(const ConvGeometry& g, const float* x, float* out, int64_t first, int64_t last, float* acc) {
  poolBody<Max>(g, x, out, first, last, acc);
}

template <bool Max>
void pool(const ConvGeometry& g, const float* x, float* out) {
  const bool avx2 = useAvx2();
  const int64_t work = g.filterHeight * g.filterWidth * g.inChannels;
  parallelRange(sz(g.pixels()), sz(std::max<int64_t>(1, 32768 / std::max<int64_t>(work, 1))), [&](size_t b, size_t e) {
    std::vector<float> acc(sz(g.inChannels));
    if (avx2) {
      poolAvx2<Max>(g, x, out, static_cast<int64_t>(b), static_cast<int64_t>(e), acc.data());
    } else {
      poolGeneric<Max>(g, x, out, static_cast<int64_t>(b), static_cast<int64_t>(e), acc.data());
    }
  });
}

// Runs body(image) for every image, split across threads by image (the gradients scatter into
// overlapping windows, which never cross images).
template <class Body>
void forEachImage(const ConvGeometry& g, Body&& body) {
  if (g.batch >= 2 && g.pixels() * g.inChannels >= 16384) {
    parallelFor(sz(g.batch), [&](size_t n) { body(static_cast<int64_t>(n)); });
  } else {
    for (int64_t n = 0; n < g.batch; ++n) body(n);
  }
}

}  // namespace

void maxPool(const ConvGeometry& g, const float* x, float* out) { pool<true>(g, x, out); }
void avgPool(const ConvGeometry& g, const float* x, float* out) { pool<false>(g, x, out); }

void maxPoolGrad(const ConvGeometry& g, const float* dy, const float* x, float* dx) {
  const int64_t C = g.inChannels, perImage = g.outHeight * g.outWidth;
  const size_t inSize = sz(g.batch * g.inHeight * g.inWidth * C);
  if (inSize > 0) std::memset(dx, 0, inSize * sizeof(float));
  forEachImage(g, [&](int64_t n) {
    std::vector<float> best(sz(C));
    std::vector<int64_t> where(sz(C));
    if (perImage == 0) return;
    WindowWalker walker(g, n * perImage);
    for (int64_t p = n * perImage; p < (n + 1) * perImage; ++p, walker.advance()) {
      const Window& w = walker.window();
      if (w.kh.lo >= w.kh.hi || w.kw.lo >= w.kw.hi) continue;
      bool first = true;
      for (int64_t kh = w.kh.lo; kh < w.kh.hi; ++kh) {
        const int64_t ih = w.ih0 + kh * g.dilationHeight;
        for (int64_t kw = w.kw.lo; kw < w.kw.hi; ++kw) {
          const int64_t offset = inputOffset(g, w.image, ih, w.iw0 + kw * g.dilationWidth);
          const float* src = x + offset;
          for (int64_t c = 0; c < C; ++c) {
            // The first tap always counts, so windows of -inf or NaN still route their gradient.
            if (first || src[c] > best[sz(c)]) {
              best[sz(c)] = src[c];
              where[sz(c)] = offset + c;
            }
          }
          first = false;
        }
      }
      const float* g_dy = dy + p * C;
      for (int64_t c = 0; c < C; ++c) dx[where[sz(c)]] += g_dy[c];
    }
  });
}

void avgPoolGrad(const ConvGeometry& g, const float* dy, float* dx) {
  const int64_t C = g.inChannels, perImage = g.outHeight * g.outWidth;
  const size_t inSize = sz(g.batch * g.inHeight * g.inWidth * C);
  if (inSize > 0) std::memset(dx, 0, inSize * sizeof(float));
  forEachImage(g, [&](int64_t n) {
    if (perImage == 0) return;
    WindowWalker walker(g, n * perImage);
    for (int64_t p = n * perImage; p < (n + 1) * perImage; ++p, walker.advance()) {
      const Window& w = walker.window();
      const int64_t count = (w.kh.hi - w.kh.lo) * (w.kw.hi - w.kw.lo);
      if (count == 0) continue;
      const float scale = 1.0f / static_cast<float>(count);
      const float* share = dy + p * C;
      for (int64_t kh = w.kh.lo; kh < w.kh.hi; ++kh) {
        const int64_t ih = w.ih0 + kh * g.dilationHeight;
        for (int64_t kw = w.kw.lo; kw < w.kw.hi; ++kw) {
          float* dst = dx + inputOffset(g, w.image, ih, w.iw0 + kw * g.dilationWidth);
          for (int64_t c = 0; c < C; ++c) dst[c] += share[c] * scale;
        }
      }
    }
  });
}

}  // namespace nabla
