// reduce(kind, x, xShape, axes, out) over float32, and softmax(x, xShape, out, log).
#include <string>
#include <utility>

#include "bindings.h"
#include "napi_args.h"
#include "reduce.h"
#include "softmax.h"

namespace nabla {
namespace {

const std::pair<const char*, ReduceKind> kReduceKinds[] = {
    {"sum", ReduceKind::Sum}, {"mean", ReduceKind::Mean}, {"max", ReduceKind::Max},
    {"min", ReduceKind::Min}, {"prod", ReduceKind::Prod},
};

Napi::Value Reduce(const Napi::CallbackInfo& info) {
  constexpr const char* op = "reduce";
  Napi::Env env = info.Env();
  requireArgCount(info, 5, op);
  const ReduceKind kind = kindArg(info, 0, kReduceKinds, op);
  const auto x = float32Arg(info, 1, op, "x");
  const Shape shape = shapeArg(info, 2, op, "xShape");
  const std::vector<size_t> axes = axesArg(info, 3, shape.size(), op);
  const auto out = float32Arg(info, 4, op, "out");
  requireLength(env, x, shape, op, "x");
  size_t kept = 1;
  for (size_t d = 0, a = 0; d < shape.size(); ++d) {
    if (a < axes.size() && axes[a] == d) {
      ++a;
    } else {
      kept *= shape[d];
    }
  }
  if (out.length != kept) {
    throwTypedError(env, "ShapeError", std::string(op) + ": out has " + std::to_string(out.length) +
                                           " values but reducing " + shapeString(shape) + " leaves " +
                                           std::to_string(kept) + ".");
  }
  requireDisjoint(env, out, x, op, "x");
  reduce(kind, x.data, shape, axes, out.data);
  return env.Undefined();
}

Napi::Value Softmax(const Napi::CallbackInfo& info) {
  constexpr const char* op = "softmax";
  Napi::Env env = info.Env();
  requireArgCount(info, 4, op);
  const auto x = float32Arg(info, 0, op, "x");
  const Shape shape = shapeArg(info, 1, op, "xShape");
  const auto out = float32Arg(info, 2, op, "out");
  const bool log = boolArg(info, 3, op, "log");
  requireLength(env, x, shape, op, "x");
  if (out.length != x.length) {
    throwTypedError(env, "ShapeError", std::string(op) + ": out has " + std::to_string(out.length) +
                                           " values but x has " + std::to_string(x.length) + ".");
  }
  if (shape.empty()) throwTypedError(env, "ShapeError", std::string(op) + ": x must have rank >= 1.");
  requireDisjointOrSame(env, out, x, op, "x");
  const size_t cols = shape.back();
  if (cols > 0) softmax(x.data, out.data, x.length / cols, cols, log);
  return env.Undefined();
}

}  // namespace

void registerReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("reduce", Napi::Function::New(env, Reduce, "reduce"));
  exports.Set("softmax", Napi::Function::New(env, Softmax, "softmax"));
}

}  // namespace nabla
