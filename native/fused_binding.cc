// fusedElementwise(code, params, registers, inputs, out) runs a fused element-wise program:
// code is an Int32Array of 5 ints per instruction (op, kind, dst, a, b; see fused_elementwise.h),
// params a Float32Array of 2 per instruction (alpha, beta), inputs an array of Float32Arrays.
// fusedElementwiseKinds() gives the kind codes: {unary: {neg: 0, ...}, binary: {add: 0, ...}}.
#include <string>
#include <utility>
#include <vector>

#include "binary_ops.h"
#include "bindings.h"
#include "fused_elementwise.h"
#include "napi_args.h"

namespace nabla {
namespace {

constexpr size_t kMaxInputs = 4096;
constexpr size_t kMaxInstructions = 1 << 16;

const std::pair<const char*, UnaryKind> kUnary[] = {
    {"neg", UnaryKind::Neg}, {"abs", UnaryKind::Abs}, {"exp", UnaryKind::Exp}, {"expm1", UnaryKind::Expm1},
    {"log", UnaryKind::Log}, {"log1p", UnaryKind::Log1p}, {"sqrt", UnaryKind::Sqrt}, {"rsqrt", UnaryKind::Rsqrt},
    {"square", UnaryKind::Square}, {"reciprocal", UnaryKind::Reciprocal}, {"sigmoid", UnaryKind::Sigmoid},
    {"tanh", UnaryKind::Tanh}, {"relu", UnaryKind::Relu}, {"relu6", UnaryKind::Relu6}, {"elu", UnaryKind::Elu},
    {"selu", UnaryKind::Selu}, {"leakyRelu", UnaryKind::LeakyRelu}, {"softplus", UnaryKind::Softplus},
    {"gelu", UnaryKind::Gelu}, {"erf", UnaryKind::Erf}, {"sin", UnaryKind::Sin}, {"cos", UnaryKind::Cos},
    {"sign", UnaryKind::Sign}, {"floor", UnaryKind::Floor}, {"ceil", UnaryKind::Ceil}, {"round", UnaryKind::Round},
    {"clip", UnaryKind::Clip}, {"step", UnaryKind::Step}, {"identity", UnaryKind::Identity},
};

const std::pair<const char*, BinaryKind> kBinary[] = {
    {"add", BinaryKind::Add}, {"sub", BinaryKind::Sub}, {"mul", BinaryKind::Mul}, {"div", BinaryKind::Div},
    {"pow", BinaryKind::Pow}, {"maximum", BinaryKind::Maximum}, {"minimum", BinaryKind::Minimum},
    {"squaredDifference", BinaryKind::SquaredDifference}, {"floorDiv", BinaryKind::FloorDiv},
    {"mod", BinaryKind::Mod}, {"reluGrad", BinaryKind::ReluGrad},
};

template <class Kind, size_t N>
Napi::Object kindCodes(Napi::Env env, const std::pair<const char*, Kind> (&table)[N]) {
  Napi::Object codes = Napi::Object::New(env);
  for (const auto& entry : table) codes.Set(entry.first, Napi::Number::New(env, static_cast<int>(entry.second)));
  return codes;
}

Napi::Value FusedElementwiseKinds(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object result = Napi::Object::New(env);
  result.Set("unary", kindCodes(env, kUnary));
  result.Set("binary", kindCodes(env, kBinary));
  return result;
}

Napi::Value FusedElementwise(const Napi::CallbackInfo& info) {
  constexpr const char* op = "fusedElementwise";
  Napi::Env env = info.Env();
  requireArgCount(info, 5, op);
  const auto code = int32Arg(info, 0, op, "code");
  const auto params = float32Arg(info, 1, op, "params");
  const double registers = numberArg(info, 2, op, "registers");
  if (!info[3].IsArray()) throwTypedError(env, "InvalidArgumentError", std::string(op) + ": inputs must be an array of Float32Arrays.");
  const auto out = float32Arg(info, 4, op, "out");
  if (code.length == 0 || code.length % 5 != 0 || code.length / 5 > kMaxInstructions) {
    throwTypedError(env, "InvalidArgumentError",
                    std::string(op) + ": code must hold 5 ints per instruction (1 to " + std::to_string(kMaxInstructions) +
                        " instructions), got " + std::to_string(code.length) + " ints.");
  }
  const size_t count = code.length / 5;
  if (params.length != 2 * count) {
    throwTypedError(env, "InvalidArgumentError",
                    std::string(op) + ": params must hold 2 floats per instruction (" + std::to_string(2 * count) + "), got " +
                        std::to_string(params.length) + ".");
  }
  if (!(registers >= 1 && registers <= static_cast<double>(kFusedMaxRegisters)) || registers != static_cast<double>(static_cast<size_t>(registers))) {
    throwTypedError(env, "InvalidArgumentError",
                    std::string(op) + ": registers must be an integer from 1 to " + std::to_string(kFusedMaxRegisters) + ".");
  }
  auto array = info[3].As<Napi::Array>();
  const size_t inputCount = array.Length();
  if (inputCount > kMaxInputs) {
    throwTypedError(env, "InvalidArgumentError", std::string(op) + ": at most " + std::to_string(kMaxInputs) + " inputs, got " + std::to_string(inputCount) + ".");
  }
  std::vector<const float*> inputs(inputCount);
  std::vector<size_t> lengths(inputCount);
  for (size_t k = 0; k < inputCount; ++k) {
    Napi::Value v = array.Get(static_cast<uint32_t>(k));
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      throwTypedError(env, "DTypeError", std::string(op) + ": input " + std::to_string(k) + " must be a Float32Array.");
    }
    auto typed = v.As<Napi::Float32Array>();
    const ArraySpan<float> span{typed.Data(), typed.ElementLength()};
    requireDisjointOrSame(env, out, span, op, ("input " + std::to_string(k)).c_str());
    inputs[k] = span.data;
    lengths[k] = span.length;
  }
  std::vector<FusedInstruction> program(count);
  for (size_t i = 0; i < count; ++i) {
    const int32_t* c = code.data + 5 * i;
    program[i] = {c[0], c[1], c[2], c[3], c[4], {params.data[2 * i], params.data[2 * i + 1]}};
  }
  const std::string error = fusedProgramError(program.data(), count, static_cast<size_t>(registers), lengths.data(), inputCount, out.length);
  if (!error.empty()) throwTypedError(env, "InvalidArgumentError", std::string(op) + ": " + error + ".");
  fusedElementwise(program.data(), count, inputs.data(), out.data, out.length);
  return env.Undefined();
}

}  // namespace

void registerFused(Napi::Env env, Napi::Object exports) {
  exports.Set("fusedElementwise", Napi::Function::New(env, FusedElementwise, "fusedElementwise"));
  exports.Set("fusedElementwiseKinds", Napi::Function::New(env, FusedElementwiseKinds, "fusedElementwiseKinds"));
}

}  // namespace nabla
