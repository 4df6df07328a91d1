// Element-wise functions of one float32 value, matching the reference kernels' semantics.
// `alpha`/`beta` carry the kinds' parameters (elu, leakyRelu, clip, step).
#pragma once

#include <cmath>

namespace nabla {

enum class UnaryKind {
  Neg, Abs, Exp, Expm1, Log, Log1p, Sqrt, Rsqrt, Square, Reciprocal, Sigmoid, Tanh, Relu, Relu6,
  Elu, Selu, LeakyRelu, Softplus, Gelu, Erf, Sin, Cos, Sign, Floor, Ceil, Round, Clip, Step, Identity,
};

// True for kinds whose scalar cost is a libm call (parallelised at smaller sizes).
inline bool unaryIsExpensive(UnaryKind k) {
  switch (k) {
    case UnaryKind::Neg: case UnaryKind::Abs: case UnaryKind::Square: case UnaryKind::Relu:
    case UnaryKind::Relu6: case UnaryKind::LeakyRelu: case UnaryKind::Sign: case UnaryKind::Floor:
    case UnaryKind::Ceil: case UnaryKind::Round: case UnaryKind::Clip: case UnaryKind::Step:
    case UnaryKind::Identity: case UnaryKind::Reciprocal: case UnaryKind::Sqrt: case UnaryKind::Rsqrt:
      return false;
    default:
      return true;
  }
}

struct UnaryParams {
  float alpha, beta;
};

constexpr float kSeluScale = 1.0507009873554805f;
constexpr float kSeluAlpha = 1.6732632423543772f;

struct NegOp { static float apply(float x, UnaryParams) { return -x; } };
struct AbsOp { static float apply(float x, UnaryParams) { return std::fabs(x); } };
struct ExpOp { static float apply(float x, UnaryParams) { return std::exp(x); } };
struct Expm1Op { static float apply(float x, UnaryParams) { return std::expm1(x); } };
struct LogOp { static float apply(float x, UnaryParams) { return std::log(x); } };
struct Log1pOp { static float apply(float x, UnaryParams) { return std::log1p(x); } };
struct SqrtOp { static float apply(float x, UnaryParams) { return std::sqrt(x); } };
struct RsqrtOp { static float apply(float x, UnaryParams) { return 1.0f / std::sqrt(x); } };
struct SquareOp { static float apply(float x, UnaryParams) { return x * x; } };
struct ReciprocalOp { static float apply(float x, UnaryParams) { return 1.0f / x; } };
struct SigmoidOp {
  static float apply(float x, UnaryParams) {
    if (x >= 0) return 1.0f / (1.0f + std::exp(-x));
    const float e = std::exp(x);
    return e / (1.0f + e);
  }
};
struct TanhOp { static float apply(float x, UnaryParams) { return std::tanh(x); } };
struct ReluOp { static float apply(float x, UnaryParams) { return x > 0 ? x : 0.0f; } };
struct Relu6Op { static float apply(float x, UnaryParams) { return x > 0 ? (x < 6 ? x : 6.0f) : 0.0f; } };
struct EluOp { static float apply(float x, UnaryParams p) { return x > 0 ? x : p.alpha * std::expm1(x); } };
struct SeluOp {
  static float apply(float x, UnaryParams) { return x > 0 ? kSeluScale * x : kSeluScale * kSeluAlpha * std::expm1(x); }
};
struct LeakyReluOp { static float apply(float x, UnaryParams p) { return x > 0 ? x : p.alpha * x; } };
struct SoftplusOp {
  static float apply(float x, UnaryParams) { return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x)); }
};
struct GeluOp {
  static float apply(float x, UnaryParams) { return 0.5f * x * (1.0f + std::erf(x * 0.70710678118654752f)); }
};
struct ErfOp { static float apply(float x, UnaryParams) { return std::erf(x); } };
struct SinOp { static float apply(float x, UnaryParams) { return std::sin(x); } };
struct CosOp { static float apply(float x, UnaryParams) { return std::cos(x); } };
struct SignOp { static float apply(float x, UnaryParams) { return x > 0 ? 1.0f : x < 0 ? -1.0f : x == 0 ? 0.0f : x; } };
struct FloorOp { static float apply(float x, UnaryParams) { return std::floor(x); } };
struct CeilOp { static float apply(float x, UnaryParams) { return std::ceil(x); } };
// Half to even, as TensorFlow rounds (the default floating-point rounding mode).
struct RoundOp { static float apply(float x, UnaryParams) { return std::nearbyint(x); } };
struct ClipOp {
  static float apply(float x, UnaryParams p) { return x < p.alpha ? p.alpha : x > p.beta ? p.beta : x; }
};
struct StepOp { static float apply(float x, UnaryParams p) { return x > 0 ? 1.0f : p.alpha; } };
struct IdentityOp { static float apply(float x, UnaryParams) { return x; } };

}  // namespace nabla
