#include "unary.h"

#include "exp_avx2.h"
#include "parallel_range.h"
#include "simd_dispatch.h"

namespace nabla {
namespace {

template <class Op>
NABLA_INLINE void rangeBody(const float* x, float* out, size_t n, UnaryParams p) {
  for (size_t i = 0; i < n; ++i) out[i] = Op::apply(x[i], p);
}

template <class Op>
void rangeGeneric(const float* x, float* out, size_t n, UnaryParams p) {
  rangeBody<Op>(x, out, n, p);
}

#if NABLA_HAVE_AVX2_TARGET
// Kinds built on exp get a vectorised exp on AVX2; the rest vectorise from their scalar form.
template <class Op>
struct Avx2Form {
  static constexpr bool available = false;
};
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

template <class Op>
NABLA_TARGET_AVX2 void rangeAvx2(const float* x, float* out, size_t n, UnaryParams p) {
#if NABLA_HAVE_AVX2_TARGET
  if constexpr (Avx2Form<Op>::available) {
    size_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, Avx2Form<Op>::apply(_mm256_loadu_ps(x + i)));
    rangeBody<Op>(x + i, out + i, n - i, p);
    return;
  }
#endif
  rangeBody<Op>(x, out, n, p);
}

template <class Op>
void run(const float* x, float* out, size_t n, UnaryParams p, size_t minParallel) {
  const bool avx2 = useAvx2();
  parallelRange(n, minParallel, [&](size_t begin, size_t end) {
    if (avx2) {
      rangeAvx2<Op>(x + begin, out + begin, end - begin, p);
    } else {
      rangeGeneric<Op>(x + begin, out + begin, end - begin, p);
    }
  });
}

}  // namespace

void unary(UnaryKind kind, const float* x, float* out, size_t n, UnaryParams p) {
  const size_t minParallel = unaryIsExpensive(kind) ? 8192 : 65536;
  switch (kind) {
    case UnaryKind::Neg: return run<NegOp>(x, out, n, p, minParallel);
    case UnaryKind::Abs: return run<AbsOp>(x, out, n, p, minParallel);
    case UnaryKind::Exp: return run<ExpOp>(x, out, n, p, minParallel);
    case UnaryKind::Expm1: return run<Expm1Op>(x, out, n, p, minParallel);
    case UnaryKind::Log: return run<LogOp>(x, out, n, p, minParallel);
    case UnaryKind::Log1p: return run<Log1pOp>(x, out, n, p, minParallel);
    case UnaryKind::Sqrt: return run<SqrtOp>(x, out, n, p, minParallel);
    case UnaryKind::Rsqrt: return run<RsqrtOp>(x, out, n, p, minParallel);
    case UnaryKind::Square: return run<SquareOp>(x, out, n, p, minParallel);
    case UnaryKind::Reciprocal: return run<ReciprocalOp>(x, out, n, p, minParallel);
    case UnaryKind::Sigmoid: return run<SigmoidOp>(x, out, n, p, minParallel);
    case UnaryKind::Tanh: return run<TanhOp>(x, out, n, p, minParallel);
    case UnaryKind::Relu: return run<ReluOp>(x, out, n, p, minParallel);
    case UnaryKind::Relu6: return run<Relu6Op>(x, out, n, p, minParallel);
    case UnaryKind::Elu: return run<EluOp>(x, out, n, p, minParallel);
    case UnaryKind::Selu: return run<SeluOp>(x, out, n, p, minParallel);
    case UnaryKind::LeakyRelu: return run<LeakyReluOp>(x, out, n, p, minParallel);
    case UnaryKind::Softplus: return run<SoftplusOp>(x, out, n, p, minParallel);
    case UnaryKind::Gelu: return run<GeluOp>(x, out, n, p, minParallel);
    case UnaryKind::Erf: return run<ErfOp>(x, out, n, p, minParallel);
    case UnaryKind::Sin: return run<SinOp>(x, out, n, p, minParallel);
    case UnaryKind::Cos: return run<CosOp>(x, out, n, p, minParallel);
    case UnaryKind::Sign: return run<SignOp>(x, out, n, p, minParallel);
    case UnaryKind::Floor: return run<FloorOp>(x, out, n, p, minParallel);
    case UnaryKind::Ceil: return run<CeilOp>(x, out, n, p, minParallel);
    case UnaryKind::Round: return run<RoundOp>(x, out, n, p, minParallel);
    case UnaryKind::Clip: return run<ClipOp>(x, out, n, p, minParallel);
    case UnaryKind::Step: return run<StepOp>(x, out, n, p, minParallel);
    case UnaryKind::Identity: return run<IdentityOp>(x, out, n, p, minParallel);
  }
}

}  // namespace nabla
