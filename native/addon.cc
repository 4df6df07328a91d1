// The nabla_native module: kernels over the tensors' own TypedArray memory.
#include <napi.h>

#include "bindings.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  nabla::registerInfo(env, exports);
  nabla::registerMatMul(env, exports);
  nabla::registerElementwise(env, exports);
  nabla::registerReduce(env, exports);
  nabla::registerConv(env, exports);
  nabla::registerOptimizer(env, exports);
  nabla::registerRecurrent(env, exports);
  nabla::registerRandom(env, exports);
  nabla::registerBiasActivation(env, exports);
  nabla::registerBatchNorm(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(nabla_native, Init)
