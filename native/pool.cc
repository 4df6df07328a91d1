#include "pool.h"

#include <cstring>
#include <limits>
#include <vector>

#include "parallel_range.h"
#include "simd_dispatch.h"
#include "thread_pool.h"

#if NABLA_HAVE_AVX2_TARGET
#include <immintrin.h>
#endif

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

// Channels whose running maxima are kept in registers/stack while a window is scanned.
constexpr int64_t kPoolChannelBlock = 64;

// Max-pool gradient of output pixels [first, last) (one image's, so their windows never reach
// another image's dx): per block of channels, a branch-free scan over the window's taps keeps
// the maximum and the tap it came from (vectorisable: compare + two blends), then each channel's
// dy goes to its winning tap. The first tap always counts, and later taps win only when strictly
// greater, so ties, -inf and NaN route exactly as in the reference.
NABLA_INLINE void maxPoolGradBody(const ConvGeometry& g, const float* dy, const float* x, float* dx, int64_t first,
                                  int64_t last, int64_t* taps) {
  const int64_t C = g.inChannels;
  if (first >= last) return;
  WindowWalker walker(g, first);
  alignas(32) float best[kPoolChannelBlock];
  alignas(32) int32_t where[kPoolChannelBlock];
  for (int64_t p = first; p < last; ++p, walker.advance()) {
    const Window& w = walker.window();
    int64_t count = 0;
    for (int64_t kh = w.kh.lo; kh < w.kh.hi; ++kh) {
      const int64_t ih = w.ih0 + kh * g.dilationHeight;
      for (int64_t kw = w.kw.lo; kw < w.kw.hi; ++kw) {
        taps[count++] = inputOffset(g, w.image, ih, w.iw0 + kw * g.dilationWidth);
      }
    }
    if (count == 0) continue;
    const float* gy = dy + p * C;
    for (int64_t c0 = 0; c0 < C; c0 += kPoolChannelBlock) {
      const int64_t cb = std::min(kPoolChannelBlock, C - c0);
      const float* src = x + taps[0] + c0;
      for (int64_t c = 0; c < cb; ++c) {
        best[c] = src[c];
        where[c] = 0;
      }
      for (int64_t t = 1; t < count; ++t) {
        src = x + taps[t] + c0;
        const int32_t tap = static_cast<int32_t>(t);
        for (int64_t c = 0; c < cb; ++c) {
          const bool greater = src[c] > best[c];
          best[c] = greater ? src[c] : best[c];
          where[c] = greater ? tap : where[c];
        }
      }
      for (int64_t c = 0; c < cb; ++c) dx[taps[where[c]] + c0 + c] += gy[c0 + c];
    }
  }
}

void maxPoolGradGeneric(const ConvGeometry& g, const float* dy, const float* x, float* dx, int64_t first, int64_t last,
                        int64_t* taps) {
  maxPoolGradBody(g, dy, x, dx, first, last, taps);
}
#if NABLA_HAVE_AVX2_TARGET
// The same with the scan in registers: 8 channels at a time, compare + blend per tap, then the
// 8 winners scattered; remaining channels (C not a multiple of 8) take the portable loop.
NABLA_TARGET_AVX2 void maxPoolGradAvx2(const ConvGeometry& g, const float* dy, const float* x, float* dx,
                                       int64_t first, int64_t last, int64_t* taps) {
  const int64_t C = g.inChannels, vectorC = C / 8 * 8;
  if (first >= last) return;
  if (vectorC == 0) {
    maxPoolGradBody(g, dy, x, dx, first, last, taps);
    return;
  }
  WindowWalker walker(g, first);
  alignas(32) int32_t where[8];
  for (int64_t p = first; p < last; ++p, walker.advance()) {
    const Window& w = walker.window();
    int64_t count = 0;
    for (int64_t kh = w.kh.lo; kh < w.kh.hi; ++kh) {
      const int64_t ih = w.ih0 + kh * g.dilationHeight;
      for (int64_t kw = w.kw.lo; kw < w.kw.hi; ++kw) {
        taps[count++] = inputOffset(g, w.image, ih, w.iw0 + kw * g.dilationWidth);
      }
    }
    if (count == 0) continue;
    const float* gy = dy + p * C;
    for (int64_t c = 0; c < vectorC; c += 8) {
      __m256 best = _mm256_loadu_ps(x + taps[0] + c);
      __m256 tap = _mm256_setzero_ps();  // winning tap index, as int32 bits
      for (int64_t t = 1; t < count; ++t) {
        const __m256 v = _mm256_loadu_ps(x + taps[t] + c);
        const __m256 greater = _mm256_cmp_ps(v, best, _CMP_GT_OQ);
        best = _mm256_blendv_ps(best, v, greater);
        tap = _mm256_blendv_ps(tap, _mm256_castsi256_ps(_mm256_set1_epi32(static_cast<int32_t>(t))), greater);
      }
      _mm256_store_si256(reinterpret_cast<__m256i*>(where), _mm256_castps_si256(tap));
      for (int64_t i = 0; i < 8; ++i) dx[taps[where[i]] + c + i] += gy[c + i];
    }
    for (int64_t c = vectorC; c < C; ++c) {
      float best = x[taps[0] + c];
      int64_t at = 0;
      for (int64_t t = 1; t < count; ++t) {
        const float v = x[taps[t] + c];
        if (v > best) {
          best = v;
          at = t;
        }
      }
      dx[taps[at] + c] += gy[c];
    }
  }
}
#else
void maxPoolGradAvx2(const ConvGeometry& g, const float* dy, const float* x, float* dx, int64_t first, int64_t last,
                     int64_t* taps) {
  maxPoolGradBody(g, dy, x, dx, first, last, taps);
}
#endif

}  // namespace

void maxPool(const ConvGeometry& g, const float* x, float* out) { pool<true>(g, x, out); }
void avgPool(const ConvGeometry& g, const float* x, float* out) { pool<false>(g, x, out); }

void maxPoolGrad(const ConvGeometry& g, const float* dy, const float* x, float* dx) {
  const int64_t C = g.inChannels, perImage = g.outHeight * g.outWidth;
  const int64_t imageSize = g.inHeight * g.inWidth * C;
  const bool avx2 = useAvx2();
  // Each image zeroes and fills its own part of dx (on the thread that then scatters into it).
  forEachImage(g, [&](int64_t n) {
    if (imageSize > 0) std::memset(dx + n * imageSize, 0, sz(imageSize) * sizeof(float));
    if (perImage == 0 || C == 0) return;
    std::vector<int64_t> taps(sz(g.filterHeight * g.filterWidth));
    if (avx2) {
      maxPoolGradAvx2(g, dy, x, dx, n * perImage, (n + 1) * perImage, taps.data());
    } else {
      maxPoolGradGeneric(g, dy, x, dx, n * perImage, (n + 1) * perImage, taps.data());
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
