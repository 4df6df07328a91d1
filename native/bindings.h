// Each *_binding.cc adds its entry points to the module's exports.
#pragma once

#include <napi.h>

namespace nabla {

void registerInfo(Napi::Env env, Napi::Object exports);
void registerMatMul(Napi::Env env, Napi::Object exports);
void registerElementwise(Napi::Env env, Napi::Object exports);
void registerReduce(Napi::Env env, Napi::Object exports);
void registerConv(Napi::Env env, Napi::Object exports);
void registerOptimizer(Napi::Env env, Napi::Object exports);
void registerRecurrent(Napi::Env env, Napi::Object exports);
void registerRandom(Napi::Env env, Napi::Object exports);
void registerBiasActivation(Napi::Env env, Napi::Object exports);
void registerBatchNorm(Napi::Env env, Napi::Object exports);
void registerFused(Napi::Env env, Napi::Object exports);

}  // namespace nabla
