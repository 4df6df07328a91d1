#include "binary.h"

#include <type_traits>

#include "parallel_range.h"
#include "simd_dispatch.h"

namespace nabla {
namespace {

// One innermost run: a and b advance by sa, sb (0 or 1). Separate loops per stride pattern, so
// each one vectorises.
template <class Op>
NABLA_INLINE void segmentBody(const float* a, size_t sa, const float* b, size_t sb, typename Op::Out* out, size_t n) {
  if (sa == 1 && sb == 1) {
    for (size_t i = 0; i < n; ++i) out[i] = Op::apply(a[i], b[i]);
  } else if (sa == 1) {
    const float s = b[0];
    for (size_t i = 0; i < n; ++i) out[i] = Op::apply(a[i], s);
  } else if (sb == 1) {
    const float s = a[0];
    for (size_t i = 0; i < n; ++i) out[i] = Op::apply(s, b[i]);
  } else {
    const typename Op::Out v = Op::apply(a[0], b[0]);
    for (size_t i = 0; i < n; ++i) out[i] = v;
  }
}

template <class Op>
void segmentGeneric(const float* a, size_t sa, const float* b, size_t sb, typename Op::Out* out, size_t n) {
  segmentBody<Op>(a, sa, b, sb, out, n);
}

template <class Op>
NABLA_TARGET_AVX2 void segmentAvx2(const float* a, size_t sa, const float* b, size_t sb, typename Op::Out* out, size_t n) {
  segmentBody<Op>(a, sa, b, sb, out, n);
}

// Element count above which the work is split across threads (pow and fmod cost more per element).
template <class Op>
constexpr size_t parallelThreshold() {
  return std::is_same_v<Op, PowOp> || std::is_same_v<Op, ModOp> ? 8192 : 65536;
}

template <class Op>
void run(const BroadcastPlan& plan, size_t size, const float* a, const float* b, void* outRaw) {
  auto* out = static_cast<typename Op::Out*>(outRaw);
  const size_t rank = plan.dims.size();
  const size_t sa = plan.strideA[rank - 1], sb = plan.strideB[rank - 1];
  const bool avx2 = useAvx2();
  parallelRange(size, parallelThreshold<Op>(), [&](size_t begin, size_t end) {
    forEachSegment(plan, begin, end, [&](size_t aOff, size_t bOff, size_t outOff, size_t len) {
      if (avx2) {
        segmentAvx2<Op>(a + aOff, sa, b + bOff, sb, out + outOff, len);
      } else {
        segmentGeneric<Op>(a + aOff, sa, b + bOff, sb, out + outOff, len);
      }
    });
  });
}

}  // namespace

bool binaryOutputsBool(BinaryKind kind) { return kind >= BinaryKind::Equal; }

void binary(BinaryKind kind, const BroadcastPlan& plan, size_t size, const float* a, const float* b, void* out) {
  switch (kind) {
    case BinaryKind::Add: return run<AddOp>(plan, size, a, b, out);
    case BinaryKind::Sub: return run<SubOp>(plan, size, a, b, out);
    case BinaryKind::Mul: return run<MulOp>(plan, size, a, b, out);
    case BinaryKind::Div: return run<DivOp>(plan, size, a, b, out);
    case BinaryKind::Pow: return run<PowOp>(plan, size, a, b, out);
    case BinaryKind::Maximum: return run<MaximumOp>(plan, size, a, b, out);
    case BinaryKind::Minimum: return run<MinimumOp>(plan, size, a, b, out);
    case BinaryKind::SquaredDifference: return run<SquaredDifferenceOp>(plan, size, a, b, out);
    case BinaryKind::FloorDiv: return run<FloorDivOp>(plan, size, a, b, out);
    case BinaryKind::Mod: return run<ModOp>(plan, size, a, b, out);
    case BinaryKind::ReluGrad: return run<ReluGradOp>(plan, size, a, b, out);
    case BinaryKind::Equal: return run<EqualOp>(plan, size, a, b, out);
    case BinaryKind::NotEqual: return run<NotEqualOp>(plan, size, a, b, out);
    case BinaryKind::Less: return run<LessOp>(plan, size, a, b, out);
    case BinaryKind::LessEqual: return run<LessEqualOp>(plan, size, a, b, out);
    case BinaryKind::Greater: return run<GreaterOp>(plan, size, a, b, out);
    case BinaryKind::GreaterEqual: return run<GreaterEqualOp>(plan, size, a, b, out);
  }
}

}  // namespace nabla
