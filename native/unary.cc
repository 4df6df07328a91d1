#include "unary.h"

#include "parallel_range.h"
#include "simd_dispatch.h"
#include "unary_avx2.h"

namespace nabla {
namespace {

template <class Op>
void run(const float* x, float* out, size_t n, UnaryParams p, size_t minParallel) {
  const bool avx2 = useAvx2();
  parallelRange(n, minParallel, [&](size_t begin, size_t end) {
    if (avx2) {
      unaryRangeAvx2<Op>(x + begin, out + begin, end - begin, p);
    } else {
      unaryRangeGeneric<Op>(x + begin, out + begin, end - begin, p);
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
