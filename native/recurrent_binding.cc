// lstmSequence(xz, u, h0, c0, hs, cT, saved, batch, time, units),
// lstmSequenceGrad(u, h0, c0, hs, saved, dhs, dcT, dxz, du, dh0, dc0, batch, time, units),
// gruSequence(xz, u, rb, h0, hs, saved, batch, time, units) and
// gruSequenceGrad(u, h0, hs, saved, dhs, dxz, du, drb, dh0, batch, time, units): every array's
// length is checked against the dims and every output against the inputs before any memory is
// touched.
#include <string>
#include <vector>

#include "bindings.h"
#include "gru.h"
#include "lstm.h"
#include "napi_args.h"

namespace nabla {
namespace {

struct Named {
  ArraySpan<float> span;
  const char* name;
  size_t expected;
};

LstmDims dimsArg(const Napi::CallbackInfo& info, size_t first, const char* op) {
  const double b = numberArg(info, first, op, "batch"), t = numberArg(info, first + 1, op, "time");
  const double h = numberArg(info, first + 2, op, "units");
  for (double v : {b, t, h}) {
    if (!(v >= 0) || v != static_cast<double>(static_cast<size_t>(v)) || v > 9007199254740991.0) {
      throwTypedError(info.Env(), "InvalidArgumentError",
                      std::string(op) + ": batch, time and units must be non-negative integers, got " +
                          std::to_string(b) + ", " + std::to_string(t) + ", " + std::to_string(h) + ".");
    }
  }
  const LstmDims d{static_cast<size_t>(b), static_cast<size_t>(t), static_cast<size_t>(h)};
  if (static_cast<double>(d.batch) * static_cast<double>(d.time) * 6.0 * static_cast<double>(d.units) > 9007199254740991.0) {
    throwTypedError(info.Env(), "InvalidArgumentError", std::string(op) + ": the sizes overflow.");
  }
  return d;
}

void checkAll(Napi::Env env, const std::vector<Named>& inputs, const std::vector<Named>& outputs, const char* op) {
  for (const auto* list : {&inputs, &outputs}) {
    for (const Named& a : *list) {
      if (a.span.length != a.expected) {
        throwTypedError(env, "ShapeError",
                        std::string(op) + ": " + a.name + " has " + std::to_string(a.span.length) +
                            " values but the batch, time and units given need " + std::to_string(a.expected) + ".");
      }
    }
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    for (const Named& in : inputs) requireDisjoint(env, outputs[i].span, in.span, op, in.name);
    for (size_t j = i + 1; j < outputs.size(); ++j) requireDisjoint(env, outputs[i].span, outputs[j].span, op, outputs[j].name);
  }
}

Napi::Value LstmSequence(const Napi::CallbackInfo& info) {
  constexpr const char* op = "lstmSequence";
  Napi::Env env = info.Env();
  requireArgCount(info, 10, op);
  const LstmDims d = dimsArg(info, 7, op);
  const size_t B = d.batch, T = d.time, H = d.units;
  const std::vector<Named> inputs{{float32Arg(info, 0, op, "xz"), "xz", B * T * 4 * H},
                                  {float32Arg(info, 1, op, "u"), "u", H * 4 * H},
                                  {float32Arg(info, 2, op, "h0"), "h0", B * H},
                                  {float32Arg(info, 3, op, "c0"), "c0", B * H}};
  const std::vector<Named> outputs{{float32Arg(info, 4, op, "hs"), "hs", B * T * H},
                                   {float32Arg(info, 5, op, "cT"), "cT", B * H},
                                   {float32Arg(info, 6, op, "saved"), "saved", T * B * 6 * H}};
  checkAll(env, inputs, outputs, op);
  lstmSequence(d, inputs[0].span.data, inputs[1].span.data, inputs[2].span.data, inputs[3].span.data,
               outputs[0].span.data, outputs[1].span.data, outputs[2].span.data);
  return env.Undefined();
}

Napi::Value LstmSequenceGrad(const Napi::CallbackInfo& info) {
  constexpr const char* op = "lstmSequenceGrad";
  Napi::Env env = info.Env();
  requireArgCount(info, 14, op);
  const LstmDims d = dimsArg(info, 11, op);
  const size_t B = d.batch, T = d.time, H = d.units;
  const std::vector<Named> inputs{{float32Arg(info, 0, op, "u"), "u", H * 4 * H},
                                  {float32Arg(info, 1, op, "h0"), "h0", B * H},
                                  {float32Arg(info, 2, op, "c0"), "c0", B * H},
                                  {float32Arg(info, 3, op, "hs"), "hs", B * T * H},
                                  {float32Arg(info, 4, op, "saved"), "saved", T * B * 6 * H},
                                  {float32Arg(info, 5, op, "dhs"), "dhs", B * T * H},
                                  {float32Arg(info, 6, op, "dcT"), "dcT", B * H}};
  const std::vector<Named> outputs{{float32Arg(info, 7, op, "dxz"), "dxz", B * T * 4 * H},
                                   {float32Arg(info, 8, op, "du"), "du", H * 4 * H},
                                   {float32Arg(info, 9, op, "dh0"), "dh0", B * H},
                                   {float32Arg(info, 10, op, "dc0"), "dc0", B * H}};
  checkAll(env, inputs, outputs, op);
  lstmSequenceGrad(d, inputs[0].span.data, inputs[1].span.data, inputs[2].span.data, inputs[3].span.data,
                   inputs[4].span.data, inputs[5].span.data, inputs[6].span.data, outputs[0].span.data,
                   outputs[1].span.data, outputs[2].span.data, outputs[3].span.data);
  return env.Undefined();
}

Napi::Value GruSequence(const Napi::CallbackInfo& info) {
  constexpr const char* op = "gruSequence";
  Napi::Env env = info.Env();
  requireArgCount(info, 9, op);
  const LstmDims d = dimsArg(info, 6, op);
  const size_t B = d.batch, T = d.time, H = d.units;
  const std::vector<Named> inputs{{float32Arg(info, 0, op, "xz"), "xz", B * T * 3 * H},
                                  {float32Arg(info, 1, op, "u"), "u", H * 3 * H},
                                  {float32Arg(info, 2, op, "rb"), "rb", 3 * H},
                                  {float32Arg(info, 3, op, "h0"), "h0", B * H}};
  const std::vector<Named> outputs{{float32Arg(info, 4, op, "hs"), "hs", B * T * H},
                                   {float32Arg(info, 5, op, "saved"), "saved", T * B * 4 * H}};
  checkAll(env, inputs, outputs, op);
  gruSequence(d, inputs[0].span.data, inputs[1].span.data, inputs[2].span.data, inputs[3].span.data, outputs[0].span.data,
              outputs[1].span.data);
  return env.Undefined();
}

Napi::Value GruSequenceGrad(const Napi::CallbackInfo& info) {
  constexpr const char* op = "gruSequenceGrad";
  Napi::Env env = info.Env();
  requireArgCount(info, 12, op);
  const LstmDims d = dimsArg(info, 9, op);
  const size_t B = d.batch, T = d.time, H = d.units;
  const std::vector<Named> inputs{{float32Arg(info, 0, op, "u"), "u", H * 3 * H},
                                  {float32Arg(info, 1, op, "h0"), "h0", B * H},
                                  {float32Arg(info, 2, op, "hs"), "hs", B * T * H},
                                  {float32Arg(info, 3, op, "saved"), "saved", T * B * 4 * H},
                                  {float32Arg(info, 4, op, "dhs"), "dhs", B * T * H}};
  const std::vector<Named> outputs{{float32Arg(info, 5, op, "dxz"), "dxz", B * T * 3 * H},
                                   {float32Arg(info, 6, op, "du"), "du", H * 3 * H},
                                   {float32Arg(info, 7, op, "drb"), "drb", 3 * H},
                                   {float32Arg(info, 8, op, "dh0"), "dh0", B * H}};
  checkAll(env, inputs, outputs, op);
  gruSequenceGrad(d, inputs[0].span.data, inputs[1].span.data, inputs[2].span.data, inputs[3].span.data, inputs[4].span.data,
                  outputs[0].span.data, outputs[1].span.data, outputs[2].span.data, outputs[3].span.data);
  return env.Undefined();
}

}  // namespace

void registerRecurrent(Napi::Env env, Napi::Object exports) {
  exports.Set("gruSequence", Napi::Function::New(env, GruSequence, "gruSequence"));
  exports.Set("gruSequenceGrad", Napi::Function::New(env, GruSequenceGrad, "gruSequenceGrad"));
  exports.Set("lstmSequence", Napi::Function::New(env, LstmSequence, "lstmSequence"));
  exports.Set("lstmSequenceGrad", Napi::Function::New(env, LstmSequenceGrad, "lstmSequenceGrad"));
}

}  // namespace nabla
