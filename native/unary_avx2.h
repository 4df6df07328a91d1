// Vectorised AVX2 forms of the unary kinds built on exp (include only from files with
// NABLA_TARGET_AVX2 functions). Avx2Form<Op>::available says whether a kind has one; the others
// vectorise from their scalar form in unary_ops.h. Shared by unary.cc and fused_elementwise.cc,
// so a fused chain computes exactly what the separate kernels do.
#pragma once

#include <cstddef>

#include "exp_avx2.h"
#include "simd_dispatch.h"
#include "unary_ops.h"

namespace nabla {

template <class Op>
struct Avx2Form {
  static constexpr bool available = false;
};

#if NABLA_HAVE_AVX2_TARGET
template <>
struct Avx2Form<ExpOp> {
  static constexpr bool available = true;
  NABLA_TARGET_AVX2 static __m256 apply(__m256 x) { return exp8(x); }
};
template <>
struct Avx2Form<SigmoidOp> {
  static constexpr bool available = true;
  // With e = exp(-|x|): 1 / (1 + e) for x >= 0 and e / (1 + e) below, like the scalar form, so
  // the negative tail keeps its relative precision down to the subnormals.
  NABLA_TARGET_AVX2 static __m256 apply(__m256 x) {
    const __m256 signBit = _mm256_set1_ps(-0.0f);
    const __m256 e = exp8(_mm256_or_ps(x, signBit));
    const __m256 inv = _mm256_div_ps(_mm256_set1_ps(1.0f), _mm256_add_ps(_mm256_set1_ps(1.0f), e));
    const __m256 negative = _mm256_cmp_ps(x, _mm256_setzero_ps(), _CMP_LT_OQ);
    return _mm256_blendv_ps(inv, _mm256_mul_ps(e, inv), negative);
  }
};
#endif

// One unary kind over a range: the scalar loop (baseline build) and the AVX2 one, 8 lanes through
// Avx2Form where the kind has one, the tail (and kinds without one) through the scalar form.
template <class Op>
NABLA_INLINE void unaryRangeBody(const float* x, float* out, size_t n, UnaryParams p) {
  for (size_t i = 0; i < n; ++i) out[i] = Op::apply(x[i], p);
}

template <class Op>
void unaryRangeGeneric(const float* x, float* out, size_t n, UnaryParams p) {
  unaryRangeBody<Op>(x, out, n, p);
}

template <class Op>
NABLA_TARGET_AVX2 void unaryRangeAvx2(const float* x, float* out, size_t n, UnaryParams p) {
#if NABLA_HAVE_AVX2_TARGET
  if constexpr (Avx2Form<Op>::available) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, Avx2Form<Op>::apply(_mm256_loadu_ps(x + i)));
    unaryRangeBody<Op>(x + i, out + i, n - i, p);
    return;
  }
#endif
  unaryRangeBody<Op>(x, out, n, p);
}

}  // namespace nabla
