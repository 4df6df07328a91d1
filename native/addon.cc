// The nabla_native module: kernels over the tensors' own TypedArray memory.
#include <napi.h>

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "bindings.h"

namespace {

// Tensor buffers of a few MB come and go every training step. glibc serves them with fresh
// mmap()s by default, so each first touch page-faults and the kernel zeroes the pages again:
// 6 ms for a 15 MB activation, against 1 ms when the freed block is reused from the heap. Keep
// blocks up to 32 MB (glibc's ceiling for this setting) on the heap and do not give freed heap
// memory back eagerly, as PyTorch's and TensorFlow's allocators keep theirs.
// NABLA_MALLOC_TUNING=0 leaves glibc's defaults alone.
void tuneAllocator() {
#if defined(__GLIBC__)
  const char* flag = std::getenv("NABLA_MALLOC_TUNING");
  if (flag != nullptr && std::strcmp(flag, "0") == 0) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  tuneAllocator();
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
  nabla::registerFused(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(nabla_native, Init)
