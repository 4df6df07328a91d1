// Runtime configuration: thread count and SIMD level.
#include <string>

#include "bindings.h"
#include "cpu_features.h"
#include "napi_args.h"
#include "thread_pool.h"

namespace nabla {
namespace {

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Object result = Napi::Object::New(info.Env());
  result.Set("threads", Napi::Number::New(info.Env(), static_cast<double>(threadCount())));
  result.Set("simd", Napi::String::New(info.Env(), simdName(activeSimd())));
  result.Set("detectedSimd", Napi::String::New(info.Env(), simdName(detectedSimd())));
  return result;
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  requireArgCount(info, 1, "setNumThreads");
  const double n = numberArg(info, 0, "setNumThreads", "threads");
  if (!(n >= 1) || n > 256 || n != static_cast<double>(static_cast<size_t>(n))) {
    throwTypedError(info.Env(), "InvalidArgumentError", "setNumThreads: threads must be an integer in [1, 256].");
  }
  setThreadCount(static_cast<size_t>(n));
  return info.Env().Undefined();
}

// setSimd('generic' | 'avx2-fma'): lowers (or restores) the dispatch level; returns the level set.
Napi::Value SetSimd(const Napi::CallbackInfo& info) {
  requireArgCount(info, 1, "setSimd");
  const std::string name = stringArg(info, 0, "setSimd", "level");
  if (name != "generic" && name != "avx2-fma") {
    throwTypedError(info.Env(), "InvalidArgumentError", "setSimd: level must be 'generic' or 'avx2-fma'.");
  }
  SimdLevel level = setActiveSimd(name == "generic" ? SimdLevel::Generic : SimdLevel::Avx2Fma);
  return Napi::String::New(info.Env(), simdName(level));
}

}  // namespace

void registerInfo(Napi::Env env, Napi::Object exports) {
  exports.Set("info", Napi::Function::New(env, Info, "info"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("setSimd", Napi::Function::New(env, SetSimd, "setSimd"));
}

}  // namespace nabla
