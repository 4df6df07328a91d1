// reduce(kind, x, xShape, axes, out) over float32, softmax(x, xShape, out, log) and
// sparseSoftmaxCrossEntropy(logits, labels, loss, probs, classes).
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

Napi::Value SparseSoftmaxCrossEntropy(const Napi::CallbackInfo& info) {
  constexpr const char* op = "sparseSoftmaxCrossEntropy";
  Napi::Env env = info.Env();
  requireArgCount(info, 5, op);
  const auto x = float32Arg(info, 0, op, "logits");
  const auto labels = int32Arg(info, 1, op, "labels");
  const auto loss = float32Arg(info, 2, op, "loss");
  const auto probs = float32Arg(info, 3, op, "probs");
  const double colsArg = numberArg(info, 4, op, "classes");
  if (!(colsArg >= 1) || colsArg != static_cast<double>(static_cast<size_t>(colsArg))) {
    throwTypedError(env, "InvalidArgumentError", std::string(op) + ": classes must be a positive integer.");
  }
  const size_t cols = static_cast<size_t>(colsArg);
  const size_t rows = labels.length;
  if (x.length != rows * cols || probs.length != x.length || loss.length != rows) {
    throwTypedError(env, "ShapeError", std::string(op) + ": expected logits and probs of " + std::to_string(rows) + " x " +
                                           std::to_string(cols) + " values and " + std::to_string(rows) +
                                           " losses (one per label), got " + std::to_string(x.length) + ", " +
                                           std::to_string(probs.length) + " and " + std::to_string(loss.length) + ".");
  }
  requireDisjoint(env, probs, x, op, "logits");
  requireDisjoint(env, loss, x, op, "logits");
  requireDisjoint(env, loss, probs, op, "probs");
  for (size_t r = 0; r < rows; ++r) {
    if (labels.data[r] < 0 || static_cast<size_t>(labels.data[r]) >= cols) {
      throwTypedError(env, "InvalidArgumentError", std::string(op) + ": label " + std::to_string(labels.data[r]) + " at row " +
                                                       std::to_string(r) + " is outside [0, " + std::to_string(cols) + ").");
    }
  }
  sparseSoftmaxCrossEntropy(x.data, labels.data, loss.data, probs.data, rows, cols);
  return env.Undefined();
}

}  // namespace

void registerReduce(Napi::Env env, Napi::Object exports) {
  exports.Set("sparseSoftmaxCrossEntropy", Napi::Function::New(env, SparseSoftmaxCrossEntropy, "sparseSoftmaxCrossEntropy"));
  exports.Set("reduce", Napi::Function::New(env, Reduce, "reduce"));
  exports.Set("softmax", Napi::Function::New(env, Softmax, "softmax"));
}

}  // namespace nabla
