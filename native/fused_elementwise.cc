#include "fused_elementwise.h"

#include <algorithm>
#include <vector>

#include "binary_ops.h"
#include "parallel_range.h"
#include "simd_dispatch.h"
#include "unary_avx2.h"

namespace nabla {
namespace {

using UnaryFn = void (*)(const float*, float*, size_t, UnaryParams);
using BinaryFn = void (*)(const float*, const float*, float*, size_t);
using RegScalarFn = void (*)(const float*, float, float*, size_t);
using ScalarRegFn = void (*)(float, const float*, float*, size_t);

// Loop bodies over one block, inlined into a baseline and an AVX2 wrapper (simd_dispatch.h).
template <class Op>
NABLA_INLINE void binaryBody(const float* a, const float* b, float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = Op::apply(a[i], b[i]);
}
template <class Op>
NABLA_INLINE void regScalarBody(const float* a, float s, float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = Op::apply(a[i], s);
}
template <class Op>
NABLA_INLINE void scalarRegBody(float s, const float* b, float* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = Op::apply(s, b[i]);
}

template <class Op>
void binaryGeneric(const float* a, const float* b, float* out, size_t n) { binaryBody<Op>(a, b, out, n); }
template <class Op>
NABLA_TARGET_AVX2 void binaryAvx2(const float* a, const float* b, float* out, size_t n) { binaryBody<Op>(a, b, out, n); }
template <class Op>
void regScalarGeneric(const float* a, float s, float* out, size_t n) { regScalarBody<Op>(a, s, out, n); }
template <class Op>
NABLA_TARGET_AVX2 void regScalarAvx2(const float* a, float s, float* out, size_t n) { regScalarBody<Op>(a, s, out, n); }
template <class Op>
void scalarRegGeneric(float s, const float* b, float* out, size_t n) { scalarRegBody<Op>(s, b, out, n); }
template <class Op>
NABLA_TARGET_AVX2 void scalarRegAvx2(float s, const float* b, float* out, size_t n) { scalarRegBody<Op>(s, b, out, n); }

#define NABLA_FUSED_UNARY_KINDS(X)                                                                            \
  X(Neg) X(Abs) X(Exp) X(Expm1) X(Log) X(Log1p) X(Sqrt) X(Rsqrt) X(Square) X(Reciprocal) X(Sigmoid) X(Tanh) \
  X(Relu) X(Relu6) X(Elu) X(Selu) X(LeakyRelu) X(Softplus) X(Gelu) X(Erf) X(Sin) X(Cos) X(Sign) X(Floor)     \
  X(Ceil) X(Round) X(Clip) X(Step) X(Identity)
#define NABLA_FUSED_BINARY_KINDS(X) \
  X(Add) X(Sub) X(Mul) X(Div) X(Pow) X(Maximum) X(Minimum) X(SquaredDifference) X(FloorDiv) X(Mod) X(ReluGrad)

UnaryFn unaryFn(UnaryKind kind, bool avx2) {
  switch (kind) {
#define NABLA_CASE(K) \
  case UnaryKind::K: return avx2 ? unaryRangeAvx2<K##Op> : unaryRangeGeneric<K##Op>;
    NABLA_FUSED_UNARY_KINDS(NABLA_CASE)
#undef NABLA_CASE
  }
  return nullptr;
}

struct BinaryFns {
  BinaryFn regReg;
  RegScalarFn regScalar;
  ScalarRegFn scalarReg;
};

BinaryFns binaryFns(BinaryKind kind, bool avx2) {
  switch (kind) {
#define NABLA_CASE(K)                                                                  \
  case BinaryKind::K:                                                                  \
    return avx2 ? BinaryFns{binaryAvx2<K##Op>, regScalarAvx2<K##Op>, scalarRegAvx2<K##Op>} \
                : BinaryFns{binaryGeneric<K##Op>, regScalarGeneric<K##Op>, scalarRegGeneric<K##Op>};
    NABLA_FUSED_BINARY_KINDS(NABLA_CASE)
#undef NABLA_CASE
    default:
      return {nullptr, nullptr, nullptr};
  }
}

// The last float-valued binary kind (the comparisons after it output bool).
constexpr int32_t kLastFusedBinary = static_cast<int32_t>(BinaryKind::ReluGrad);
constexpr int32_t kLastUnary = static_cast<int32_t>(UnaryKind::Identity);

bool isExpensive(const FusedInstruction& c) {
  if (c.op == static_cast<int32_t>(FusedOp::Unary)) return unaryIsExpensive(static_cast<UnaryKind>(c.kind));
  return c.op != static_cast<int32_t>(FusedOp::Load) &&
         (c.kind == static_cast<int32_t>(BinaryKind::Pow) || c.kind == static_cast<int32_t>(BinaryKind::Mod));
}

// One instruction with its kernel resolved for the active SIMD level.
struct Resolved {
  FusedOp op;
  size_t dst, a, b;
  UnaryParams params;
  float scalar;
  UnaryFn unary;
  BinaryFns binary;
};

}  // namespace

std::string fusedProgramError(const FusedInstruction* code, size_t count, size_t registers, const size_t* inputLengths,
                              size_t inputCount, size_t n) {
  if (count == 0) return "the program is empty";
  if (registers < 1 || registers > kFusedMaxRegisters) {
    return "registers must be from 1 to " + std::to_string(kFusedMaxRegisters) + ", got " + std::to_string(registers);
  }
  bool written[kFusedMaxRegisters] = {};
  for (size_t i = 0; i < count; ++i) {
    const FusedInstruction& c = code[i];
    const std::string at = "instruction " + std::to_string(i) + " ";
    auto regOk = [&](int32_t r) { return r >= 0 && static_cast<size_t>(r) < registers && written[r]; };
    auto inputOk = [&](int32_t k, size_t length) {
      return k >= 0 && static_cast<size_t>(k) < inputCount && inputLengths[k] == length;
    };
    switch (c.op) {
      case static_cast<int32_t>(FusedOp::Load):
        if (!inputOk(c.a, n)) return at + "loads input " + std::to_string(c.a) + ", which is missing or not " + std::to_string(n) + " long";
        break;
      case static_cast<int32_t>(FusedOp::Unary):
        if (c.kind < 0 || c.kind > kLastUnary) return at + "has an unknown unary kind " + std::to_string(c.kind);
        if (!regOk(c.a)) return at + "reads register " + std::to_string(c.a) + ", out of range or not yet written";
        break;
      case static_cast<int32_t>(FusedOp::Binary):
      case static_cast<int32_t>(FusedOp::BinaryRegScalar):
      case static_cast<int32_t>(FusedOp::BinaryScalarReg): {
        if (c.kind < 0 || c.kind > kLastFusedBinary) return at + "has an unknown or non-float binary kind " + std::to_string(c.kind);
        const bool aScalar = c.op == static_cast<int32_t>(FusedOp::BinaryScalarReg);
        const bool bScalar = c.op == static_cast<int32_t>(FusedOp::BinaryRegScalar);
        if (aScalar ? !inputOk(c.a, 1) : !regOk(c.a)) return at + "has an invalid first operand " + std::to_string(c.a);
        if (bScalar ? !inputOk(c.b, 1) : !regOk(c.b)) return at + "has an invalid second operand " + std::to_string(c.b);
        break;
      }
      default:
        return at + "has an unknown op " + std::to_string(c.op);
    }
    if (c.dst < 0 || static_cast<size_t>(c.dst) >= registers) return at + "writes register " + std::to_string(c.dst) + ", out of range";
    written[c.dst] = true;
  }
  if (code[count - 1].op == static_cast<int32_t>(FusedOp::Load)) return "the last instruction must compute the output, not load an input";
  return "";
}

void fusedElementwise(const FusedInstruction* code, size_t count, const float* const* inputs, float* out, size_t n) {
  if (n == 0) return;
  const bool avx2 = useAvx2();
  std::vector<Resolved> steps(count);
  bool expensive = false;
  for (size_t i = 0; i < count; ++i) {
    const FusedInstruction& c = code[i];
    Resolved& s = steps[i];
    s.op = static_cast<FusedOp>(c.op);
    s.dst = static_cast<size_t>(c.dst);
    s.a = static_cast<size_t>(c.a);
    s.b = static_cast<size_t>(c.b);
    s.params = c.params;
    s.scalar = s.op == FusedOp::BinaryRegScalar ? inputs[c.b][0] : s.op == FusedOp::BinaryScalarReg ? inputs[c.a][0] : 0.0f;
    s.unary = s.op == FusedOp::Unary ? unaryFn(static_cast<UnaryKind>(c.kind), avx2) : nullptr;
    s.binary = s.op >= FusedOp::Binary ? binaryFns(static_cast<BinaryKind>(c.kind), avx2) : BinaryFns{};
    expensive = expensive || isExpensive(c);
  }
  // Like unary.cc's thresholds, lowered as the program does more work per element.
  const size_t minParallel = expensive ? 8192 : std::max<size_t>(8192, 65536 / count);
  parallelRange(n, minParallel, [&](size_t begin, size_t end) {
    alignas(32) float scratch[kFusedMaxRegisters][kFusedBlock];
    const float* reg[kFusedMaxRegisters] = {};
    for (size_t off = begin; off < end; off += kFusedBlock) {
      const size_t len = std::min(kFusedBlock, end - off);
      for (size_t i = 0; i < count; ++i) {
        const Resolved& s = steps[i];
        if (s.op == FusedOp::Load) {
          reg[s.dst] = inputs[s.a] + off;
          continue;
        }
        float* dst = i + 1 == count ? out + off : scratch[s.dst];
        switch (s.op) {
          case FusedOp::Unary: s.unary(reg[s.a], dst, len, s.params); break;
          case FusedOp::Binary: s.binary.regReg(reg[s.a], reg[s.b], dst, len); break;
          case FusedOp::BinaryRegScalar: s.binary.regScalar(reg[s.a], s.scalar, dst, len); break;
          case FusedOp::BinaryScalarReg: s.binary.scalarReg(s.scalar, reg[s.b], dst, len); break;
          case FusedOp::Load: break;
        }
        reg[s.dst] = dst;
      }
    }
  });
}

}  // namespace nabla
