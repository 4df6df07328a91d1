// biasActivation(x, bias | null, relu, out): out = act(x + bias[channel]) over the last axis, one
// pass; out may be x itself (the epilogue of a fused convolution or dense layer).
#include <string>

#include "bindings.h"
#include "napi_args.h"
#include "parallel_range.h"
#include "simd_dispatch.h"

namespace nabla {
namespace {

constexpr size_t kMinParallelRows = 64;

// Rows [r0, r1) of `channels` values each.
NABLA_INLINE void rowsBody(const float* x, const float* bias, bool relu, float* out, size_t channels, size_t r0, size_t r1) {
  for (size_t r = r0; r < r1; ++r) {
    const float* xr = x + r * channels;
    float* orow = out + r * channels;
    for (size_t c = 0; c < channels; ++c) {
      const float v = bias ? xr[c] + bias[c] : xr[c];
      orow[c] = relu ? (v > 0.0f ? v : 0.0f) : v;
    }
  }
}
void rowsGeneric(const float* x, const float* b, bool relu, float* out, size_t ch, size_t r0, size_t r1) {
  rowsBody(x, b, relu, out, ch, r0, r1);
}
NABLA_TARGET_AVX2 void rowsAvx2(const float* x, const float* b, bool relu, float* out, size_t ch, size_t r0, size_t r1) {
  rowsBody(x, b, relu, out, ch, r0, r1);
}

Napi::Value BiasActivation(const Napi::CallbackInfo& info) {
  constexpr const char* op = "biasActivation";
  Napi::Env env = info.Env();
  requireArgCount(info, 4, op);
  const auto x = float32Arg(info, 0, op, "x");
  const bool hasBias = !info[1].IsNull() && !info[1].IsUndefined();
  ArraySpan<float> bias{nullptr, 0};
  if (hasBias) bias = float32Arg(info, 1, op, "bias");
  const bool relu = boolArg(info, 2, op, "relu");
  const auto out = float32Arg(info, 3, op, "out");
  if (out.length != x.length) {
    throwTypedError(env, "ShapeError", std::string(op) + ": out has " + std::to_string(out.length) + " values but x has " +
                                           std::to_string(x.length) + ".");
  }
  if (out.data != x.data) requireDisjoint(env, out, x, op, "x");
  if (hasBias) {
    requireDisjoint(env, out, bias, op, "bias");
    if (bias.length == 0 ? x.length != 0 : x.length % bias.length != 0) {
      throwTypedError(env, "ShapeError", std::string(op) + ": x has " + std::to_string(x.length) +
                                             " values, not a whole number of rows of the bias's " + std::to_string(bias.length) +
                                             " channels.");
    }
  }
  const size_t channels = hasBias ? bias.length : 1;
  if (x.length == 0) return env.Undefined();
  const size_t rows = x.length / channels;
  const bool avx2 = useAvx2();
  const size_t rowsPerChunk = channels >= 4096 ? 1 : 4096 / channels;
  parallelRange(rows, kMinParallelRows * rowsPerChunk, [&](size_t r0, size_t r1) {
    (avx2 ? rowsAvx2 : rowsGeneric)(x.data, hasBias ? bias.data : nullptr, relu, out.data, channels, r0, r1);
  });
  return env.Undefined();
}

}  // namespace

void registerBiasActivation(Napi::Env env, Napi::Object exports) {
  exports.Set("biasActivation", Napi::Function::New(env, BiasActivation, "biasActivation"));
}

}  // namespace nabla
