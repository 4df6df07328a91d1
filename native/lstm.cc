// The LSTM time loop in one call: per step one GEMM for h·u (on the pool's threads) and one pass
// over the gates; backward, one GEMM per step for dh = dz·uᵀ and a single GEMM over all steps for
// du. Saves the op dispatch, slicing and tape bookkeeping of T separate timesteps.
#include "lstm.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "aligned_buffer.h"
#include "exp_avx2.h"
#include "gemm.h"
#include "parallel_range.h"
#include "recurrent_util.h"
#include "simd_dispatch.h"
#include "thread_pool.h"

namespace nabla {
namespace {

thread_local AlignedBuffer t_gates;  // one step's pre-activations z [B, W]
thread_local AlignedBuffer t_state;  // dh and dc carried backwards [B, H] each
thread_local AlignedBuffer t_hPrev;  // h of the previous step for every step [B, T, H]

NABLA_INLINE float sigmoidScalar(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// One batch row of a forward step: z [W] and c_prev [H] -> h [H], saved row [6H].
NABLA_INLINE void gatesScalar(const float* z, const float* cPrev, float* h, float* s, size_t H, size_t j0) {
  for (size_t j = j0; j < H; ++j) {
    const float i = sigmoidScalar(z[j]), f = sigmoidScalar(z[H + j]), g = std::tanh(z[2 * H + j]);
    const float o = sigmoidScalar(z[3 * H + j]);
    const float c = f * cPrev[j] + i * g;
    const float tc = std::tanh(c);
    s[j] = i;
    s[H + j] = f;
    s[2 * H + j] = g;
    s[3 * H + j] = o;
    s[4 * H + j] = tc;
    s[5 * H + j] = c;
    h[j] = o * tc;
  }
}

void gatesGeneric(const float* z, const float* cPrev, float* h, float* s, size_t H) { gatesScalar(z, cPrev, h, s, H, 0); }

#if NABLA_HAVE_AVX2_TARGET
// sigmoid(x) = 1 / (1 + exp(-x)), and tanh(x) = 2·sigmoid(2x) - 1, through the vectorised exp;
// exp(-x) is clamped inside exp8, so large |x| saturate to 0 / 1 (and -1 / 1) without NaN.
NABLA_TARGET_AVX2 inline __m256 sigmoid8(__m256 x) {
  const __m256 one = _mm256_set1_ps(1.0f);
  return _mm256_div_ps(one, _mm256_add_ps(one, exp8(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}
NABLA_TARGET_AVX2 inline __m256 tanh8(__m256 x) {
  const __m256 two = _mm256_set1_ps(2.0f);
  return _mm256_sub_ps(_mm256_mul_ps(two, sigmoid8(_mm256_mul_ps(two, x))), _mm256_set1_ps(1.0f));
}
#endif

NABLA_TARGET_AVX2 void gatesAvx2(const float* z, const float* cPrev, float* h, float* s, size_t H) {
  size_t j = 0;
#if NABLA_HAVE_AVX2_TARGET
  for (; j + 8 <= H; j += 8) {
    const __m256 i = sigmoid8(_mm256_loadu_ps(z + j)), f = sigmoid8(_mm256_loadu_ps(z + H + j));
    const __m256 g = tanh8(_mm256_loadu_ps(z + 2 * H + j)), o = sigmoid8(_mm256_loadu_ps(z + 3 * H + j));
    const __m256 c = _mm256_fmadd_ps(f, _mm256_loadu_ps(cPrev + j), _mm256_mul_ps(i, g));
    const __m256 tc = tanh8(c);
    _mm256_storeu_ps(s + j, i);
    _mm256_storeu_ps(s + H + j, f);
    _mm256_storeu_ps(s + 2 * H + j, g);
    _mm256_storeu_ps(s + 3 * H + j, o);
    _mm256_storeu_ps(s + 4 * H + j, tc);
    _mm256_storeu_ps(s + 5 * H + j, c);
    _mm256_storeu_ps(h + j, _mm256_mul_ps(o, tc));
  }
#endif
  gatesScalar(z, cPrev, h, s, H, j);
}

// One batch row of a backward step: saved row, c_prev, dh (incoming + carried) and the carried dc
// -> dz [W] and the new carried dc (in place).
NABLA_INLINE void gateGradsBody(const float* s, const float* cPrev, const float* dhIn, const float* dhCarried, float* dc,
                                float* dz, size_t H) {
  for (size_t j = 0; j < H; ++j) {
    const float i = s[j], f = s[H + j], g = s[2 * H + j], o = s[3 * H + j], tc = s[4 * H + j];
    const float dh = dhIn[j] + dhCarried[j];
    const float dct = dc[j] + dh * o * (1.0f - tc * tc);
    dz[j] = dct * g * i * (1.0f - i);
    dz[H + j] = dct * cPrev[j] * f * (1.0f - f);
    dz[2 * H + j] = dct * i * (1.0f - g * g);
    dz[3 * H + j] = dh * tc * o * (1.0f - o);
    dc[j] = dct * f;
  }
}

void gateGradsGeneric(const float* s, const float* cPrev, const float* dhIn, const float* dhC, float* dc, float* dz,
                      size_t H) {
  gateGradsBody(s, cPrev, dhIn, dhC, dc, dz, H);
}
NABLA_TARGET_AVX2 void gateGradsAvx2(const float* s, const float* cPrev, const float* dhIn, const float* dhC, float* dc,
                                     float* dz, size_t H) {
  gateGradsBody(s, cPrev, dhIn, dhC, dc, dz, H);
}

}  // namespace

void lstmSequence(const LstmDims& d, const float* xz, const float* u, const float* h0, const float* c0, float* hs,
                  float* cT, float* saved) {
  const size_t B = d.batch, T = d.time, H = d.units, W = 4 * H;
  if (B == 0 || T == 0 || H == 0) return;
  float* z = t_gates.reserve(B * W);
  const bool avx2 = useAvx2();
  for (size_t t = 0; t < T; ++t) {
    for (size_t b = 0; b < B; ++b) std::memcpy(z + b * W, xz + (b * T + t) * W, W * sizeof(float));
    GemmShape shape{B, W, H, false, false, t == 0 ? H : T * H, W, W};
    shape.accumulate = true;
    sgemm(shape, t == 0 ? h0 : hs + (t - 1) * H, u, z, threadCount());
    float* step = saved + t * B * 6 * H;
    forRecurrentRows(B, W, [&](size_t b) {
      const float* cPrev = t == 0 ? c0 + b * H : saved + ((t - 1) * B + b) * 6 * H + 5 * H;
      (avx2 ? gatesAvx2 : gatesGeneric)(z + b * W, cPrev, hs + (b * T + t) * H, step + b * 6 * H, H);
    });
  }
  for (size_t b = 0; b < B; ++b) std::memcpy(cT + b * H, saved + ((T - 1) * B + b) * 6 * H + 5 * H, H * sizeof(float));
}

void lstmSequenceGrad(const LstmDims& d, const float* u, const float* h0, const float* c0, const float* hs,
                      const float* saved, const float* dhs, const float* dcT, float* dxz, float* du, float* dh0,
                      float* dc0) {
  const size_t B = d.batch, T = d.time, H = d.units, W = 4 * H;
  if (H == 0) return;
  if (B == 0 || T == 0) {
    std::memset(du, 0, H * W * sizeof(float));
    if (B > 0) {
      std::memset(dh0, 0, B * H * sizeof(float));
      std::memcpy(dc0, dcT, B * H * sizeof(float));
    }
    return;
  }
  float* carried = t_state.reserve(2 * B * H);
  float* dh = carried;          // dL/dh_t from later steps
  float* dc = carried + B * H;  // dL/dc_t from later steps
  std::memset(dh, 0, B * H * sizeof(float));
  std::memcpy(dc, dcT, B * H * sizeof(float));
  const bool avx2 = useAvx2();
  for (size_t t = T; t-- > 0;) {
    forRecurrentRows(B, W, [&](size_t b) {
      const float* cPrev = t == 0 ? c0 + b * H : saved + ((t - 1) * B + b) * 6 * H + 5 * H;
      (avx2 ? gateGradsAvx2 : gateGradsGeneric)(saved + (t * B + b) * 6 * H, cPrev, dhs + (b * T + t) * H, dh + b * H,
                                                dc + b * H, dxz + (b * T + t) * W, H);
    });
    // dh_{t-1} = dz_t · uᵀ (written over the carried dh, which the gate pass has consumed).
    sgemm({B, H, W, false, true, T * W, W, H}, dxz + t * W, u, dh, threadCount());
  }
  std::memcpy(dh0, dh, B * H * sizeof(float));
  std::memcpy(dc0, dc, B * H * sizeof(float));
  recurrentKernelGradient(B, T, H, W, h0, hs, dxz, t_hPrev.reserve(B * T * H), du);
}

}  // namespace nabla
