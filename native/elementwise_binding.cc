// binary(kind, a, aShape, b, bShape, out, outShape) and unary(kind, x, out, alpha, beta) over
// float32 (comparisons write a Uint8Array).
#include <string>
#include <utility>

#include "binary.h"
#include "bindings.h"
#include "napi_args.h"
#include "unary.h"

namespace nabla {
namespace {

const std::pair<const char*, BinaryKind> kBinaryKinds[] = {
    {"add", BinaryKind::Add}, {"sub", BinaryKind::Sub}, {"mul", BinaryKind::Mul}, {"div", BinaryKind::Div},
    {"pow", BinaryKind::Pow}, {"maximum", BinaryKind::Maximum}, {"minimum", BinaryKind::Minimum},
    {"squaredDifference", BinaryKind::SquaredDifference}, {"floorDiv", BinaryKind::FloorDiv},
    {"mod", BinaryKind::Mod}, {"reluGrad", BinaryKind::ReluGrad}, {"equal", BinaryKind::Equal}, {"notEqual", BinaryKind::NotEqual},
    {"less", BinaryKind::Less}, {"lessEqual", BinaryKind::LessEqual}, {"greater", BinaryKind::Greater},
    {"greaterEqual", BinaryKind::GreaterEqual},
};

const std::pair<const char*, UnaryKind> kUnaryKinds[] = {
    {"neg", UnaryKind::Neg}, {"abs", UnaryKind::Abs}, {"exp", UnaryKind::Exp}, {"expm1", UnaryKind::Expm1},
    {"log", UnaryKind::Log}, {"log1p", UnaryKind::Log1p}, {"sqrt", UnaryKind::Sqrt}, {"rsqrt", UnaryKind::Rsqrt},
    {"square", UnaryKind::Square}, {"reciprocal", UnaryKind::Reciprocal}, {"sigmoid", UnaryKind::Sigmoid},
    {"tanh", UnaryKind::Tanh}, {"relu", UnaryKind::Relu}, {"relu6", UnaryKind::Relu6}, {"elu", UnaryKind::Elu},
    {"selu", UnaryKind::Selu}, {"leakyRelu", UnaryKind::LeakyRelu}, {"softplus", UnaryKind::Softplus},
    {"gelu", UnaryKind::Gelu}, {"erf", UnaryKind::Erf}, {"sin", UnaryKind::Sin}, {"cos", UnaryKind::Cos},
    {"sign", UnaryKind::Sign}, {"floor", UnaryKind::Floor}, {"ceil", UnaryKind::Ceil}, {"round", UnaryKind::Round},
    {"clip", UnaryKind::Clip}, {"step", UnaryKind::Step}, {"identity", UnaryKind::Identity},
};

Napi::Value Binary(const Napi::CallbackInfo& info) {
  constexpr const char* op = "binary";
  Napi::Env env = info.Env();
  requireArgCount(info, 7, op);
  const BinaryKind kind = kindArg(info, 0, kBinaryKinds, op);
  const auto a = float32Arg(info, 1, op, "a");
  const Shape aShape = shapeArg(info, 2, op, "aShape");
  const auto b = float32Arg(info, 3, op, "b");
  const Shape bShape = shapeArg(info, 4, op, "bShape");
  const Shape outShape = shapeArg(info, 6, op, "outShape");
  requireLength(env, a, aShape, op, "a");
  requireLength(env, b, bShape, op, "b");
  BroadcastPlan plan;
  if (!makeBroadcastPlan(aShape, bShape, outShape, plan)) {
    throwTypedError(env, "ShapeError", std::string(op) + ": shapes " + shapeString(aShape) + " and " +
                                           shapeString(bShape) + " do not broadcast to " + shapeString(outShape) + ".");
  }
  void* out;
  size_t size;
  if (binaryOutputsBool(kind)) {
    const auto o = uint8Arg(info, 5, op, "out (bool)");
    requireLength(env, o, outShape, op, "out");
    requireDisjoint(env, o, a, op, "a");
    requireDisjoint(env, o, b, op, "b");
    out = o.data;
    size = o.length;
  } else {
    const auto o = float32Arg(info, 5, op, "out");
    requireLength(env, o, outShape, op, "out");
    requireDisjointOrSame(env, o, a, op, "a");
    requireDisjointOrSame(env, o, b, op, "b");
    if ((o.data == a.data && a.length != o.length) || (o.data == b.data && b.length != o.length)) {
      throwTypedError(env, "InvalidArgumentError", std::string(op) + ": the output may only alias a full-size input.");
    }
    out = o.data;
    size = o.length;
  }
  if (size > 0) binary(kind, plan, size, a.data, b.data, out);
  return env.Undefined();
}

Napi::Value Unary(const Napi::CallbackInfo& info) {
  constexpr const char* op = "unary";
  Napi::Env env = info.Env();
  requireArgCount(info, 5, op);
  const UnaryKind kind = kindArg(info, 0, kUnaryKinds, op);
  const auto x = float32Arg(info, 1, op, "x");
  const auto out = float32Arg(info, 2, op, "out");
  const double alpha = numberArg(info, 3, op, "alpha");
  const double beta = numberArg(info, 4, op, "beta");
  if (x.length != out.length) {
    throwTypedError(env, "ShapeError", std::string(op) + ": x has " + std::to_string(x.length) + " values but out has " +
                                           std::to_string(out.length) + ".");
  }
  requireDisjointOrSame(env, out, x, op, "x");
  unary(kind, x.data, out.data, x.length, {static_cast<float>(alpha), static_cast<float>(beta)});
  return env.Undefined();
}

}  // namespace

void registerElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, Binary, "binary"));
  exports.Set("unary", Napi::Function::New(env, Unary, "unary"));
}

}  // namespace nabla
