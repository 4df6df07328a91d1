// The GRU loop in one call, as native/lstm.cc does for LSTM: per step one GEMM h·u (pool threads)
// and one pass over the gates; backward one GEMM per step for dh and a single GEMM over all steps
// for du (the recurrent-term gradients of every step are kept for it).
#include "gru.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>
#include <vector>

#include "aligned_buffer.h"
#include "gemm.h"
#include "parallel_range.h"
#include "recurrent_util.h"
#include "simd_dispatch.h"
#include "thread_pool.h"

namespace nabla {
namespace {

thread_local AlignedBuffer t_inner;   // one step's h·u + rb [B, W]
thread_local AlignedBuffer t_dInner;  // every step's gradient of h·u + rb [B, T, W]
thread_local AlignedBuffer t_dh;      // dh carried backwards, and its next value [B, H] each
thread_local AlignedBuffer t_hPrev;   // h of the previous step for every step [B, T, H]

NABLA_INLINE float sigmoidOf(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// One batch row of a forward step.
NABLA_INLINE void gatesBody(const float* x, const float* inner, const float* hPrev, float* h, float* s, size_t H) {
  for (size_t j = 0; j < H; ++j) {
    const float z = sigmoidOf(x[j] + inner[j]);
    const float r = sigmoidOf(x[H + j] + inner[H + j]);
    const float ih = inner[2 * H + j];
    const float hh = std::tanh(x[2 * H + j] + r * ih);
    s[j] = z;
    s[H + j] = r;
    s[2 * H + j] = hh;
    s[3 * H + j] = ih;
    h[j] = hh + z * (hPrev[j] - hh);
  }
}

// One batch row of a backward step: g = dh (incoming + carried) -> dxz row, dInner row, dh_prev (direct part).
NABLA_INLINE void gradBody(const float* s, const float* hPrev, const float* dhIn, const float* dhCarried, float* dx,
                           float* dInner, float* dhDirect, size_t H) {
  for (size_t j = 0; j < H; ++j) {
    const float z = s[j], r = s[H + j], hh = s[2 * H + j], ih = s[3 * H + j];
    const float g = dhIn[j] + dhCarried[j];
    const float dA = g * (1.0f - z) * (1.0f - hh * hh);
    const float dZ = g * (hPrev[j] - hh) * z * (1.0f - z);
    const float dR = dA * ih * r * (1.0f - r);
    dx[j] = dZ;
    dx[H + j] = dR;
    dx[2 * H + j] = dA;
    dInner[j] = dZ;
    dInner[H + j] = dR;
    dInner[2 * H + j] = dA * r;
    dhDirect[j] = g * z;
  }
}

void gatesGeneric(const float* x, const float* inner, const float* hPrev, float* h, float* s, size_t H) { gatesBody(x, inner, hPrev, h, s, H); }
NABLA_TARGET_AVX2 void gatesAvx2(const float* x, const float* inner, const float* hPrev, float* h, float* s, size_t H) {
  gatesBody(x, inner, hPrev, h, s, H);
}
void gradGeneric(const float* s, const float* hp, const float* dhIn, const float* dhC, float* dx, float* dI, float* dhD, size_t H) {
  gradBody(s, hp, dhIn, dhC, dx, dI, dhD, H);
}
NABLA_TARGET_AVX2 void gradAvx2(const float* s, const float* hp, const float* dhIn, const float* dhC, float* dx, float* dI, float* dhD,
                                size_t H) {
  gradBody(s, hp, dhIn, dhC, dx, dI, dhD, H);
}

}  // namespace

void gruSequence(const LstmDims& d, const float* xz, const float* u, const float* rb, const float* h0, float* hs, float* saved) {
  const size_t B = d.batch, T = d.time, H = d.units, W = 3 * H;
  if (B == 0 || T == 0 || H == 0) return;
  float* inner = t_inner.reserve(B * W);
  const bool avx2 = useAvx2();
  for (size_t t = 0; t < T; ++t) {
    for (size_t b = 0; b < B; ++b) std::memcpy(inner + b * W, rb, W * sizeof(float));
    GemmShape shape{B, W, H, false, false, t == 0 ? H : T * H, W, W};
    shape.accumulate = true;
    sgemm(shape, t == 0 ? h0 : hs + (t - 1) * H, u, inner, threadCount());
    forRecurrentRows(B, W, [&](size_t b) {
      const float* hPrev = t == 0 ? h0 + b * H : hs + (b * T + t - 1) * H;
      (avx2 ? gatesAvx2 : gatesGeneric)(xz + (b * T + t) * W, inner + b * W, hPrev, hs + (b * T + t) * H, saved + (t * B + b) * 4 * H, H);
    });
  }
}

void gruSequenceGrad(const LstmDims& d, const float* u, const float* h0, const float* hs, const float* saved, const float* dhs,
                     float* dxz, float* du, float* drb, float* dh0) {
  const size_t B = d.batch, T = d.time, H = d.units, W = 3 * H;
  if (H == 0) return;
  if (B == 0 || T == 0) {
    std::memset(du, 0, H * W * sizeof(float));
    std::memset(drb, 0, W * sizeof(float));
    if (B > 0) std::memset(dh0, 0, B * H * sizeof(float));
    return;
  }
  float* dInner = t_dInner.reserve(B * T * W);
  float* buffers = t_dh.reserve(2 * B * H);
  float* carried = buffers;         // dL/dh_t from later steps
  float* next = buffers + B * H;    // dL/dh_{t-1}, being built
  std::memset(carried, 0, B * H * sizeof(float));
  const bool avx2 = useAvx2();
  for (size_t t = T; t-- > 0;) {
    forRecurrentRows(B, W, [&](size_t b) {
      const float* hPrev = t == 0 ? h0 + b * H : hs + (b * T + t - 1) * H;
      (avx2 ? gradAvx2 : gradGeneric)(saved + (t * B + b) * 4 * H, hPrev, dhs + (b * T + t) * H, carried + b * H,
                                      dxz + (b * T + t) * W, dInner + (b * T + t) * W, next + b * H, H);
    });
    // dh_{t-1} = direct part + dInner_t · uᵀ.
    GemmShape shape{B, H, W, false, true, T * W, W, H};
    shape.accumulate = true;
    sgemm(shape, dInner + t * W, u, next, threadCount());
    std::swap(carried, next);
  }
  std::memcpy(dh0, carried, B * H * sizeof(float));
  recurrentKernelGradient(B, T, H, W, h0, hs, dInner, t_hPrev.reserve(B * T * H), du);
  // drb = column sums of dInner.
  std::vector<double> sums(W, 0.0);
  for (size_t i = 0; i < B * T; ++i) {
    for (size_t j = 0; j < W; ++j) sums[j] += dInner[i * W + j];
  }
  for (size_t j = 0; j < W; ++j) drb[j] = static_cast<float>(sums[j]);
}

}  // namespace nabla
