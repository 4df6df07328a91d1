// Training-mode batch normalisation over the rows of x [M, C] (channels last), forward and
// backward: batchNormTrain(x, gamma|null, beta|null, eps, y, mean, variance, invStd) and
// batchNormTrainGrad(x, dy, mean, invStd, gamma|null, dx, dgamma, dbeta). Per-channel sums are
// taken in float64 over row chunks (one partial per chunk, added in order: deterministic for a
// given thread count), then one element-wise pass.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "bindings.h"
#include "napi_args.h"
#include "parallel_range.h"
#include "simd_dispatch.h"
#include "thread_pool.h"

namespace nabla {
namespace {

size_t chunksFor(size_t rows, size_t C) {
  const size_t work = rows * C;
  if (work < (1 << 15) || rows < 2) return 1;
  return std::min(rows, 4 * threadCount());
}

// acc[c] += Σ over rows [r0, r1) of f(row, c).
template <class F>
NABLA_INLINE void sumRows(size_t r0, size_t r1, size_t C, double* acc, F&& f) {
  for (size_t r = r0; r < r1; ++r) {
    for (size_t c = 0; c < C; ++c) acc[c] += f(r * C + c, c);
  }
}

// Runs body(r0, r1, partial) over row chunks, each with its own zeroed partial of `width`
// doubles, and adds the partials (in chunk order) into `total`.
template <class Body>
void chunkedSums(size_t rows, size_t C, size_t width, std::vector<double>& total, Body&& body) {
  const size_t chunks = chunksFor(rows, C);
  std::vector<double> partials(chunks * width, 0.0);
  parallelFor(chunks, [&](size_t k) { body(rows * k / chunks, rows * (k + 1) / chunks, partials.data() + k * width); });
  total.assign(width, 0.0);
  for (size_t k = 0; k < chunks; ++k) {
    for (size_t i = 0; i < width; ++i) total[i] += partials[k * width + i];
  }
}

struct Affine {
  const float* scale;  // per channel
  const float* shift;
};

NABLA_INLINE void affineBody(const float* x, float* y, size_t r0, size_t r1, size_t C, Affine a) {
  for (size_t r = r0; r < r1; ++r) {
    for (size_t c = 0; c < C; ++c) y[r * C + c] = x[r * C + c] * a.scale[c] + a.shift[c];
  }
}
void affineGeneric(const float* x, float* y, size_t r0, size_t r1, size_t C, Affine a) { affineBody(x, y, r0, r1, C, a); }
NABLA_TARGET_AVX2 void affineAvx2(const float* x, float* y, size_t r0, size_t r1, size_t C, Affine a) { affineBody(x, y, r0, r1, C, a); }

// dx = A·dy + B·x + D per channel (the gradient, expanded).
struct GradCoefficients {
  const float* a;
  const float* b;
  const float* d;
};
NABLA_INLINE void gradBody(const float* dy, const float* x, float* dx, size_t r0, size_t r1, size_t C, GradCoefficients k) {
  for (size_t r = r0; r < r1; ++r) {
    for (size_t c = 0; c < C; ++c) dx[r * C + c] = k.a[c] * dy[r * C + c] + k.b[c] * x[r * C + c] + k.d[c];
  }
}
void gradGeneric(const float* dy, const float* x, float* dx, size_t r0, size_t r1, size_t C, GradCoefficients k) { gradBody(dy, x, dx, r0, r1, C, k); }
NABLA_TARGET_AVX2 void gradAvx2(const float* dy, const float* x, float* dx, size_t r0, size_t r1, size_t C, GradCoefficients k) {
  gradBody(dy, x, dx, r0, r1, C, k);
}

ArraySpan<float> optionalFloat32(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name) {
  if (info[index].IsNull() || info[index].IsUndefined()) return {nullptr, 0};
  return float32Arg(info, index, op, name);
}

void requireCount(Napi::Env env, const ArraySpan<float>& a, size_t n, const char* op, const char* name) {
  if (a.length != n) {
    throwTypedError(env, "ShapeError", std::string(op) + ": " + name + " has " + std::to_string(a.length) + " values, expected " +
                                           std::to_string(n) + ".");
  }
}

Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  constexpr const char* op = "batchNormTrain";
  Napi::Env env = info.Env();
  requireArgCount(info, 8, op);
  const auto x = float32Arg(info, 0, op, "x");
  const auto gamma = optionalFloat32(info, 1, op, "gamma");
  const auto beta = optionalFloat32(info, 2, op, "beta");
  const double eps = numberArg(info, 3, op, "epsilon");
  const auto y = float32Arg(info, 4, op, "y");
  const auto mean = float32Arg(info, 5, op, "mean");
  const auto variance = float32Arg(info, 6, op, "variance");
  const auto invStd = float32Arg(info, 7, op, "invStd");
  const size_t C = mean.length;
  if (C == 0 ? x.length != 0 : x.length % C != 0) {
    throwTypedError(env, "ShapeError", std::string(op) + ": x has " + std::to_string(x.length) + " values, not rows of " + std::to_string(C) + " channels.");
  }
  if (gamma.data) requireCount(env, gamma, C, op, "gamma");
  if (beta.data) requireCount(env, beta, C, op, "beta");
  requireCount(env, y, x.length, op, "y");
  requireCount(env, variance, C, op, "variance");
  requireCount(env, invStd, C, op, "invStd");
  for (const auto* in : {&x, &gamma, &beta}) {
    for (const auto* out : {&y, &mean, &variance, &invStd}) requireDisjoint(env, *out, *in, op, "an input");
  }
  if (!(eps >= 0)) throwTypedError(env, "InvalidArgumentError", std::string(op) + ": epsilon must be >= 0.");
  if (C == 0) return env.Undefined();
  const size_t rows = x.length / C;
  std::vector<double> sums;
  chunkedSums(rows, C, C, sums, [&](size_t r0, size_t r1, double* acc) {
    sumRows(r0, r1, C, acc, [&](size_t i, size_t) { return static_cast<double>(x.data[i]); });
  });
  std::vector<double> mu(C);
  for (size_t c = 0; c < C; ++c) mu[c] = rows > 0 ? sums[c] / static_cast<double>(rows) : 0.0;
  chunkedSums(rows, C, C, sums, [&](size_t r0, size_t r1, double* acc) {
    sumRows(r0, r1, C, acc, [&](size_t i, size_t c) {
      const double d = static_cast<double>(x.data[i]) - mu[c];
      return d * d;
    });
  });
  std::vector<float> scale(C), shift(C);
  for (size_t c = 0; c < C; ++c) {
    const double var = rows > 0 ? sums[c] / static_cast<double>(rows) : 0.0;
    const double inv = 1.0 / std::sqrt(var + eps);
    mean.data[c] = static_cast<float>(mu[c]);
    variance.data[c] = static_cast<float>(var);
    invStd.data[c] = static_cast<float>(inv);
    const double s = inv * (gamma.data ? gamma.data[c] : 1.0f);
    scale[c] = static_cast<float>(s);
    shift[c] = static_cast<float>((beta.data ? beta.data[c] : 0.0f) - mu[c] * s);
  }
  const bool avx2 = useAvx2();
  const Affine a{scale.data(), shift.data()};
  parallelRange(rows, std::max<size_t>(1, 16384 / C), [&](size_t r0, size_t r1) {
    (avx2 ? affineAvx2 : affineGeneric)(x.data, y.data, r0, r1, C, a);
  });
  return env.Undefined();
}

Napi::Value BatchNormTrainGrad(const Napi::CallbackInfo& info) {
  constexpr const char* op = "batchNormTrainGrad";
  Napi::Env env = info.Env();
  requireArgCount(info, 8, op);
  const auto x = float32Arg(info, 0, op, "x");
  const auto dy = float32Arg(info, 1, op, "dy");
  const auto mean = float32Arg(info, 2, op, "mean");
  const auto invStd = float32Arg(info, 3, op, "invStd");
  const auto gamma = optionalFloat32(info, 4, op, "gamma");
  const auto dx = float32Arg(info, 5, op, "dx");
  const auto dgamma = float32Arg(info, 6, op, "dgamma");
  const auto dbeta = float32Arg(info, 7, op, "dbeta");
  const size_t C = mean.length;
  if (C == 0 ? x.length != 0 : x.length % C != 0) {
    throwTypedError(env, "ShapeError", std::string(op) + ": x has " + std::to_string(x.length) + " values, not rows of " + std::to_string(C) + " channels.");
  }
  requireCount(env, dy, x.length, op, "dy");
  requireCount(env, invStd, C, op, "invStd");
  if (gamma.data) requireCount(env, gamma, C, op, "gamma");
  requireCount(env, dx, x.length, op, "dx");
  requireCount(env, dgamma, C, op, "dgamma");
  requireCount(env, dbeta, C, op, "dbeta");
  for (const auto* in : {&x, &dy, &mean, &invStd, &gamma}) {
    for (const auto* out : {&dx, &dgamma, &dbeta}) requireDisjoint(env, *out, *in, op, "an input");
  }
  if (C == 0) return env.Undefined();
  const size_t rows = x.length / C;
  // sums[0..C): Σ dy; sums[C..2C): Σ dy·(x − mean) (times invStd afterwards).
  std::vector<double> sums;
  chunkedSums(rows, C, 2 * C, sums, [&](size_t r0, size_t r1, double* acc) {
    sumRows(r0, r1, C, acc, [&](size_t i, size_t) { return static_cast<double>(dy.data[i]); });
    sumRows(r0, r1, C, acc + C, [&](size_t i, size_t c) {
      return static_cast<double>(dy.data[i]) * (static_cast<double>(x.data[i]) - static_cast<double>(mean.data[c]));
    });
  });
  std::vector<float> a(C), b(C), d(C);
  const double m = static_cast<double>(rows);
  for (size_t c = 0; c < C; ++c) {
    const double inv = invStd.data[c], g = gamma.data ? gamma.data[c] : 1.0;
    const double sumDy = sums[c], sumDyXhat = sums[C + c] * inv;
    dbeta.data[c] = static_cast<float>(sumDy);
    dgamma.data[c] = static_cast<float>(sumDyXhat);
    // dx = g·inv·(dy − sumDy/m − (x − mean)·inv·sumDyXhat/m)
    const double k = g * inv;
    a[c] = static_cast<float>(k);
    b[c] = static_cast<float>(-k * inv * sumDyXhat / m);
    d[c] = static_cast<float>(-k * sumDy / m + k * inv * sumDyXhat / m * mean.data[c]);
  }
  const bool avx2 = useAvx2();
  const GradCoefficients coeff{a.data(), b.data(), d.data()};
  parallelRange(rows, std::max<size_t>(1, 16384 / C), [&](size_t r0, size_t r1) {
    (avx2 ? gradAvx2 : gradGeneric)(dy.data, x.data, dx.data, r0, r1, C, coeff);
  });
  return env.Undefined();
}

}  // namespace

void registerBatchNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNormTrain", Napi::Function::New(env, BatchNormTrain, "batchNormTrain"));
  exports.Set("batchNormTrainGrad", Napi::Function::New(env, BatchNormTrainGrad, "batchNormTrainGrad"));
}

}  // namespace nabla
