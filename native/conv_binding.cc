// conv2d, depthwiseConv2d (each with its two backprops), maxPool, maxPoolGrad, avgPool and
// avgPoolGrad over float32 NHWC tensors; `info` is the op's Conv2DInfo object.
#include <string>

#include "bindings.h"
#include "conv.h"
#include "depthwise.h"
#include "napi_args.h"
#include "pool.h"

namespace nabla {
namespace {

constexpr double kMaxDim = 2147483647.0;

int64_t field(Napi::Env env, Napi::Object info, const char* name, int64_t min, const char* op) {
  Napi::Value v = info.Get(name);
  const double d = v.IsNumber() ? v.As<Napi::Number>().DoubleValue() : -1.0;
  if (!(d >= static_cast<double>(min)) || d > kMaxDim || d != static_cast<double>(static_cast<int64_t>(d))) {
    throwTypedError(env, "InvalidArgumentError", std::string(op) + ": info." + name + " must be an integer >= " +
                                                     std::to_string(min) + ".");
  }
  return static_cast<int64_t>(d);
}

ConvGeometry geometryArg(const Napi::CallbackInfo& args, size_t index, const char* op) {
  Napi::Env env = args.Env();
  if (index >= args.Length() || !args[index].IsObject()) {
    throwTypedError(env, "InvalidArgumentError", std::string(op) + ": info must be a Conv2DInfo object.");
  }
  Napi::Object o = args[index].As<Napi::Object>();
  ConvGeometry g;
  g.batch = field(env, o, "batch", 0, op);
  g.inHeight = field(env, o, "inHeight", 0, op);
  g.inWidth = field(env, o, "inWidth", 0, op);
  g.inChannels = field(env, o, "inChannels", 0, op);
  g.outHeight = field(env, o, "outHeight", 0, op);
  g.outWidth = field(env, o, "outWidth", 0, op);
  g.outChannels = field(env, o, "outChannels", 0, op);
  g.filterHeight = field(env, o, "filterHeight", 1, op);
  g.filterWidth = field(env, o, "filterWidth", 1, op);
  g.strideHeight = field(env, o, "strideHeight", 1, op);
  g.strideWidth = field(env, o, "strideWidth", 1, op);
  g.dilationHeight = field(env, o, "dilationHeight", 1, op);
  g.dilationWidth = field(env, o, "dilationWidth", 1, op);
  g.padTop = field(env, o, "padTop", 0, op);
  g.padLeft = field(env, o, "padLeft", 0, op);
  g.channelMultiplier = 1;
  return g;
}

// Throws a ShapeError unless `span` holds exactly the product of `dims` values.
template <class T>
void requireCount(Napi::Env env, const ArraySpan<T>& span, std::initializer_list<int64_t> dims, const char* op,
                  const char* name) {
  double expected = 1;
  for (int64_t d : dims) expected *= static_cast<double>(d);
  if (static_cast<double>(span.length) != expected) {
    throwTypedError(env, "ShapeError", std::string(op) + ": " + name + " has " + std::to_string(span.length) +
                                           " values but info describes " + std::to_string(static_cast<int64_t>(expected)) +
                                           ".");
  }
}

struct ConvArgs {
  ArraySpan<float> a, b, out;
  ConvGeometry g;
};

// (x | dy, filter | dy, out, info) with lengths checked for the op's three tensors.
enum class ConvRole { Forward, BackpropInput, BackpropFilter };

ConvArgs convArgs(const Napi::CallbackInfo& info, const char* op, ConvRole role) {
  Napi::Env env = info.Env();
  requireArgCount(info, 4, op);
  ConvArgs r{float32Arg(info, 0, op, role == ConvRole::BackpropInput ? "dy" : "x"),
             float32Arg(info, 1, op, role == ConvRole::BackpropFilter ? "dy" : "filter"), float32Arg(info, 2, op, "out"),
             geometryArg(info, 3, op)};
  const ConvGeometry& g = r.g;
  const std::initializer_list<int64_t> xDims{g.batch, g.inHeight, g.inWidth, g.inChannels};
  const std::initializer_list<int64_t> yDims{g.batch, g.outHeight, g.outWidth, g.outChannels};
  const std::initializer_list<int64_t> fDims{g.filterHeight, g.filterWidth, g.inChannels, g.outChannels};
  switch (role) {
    case ConvRole::Forward:
      requireCount(env, r.a, xDims, op, "x");
      requireCount(env, r.b, fDims, op, "filter");
      requireCount(env, r.out, yDims, op, "out");
      break;
    case ConvRole::BackpropInput:
      requireCount(env, r.a, yDims, op, "dy");
      requireCount(env, r.b, fDims, op, "filter");
      requireCount(env, r.out, xDims, op, "out");
      break;
    case ConvRole::BackpropFilter:
      requireCount(env, r.a, xDims, op, "x");
      requireCount(env, r.b, yDims, op, "dy");
      requireCount(env, r.out, fDims, op, "out");
      break;
  }
  requireDisjoint(env, r.out, r.a, op, "the first input");
  requireDisjoint(env, r.out, r.b, op, "the second input");
  return r;
}

// Depthwise geometry: outChannels = inChannels * channelMultiplier; the filter is
// [fh, fw, inChannels, multiplier].
ConvArgs depthwiseArgs(const Napi::CallbackInfo& info, const char* op, ConvRole role) {
  Napi::Env env = info.Env();
  requireArgCount(info, 4, op);
  ConvArgs r{float32Arg(info, 0, op, role == ConvRole::BackpropInput ? "dy" : "x"),
             float32Arg(info, 1, op, role == ConvRole::BackpropFilter ? "dy" : "filter"), float32Arg(info, 2, op, "out"),
             geometryArg(info, 3, op)};
  ConvGeometry& g = r.g;
  g.channelMultiplier = field(env, info[3].As<Napi::Object>(), "channelMultiplier", 1, op);
  if (static_cast<double>(g.outChannels) != static_cast<double>(g.inChannels) * static_cast<double>(g.channelMultiplier)) {
    throwTypedError(env, "ShapeError", std::string(op) + ": info.outChannels must equal inChannels * channelMultiplier.");
  }
  const std::initializer_list<int64_t> xDims{g.batch, g.inHeight, g.inWidth, g.inChannels};
  const std::initializer_list<int64_t> yDims{g.batch, g.outHeight, g.outWidth, g.outChannels};
  const std::initializer_list<int64_t> fDims{g.filterHeight, g.filterWidth, g.inChannels, g.channelMultiplier};
  requireCount(env, r.a, role == ConvRole::BackpropInput ? yDims : xDims, op, role == ConvRole::BackpropInput ? "dy" : "x");
  requireCount(env, r.b, role == ConvRole::BackpropFilter ? yDims : fDims, op, role == ConvRole::BackpropFilter ? "dy" : "filter");
  requireCount(env, r.out, role == ConvRole::Forward ? yDims : role == ConvRole::BackpropInput ? xDims : fDims, op, "out");
  requireDisjoint(env, r.out, r.a, op, "the first input");
  requireDisjoint(env, r.out, r.b, op, "the second input");
  return r;
}

Napi::Value DepthwiseConv2D(const Napi::CallbackInfo& info) {
  const ConvArgs r = depthwiseArgs(info, "depthwiseConv2d", ConvRole::Forward);
  depthwiseConv2d(r.g, r.a.data, r.b.data, r.out.data);
  return info.Env().Undefined();
}

Napi::Value DepthwiseConv2DBackpropInput(const Napi::CallbackInfo& info) {
  const ConvArgs r = depthwiseArgs(info, "depthwiseConv2dBackpropInput", ConvRole::BackpropInput);
  depthwiseConv2dBackpropInput(r.g, r.a.data, r.b.data, r.out.data);
  return info.Env().Undefined();
}

Napi::Value DepthwiseConv2DBackpropFilter(const Napi::CallbackInfo& info) {
  const ConvArgs r = depthwiseArgs(info, "depthwiseConv2dBackpropFilter", ConvRole::BackpropFilter);
  depthwiseConv2dBackpropFilter(r.g, r.a.data, r.b.data, r.out.data);
  return info.Env().Undefined();
}

Napi::Value Conv2D(const Napi::CallbackInfo& info) {
  const ConvArgs r = convArgs(info, "conv2d", ConvRole::Forward);
  conv2d(r.g, r.a.data, r.b.data, r.out.data);
  return info.Env().Undefined();
}

Napi::Value Conv2DBackpropInput(const Napi::CallbackInfo& info) {
  const ConvArgs r = convArgs(info, "conv2dBackpropInput", ConvRole::BackpropInput);
  conv2dBackpropInput(r.g, r.a.data, r.b.data, r.out.data);
  return info.Env().Undefined();
}

Napi::Value Conv2DBackpropFilter(const Napi::CallbackInfo& info) {
  const ConvArgs r = convArgs(info, "conv2dBackpropFilter", ConvRole::BackpropFilter);
  conv2dBackpropFilter(r.g, r.a.data, r.b.data, r.out.data);
  return info.Env().Undefined();
}

// Pools have outChannels == inChannels.
ConvGeometry poolGeometry(const Napi::CallbackInfo& info, size_t index, const char* op) {
  ConvGeometry g = geometryArg(info, index, op);
  if (g.outChannels != g.inChannels) {
    throwTypedError(info.Env(), "ShapeError", std::string(op) + ": info.outChannels must equal info.inChannels.");
  }
  return g;
}

Napi::Value Pool(const Napi::CallbackInfo& info, bool max) {
  const char* op = max ? "maxPool" : "avgPool";
  Napi::Env env = info.Env();
  requireArgCount(info, 3, op);
  const auto x = float32Arg(info, 0, op, "x");
  const auto out = float32Arg(info, 1, op, "out");
  const ConvGeometry g = poolGeometry(info, 2, op);
  requireCount(env, x, {g.batch, g.inHeight, g.inWidth, g.inChannels}, op, "x");
  requireCount(env, out, {g.batch, g.outHeight, g.outWidth, g.inChannels}, op, "out");
  requireDisjoint(env, out, x, op, "x");
  if (max) {
    maxPool(g, x.data, out.data);
  } else {
    avgPool(g, x.data, out.data);
  }
  return env.Undefined();
}

Napi::Value MaxPool(const Napi::CallbackInfo& info) { return Pool(info, true); }
Napi::Value AvgPool(const Napi::CallbackInfo& info) { return Pool(info, false); }

Napi::Value MaxPoolGrad(const Napi::CallbackInfo& info) {
  constexpr const char* op = "maxPoolGrad";
  Napi::Env env = info.Env();
  requireArgCount(info, 4, op);
  const auto dy = float32Arg(info, 0, op, "dy");
  const auto x = float32Arg(info, 1, op, "x");
  const auto out = float32Arg(info, 2, op, "out");
  const ConvGeometry g = poolGeometry(info, 3, op);
  requireCount(env, dy, {g.batch, g.outHeight, g.outWidth, g.inChannels}, op, "dy");
  requireCount(env, x, {g.batch, g.inHeight, g.inWidth, g.inChannels}, op, "x");
  requireCount(env, out, {g.batch, g.inHeight, g.inWidth, g.inChannels}, op, "out");
  requireDisjoint(env, out, dy, op, "dy");
  requireDisjoint(env, out, x, op, "x");
  maxPoolGrad(g, dy.data, x.data, out.data);
  return env.Undefined();
}

Napi::Value AvgPoolGrad(const Napi::CallbackInfo& info) {
  constexpr const char* op = "avgPoolGrad";
  Napi::Env env = info.Env();
  requireArgCount(info, 3, op);
  const auto dy = float32Arg(info, 0, op, "dy");
  const auto out = float32Arg(info, 1, op, "out");
  const ConvGeometry g = poolGeometry(info, 2, op);
  requireCount(env, dy, {g.batch, g.outHeight, g.outWidth, g.inChannels}, op, "dy");
  requireCount(env, out, {g.batch, g.inHeight, g.inWidth, g.inChannels}, op, "out");
  requireDisjoint(env, out, dy, op, "dy");
  avgPoolGrad(g, dy.data, out.data);
  return env.Undefined();
}

}  // namespace

void registerConv(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Napi::Function::New(env, Conv2D, "conv2d"));
  exports.Set("conv2dBackpropInput", Napi::Function::New(env, Conv2DBackpropInput, "conv2dBackpropInput"));
  exports.Set("conv2dBackpropFilter", Napi::Function::New(env, Conv2DBackpropFilter, "conv2dBackpropFilter"));
  exports.Set("depthwiseConv2d", Napi::Function::New(env, DepthwiseConv2D, "depthwiseConv2d"));
  exports.Set("depthwiseConv2dBackpropInput", Napi::Function::New(env, DepthwiseConv2DBackpropInput, "depthwiseConv2dBackpropInput"));
  exports.Set("depthwiseConv2dBackpropFilter", Napi::Function::New(env, DepthwiseConv2DBackpropFilter, "depthwiseConv2dBackpropFilter"));
  exports.Set("maxPool", Napi::Function::New(env, MaxPool, "maxPool"));
  exports.Set("maxPoolGrad", Napi::Function::New(env, MaxPoolGrad, "maxPoolGrad"));
  exports.Set("avgPool", Napi::Function::New(env, AvgPool, "avgPool"));
  exports.Set("avgPoolGrad", Napi::Function::New(env, AvgPoolGrad, "avgPoolGrad"));
}

}  // namespace nabla
