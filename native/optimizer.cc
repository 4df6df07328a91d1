// Fused optimizer updates: adamUpdate(p, g, m, v, out, alpha, beta1, beta2, eps) and
// sgdUpdate(p, g, m | null, out, lr, momentum, nesterov). One pass over the parameters, slots
// updated in place, new values written to `out` (which may alias `p`, never `g` or the slots).
#include <cmath>
#include <string>

#include "bindings.h"
#include "napi_args.h"
#include "parallel_range.h"
#include "simd_dispatch.h"

namespace nabla {
namespace {

constexpr size_t kMinParallel = 1 << 15;

struct AdamParams {
  float alpha, c1, c2, eps;
};

NABLA_INLINE void adamBody(const float* p, const float* g, float* m, float* v, float* out, size_t n, AdamParams a) {
  for (size_t i = 0; i < n; ++i) {
    const float gi = g[i];
    const float mi = m[i] + (gi - m[i]) * a.c1;
    const float vi = v[i] + (gi * gi - v[i]) * a.c2;
    m[i] = mi;
    v[i] = vi;
    out[i] = p[i] - (mi * a.alpha) / (std::sqrt(vi) + a.eps);
  }
}

void adamGeneric(const float* p, const float* g, float* m, float* v, float* out, size_t n, AdamParams a) {
  adamBody(p, g, m, v, out, n, a);
}

NABLA_TARGET_AVX2 void adamAvx2(const float* p, const float* g, float* m, float* v, float* out, size_t n, AdamParams a) {
  adamBody(p, g, m, v, out, n, a);
}

struct SgdParams {
  float lr, momentum;
  bool nesterov;
};

NABLA_INLINE void sgdBody(const float* p, const float* g, float* m, float* out, size_t n, SgdParams s) {
  if (m == nullptr) {
    for (size_t i = 0; i < n; ++i) out[i] = p[i] - s.lr * g[i];
    return;
  }
  for (size_t i = 0; i < n; ++i) {
    const float step = -s.lr * g[i];
    const float mi = s.momentum * m[i] + step;
    m[i] = mi;
    out[i] = p[i] + (s.nesterov ? s.momentum * mi + step : mi);
  }
}

void sgdGeneric(const float* p, const float* g, float* m, float* out, size_t n, SgdParams s) { sgdBody(p, g, m, out, n, s); }

NABLA_TARGET_AVX2 void sgdAvx2(const float* p, const float* g, float* m, float* out, size_t n, SgdParams s) {
  sgdBody(p, g, m, out, n, s);
}

void requireSameLength(Napi::Env env, size_t expected, size_t actual, const char* op, const char* name) {
  if (actual != expected) {
    throwTypedError(env, "ShapeError", std::string(op) + ": " + name + " has " + std::to_string(actual) +
                                           " values but the parameter has " + std::to_string(expected) + ".");
  }
}

Napi::Value AdamUpdate(const Napi::CallbackInfo& info) {
  constexpr const char* op = "adamUpdate";
  Napi::Env env = info.Env();
  requireArgCount(info, 9, op);
  const auto p = float32Arg(info, 0, op, "param");
  const auto g = float32Arg(info, 1, op, "grad");
  const auto m = float32Arg(info, 2, op, "m");
  const auto v = float32Arg(info, 3, op, "v");
  const auto out = float32Arg(info, 4, op, "out");
  const size_t n = p.length;
  requireSameLength(env, n, g.length, op, "grad");
  requireSameLength(env, n, m.length, op, "m");
  requireSameLength(env, n, v.length, op, "v");
  requireSameLength(env, n, out.length, op, "out");
  requireDisjointOrSame(env, out, p, op, "param");
  requireDisjoint(env, out, g, op, "grad");
  requireDisjoint(env, out, m, op, "m");
  requireDisjoint(env, out, v, op, "v");
  requireDisjoint(env, m, v, op, "v (the m slot)");
  requireDisjoint(env, m, g, op, "grad (the m slot)");
  requireDisjoint(env, v, g, op, "grad (the v slot)");
  const double beta1 = numberArg(info, 6, op, "beta1"), beta2 = numberArg(info, 7, op, "beta2");
  const AdamParams a{static_cast<float>(numberArg(info, 5, op, "alpha")), static_cast<float>(1.0 - beta1),
                     static_cast<float>(1.0 - beta2), static_cast<float>(numberArg(info, 8, op, "epsilon"))};
  const bool avx2 = useAvx2();
  parallelRange(n, kMinParallel, [&](size_t b, size_t e) {
    (avx2 ? adamAvx2 : adamGeneric)(p.data + b, g.data + b, m.data + b, v.data + b, out.data + b, e - b, a);
  });
  return env.Undefined();
}

Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  constexpr const char* op = "sgdUpdate";
  Napi::Env env = info.Env();
  requireArgCount(info, 7, op);
  const auto p = float32Arg(info, 0, op, "param");
  const auto g = float32Arg(info, 1, op, "grad");
  const bool hasMomentum = !info[2].IsNull() && !info[2].IsUndefined();
  ArraySpan<float> m{nullptr, 0};
  if (hasMomentum) m = float32Arg(info, 2, op, "momentum slot");
  const auto out = float32Arg(info, 3, op, "out");
  const size_t n = p.length;
  requireSameLength(env, n, g.length, op, "grad");
  requireSameLength(env, n, out.length, op, "out");
  requireDisjointOrSame(env, out, p, op, "param");
  requireDisjoint(env, out, g, op, "grad");
  if (hasMomentum) {
    requireSameLength(env, n, m.length, op, "momentum slot");
    requireDisjoint(env, out, m, op, "momentum slot");
    requireDisjoint(env, m, g, op, "grad (the momentum slot)");
  }
  const SgdParams s{static_cast<float>(numberArg(info, 4, op, "lr")), static_cast<float>(numberArg(info, 5, op, "momentum")),
                    boolArg(info, 6, op, "nesterov")};
  float* mData = hasMomentum && s.momentum != 0.0f ? m.data : nullptr;
  const bool avx2 = useAvx2();
  parallelRange(n, kMinParallel, [&](size_t b, size_t e) {
    (avx2 ? sgdAvx2 : sgdGeneric)(p.data + b, g.data + b, mData ? mData + b : nullptr, out.data + b, e - b, s);
  });
  return env.Undefined();
}

}  // namespace

void registerOptimizer(Napi::Env env, Napi::Object exports) {
  exports.Set("adamUpdate", Napi::Function::New(env, AdamUpdate, "adamUpdate"));
  exports.Set("sgdUpdate", Napi::Function::New(env, SgdUpdate, "sgdUpdate"));
}

}  // namespace nabla
