// Vectorised exp for AVX2 code paths (include only from files with NABLA_TARGET_AVX2 functions).
//
// exp(x) = 2^n * exp(r) with n = round(x / ln2) and r = x - n ln2 in [-ln2/2, ln2/2]; exp(r) is
// its degree-7 Taylor polynomial (truncation error below 6e-9 relative, under float precision).
// 2^n is applied as two factors 2^(n/2) so that results down in the subnormal range stay exact.
#pragma once

#include "cpu_features.h"

#if NABLA_HAVE_AVX2_TARGET
#include <immintrin.h>

namespace nabla {

NABLA_TARGET_AVX2 inline __m256 exp8(__m256 x) {
  const __m256 maxInput = _mm256_set1_ps(88.72283935546875f);  // exp overflows above this
  const __m256 minInput = _mm256_set1_ps(-104.0f);             // exp is 0 in float below this
  const __m256 xc = _mm256_min_ps(_mm256_max_ps(x, minInput), maxInput);
  const __m256 n = _mm256_round_ps(_mm256_mul_ps(xc, _mm256_set1_ps(1.44269504088896341f)),
                                   _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  // ln2 split in two: n * ln2Hi is exact for |n| < 512, so r keeps full precision.
  __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693145751953125f), xc);
  r = _mm256_fnmadd_ps(n, _mm256_set1_ps(1.428606765330187045e-06f), r);
  __m256 p = _mm256_set1_ps(1.0f / 5040);
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 720));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 120));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 24));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f / 6));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.0f));
  const __m256i ni = _mm256_cvtps_epi32(n);
  const __m256i half = _mm256_srai_epi32(ni, 1);
  const __m256i rest = _mm256_sub_epi32(ni, half);
  const __m256i bias = _mm256_set1_epi32(127);
  const __m256 scale1 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(half, bias), 23));
  const __m256 scale2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(rest, bias), 23));
  __m256 y = _mm256_mul_ps(_mm256_mul_ps(p, scale1), scale2);
  y = _mm256_blendv_ps(y, _mm256_set1_ps(__builtin_inff()), _mm256_cmp_ps(x, maxInput, _CMP_GT_OQ));
  return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));  // NaN stays NaN
}

}  // namespace nabla

#endif
