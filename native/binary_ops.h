// Element-wise functions of two float32 values, matching the reference kernels' semantics.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace nabla {

enum class BinaryKind {
  Add, Sub, Mul, Div, Pow, Maximum, Minimum, SquaredDifference, FloorDiv, Mod, ReluGrad,
  Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual,
};

// Each op: `Out` is the output element type, apply(a, b) the value.
struct AddOp { using Out = float; static float apply(float a, float b) { return a + b; } };
struct SubOp { using Out = float; static float apply(float a, float b) { return a - b; } };
struct MulOp { using Out = float; static float apply(float a, float b) { return a * b; } };
struct DivOp { using Out = float; static float apply(float a, float b) { return a / b; } };
// Like the reference's Math.pow: 1 ** NaN and (+-1) ** (+-inf) are NaN, where C's pow gives 1.
struct PowOp {
  using Out = float;
  static float apply(float a, float b) {
    if (b != b || (std::isinf(b) && std::fabs(a) == 1.0f)) return std::numeric_limits<float>::quiet_NaN();
    return std::pow(a, b);
  }
};
// NaN in `a` wins, and so does NaN in `b` (the comparison is false), as in the reference.
struct MaximumOp { using Out = float; static float apply(float a, float b) { return a > b || a != a ? a : b; } };
struct MinimumOp { using Out = float; static float apply(float a, float b) { return a < b || a != a ? a : b; } };
struct SquaredDifferenceOp {
  using Out = float;
  static float apply(float a, float b) { return (a - b) * (a - b); }
};
struct FloorDivOp { using Out = float; static float apply(float a, float b) { return std::floor(a / b); } };
// Result takes the divisor's sign (Python/TensorFlow floormod).
struct ModOp {
  using Out = float;
  static float apply(float a, float b) {
    const float r = std::fmod(a, b);
    return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
  }
};
// relu's gradient: dy where x > 0, else dy * 0 (so NaN/inf in dy stay NaN, as dy * step(x)).
struct ReluGradOp {
  using Out = float;
  // The 1/0 factor is built from the comparison's bits, so the loop stays branch-free and
  // vectorises (a select between FP expressions would not be if-converted under -ftrapping-math).
  static float apply(float dy, float x) {
    const uint32_t bits = (0u - static_cast<uint32_t>(x > 0.0f)) & 0x3f800000u;  // 1.0f or +0.0f
    float factor;
    std::memcpy(&factor, &bits, sizeof factor);
    return dy * factor;
  }
};
struct EqualOp { using Out = uint8_t; static uint8_t apply(float a, float b) { return a == b; } };
struct NotEqualOp { using Out = uint8_t; static uint8_t apply(float a, float b) { return a != b; } };
struct LessOp { using Out = uint8_t; static uint8_t apply(float a, float b) { return a < b; } };
struct LessEqualOp { using Out = uint8_t; static uint8_t apply(float a, float b) { return a <= b; } };
struct GreaterOp { using Out = uint8_t; static uint8_t apply(float a, float b) { return a > b; } };
struct GreaterEqualOp { using Out = uint8_t; static uint8_t apply(float a, float b) { return a >= b; } };

}  // namespace nabla
