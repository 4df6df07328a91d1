// Random fills from a fresh Philox-4x32-10 stream (the generator of src/core/random.ts, bit for
// bit): philoxUniform(out, k0, k1, minval, width, top) and philoxKeepMask(out, k0, k1, rate, kept).
// Counter-based, so any range of the output is computed independently: the fill is split across
// the pool in whole blocks of four words.
#include <cstdint>
#include <string>

#include "bindings.h"
#include "napi_args.h"
#include "parallel_range.h"
#include "simd_dispatch.h"

namespace nabla {
namespace {

constexpr size_t kMinParallelWords = 1 << 15;

NABLA_INLINE void philoxBlock(uint32_t c0, uint32_t c1, uint32_t k0, uint32_t k1, uint32_t out[4]) {
  uint32_t c2 = 0, c3 = 0;
  for (int r = 0; r < 10; ++r) {
    const uint64_t p0 = static_cast<uint64_t>(0xd2511f53u) * c0;
    const uint64_t p1 = static_cast<uint64_t>(0xcd9e8d57u) * c2;
    const uint32_t n0 = static_cast<uint32_t>(p1 >> 32) ^ c1 ^ k0;
    const uint32_t n2 = static_cast<uint32_t>(p0 >> 32) ^ c3 ^ k1;
    c0 = n0;
    c1 = static_cast<uint32_t>(p1);
    c2 = n2;
    c3 = static_cast<uint32_t>(p0);
    k0 += 0x9e3779b9u;
    k1 += 0xbb67ae85u;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

// Calls emit(i, u_i) for words [begin, end) of the stream, u_i = (word >> 8) * 2^-24.
template <class Emit>
NABLA_INLINE void forWords(size_t begin, size_t end, uint32_t k0, uint32_t k1, Emit&& emit) {
  uint32_t words[4];
  for (size_t block = begin / 4; block * 4 < end; ++block) {
    philoxBlock(static_cast<uint32_t>(block), static_cast<uint32_t>(static_cast<uint64_t>(block) >> 32), k0, k1, words);
    const size_t first = block * 4 < begin ? begin : block * 4;
    const size_t last = block * 4 + 4 < end ? block * 4 + 4 : end;
    for (size_t i = first; i < last; ++i) emit(i, static_cast<double>(words[i - block * 4] >> 8) * 5.9604644775390625e-8);
  }
}

struct UniformParams {
  double minval, width;
  float top;
};

NABLA_INLINE void uniformBody(float* out, size_t b, size_t e, uint32_t k0, uint32_t k1, UniformParams p) {
  forWords(b, e, k0, k1, [&](size_t i, double u) {
    const float v = static_cast<float>(p.minval + u * p.width);
    out[i] = v > p.top ? p.top : v;
  });
}
void uniformGeneric(float* out, size_t b, size_t e, uint32_t k0, uint32_t k1, UniformParams p) { uniformBody(out, b, e, k0, k1, p); }
NABLA_TARGET_AVX2 void uniformAvx2(float* out, size_t b, size_t e, uint32_t k0, uint32_t k1, UniformParams p) {
  uniformBody(out, b, e, k0, k1, p);
}

NABLA_INLINE void keepMaskBody(float* out, size_t b, size_t e, uint32_t k0, uint32_t k1, double rate, float kept) {
  forWords(b, e, k0, k1, [&](size_t i, double u) { out[i] = u >= rate ? kept : 0.0f; });
}
void keepMaskGeneric(float* out, size_t b, size_t e, uint32_t k0, uint32_t k1, double rate, float kept) {
  keepMaskBody(out, b, e, k0, k1, rate, kept);
}
NABLA_TARGET_AVX2 void keepMaskAvx2(float* out, size_t b, size_t e, uint32_t k0, uint32_t k1, double rate, float kept) {
  keepMaskBody(out, b, e, k0, k1, rate, kept);
}

uint32_t keyArg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name) {
  const double v = numberArg(info, index, op, name);
  if (!(v >= 0 && v <= 4294967295.0) || v != static_cast<double>(static_cast<uint32_t>(v))) {
    throwTypedError(info.Env(), "InvalidArgumentError",
                    std::string(op) + ": " + name + " must be an integer in [0, 2^32), got " + std::to_string(v) + ".");
  }
  return static_cast<uint32_t>(v);
}

// Ranges split at multiples of 4 words, so no block is computed twice.
template <class Body>
void fillParallel(size_t n, Body&& body) {
  parallelRange((n + 3) / 4, kMinParallelWords / 4, [&](size_t b0, size_t b1) { body(b0 * 4, b1 * 4 < n ? b1 * 4 : n); });
}

Napi::Value PhiloxUniform(const Napi::CallbackInfo& info) {
  constexpr const char* op = "philoxUniform";
  requireArgCount(info, 6, op);
  const auto out = float32Arg(info, 0, op, "out");
  const uint32_t k0 = keyArg(info, 1, op, "k0"), k1 = keyArg(info, 2, op, "k1");
  const UniformParams p{numberArg(info, 3, op, "minval"), numberArg(info, 4, op, "width"),
                        static_cast<float>(numberArg(info, 5, op, "top"))};
  const bool avx2 = useAvx2();
  fillParallel(out.length, [&](size_t b, size_t e) { (avx2 ? uniformAvx2 : uniformGeneric)(out.data, b, e, k0, k1, p); });
  return info.Env().Undefined();
}

Napi::Value PhiloxKeepMask(const Napi::CallbackInfo& info) {
  constexpr const char* op = "philoxKeepMask";
  requireArgCount(info, 5, op);
  const auto out = float32Arg(info, 0, op, "out");
  const uint32_t k0 = keyArg(info, 1, op, "k0"), k1 = keyArg(info, 2, op, "k1");
  const double rate = numberArg(info, 3, op, "rate");
  const float kept = static_cast<float>(numberArg(info, 4, op, "kept"));
  const bool avx2 = useAvx2();
  fillParallel(out.length, [&](size_t b, size_t e) { (avx2 ? keepMaskAvx2 : keepMaskGeneric)(out.data, b, e, k0, k1, rate, kept); });
  return info.Env().Undefined();
}

}  // namespace

void registerRandom(Napi::Env env, Napi::Object exports) {
  exports.Set("philoxUniform", Napi::Function::New(env, PhiloxUniform, "philoxUniform"));
  exports.Set("philoxKeepMask", Napi::Function::New(env, PhiloxKeepMask, "philoxKeepMask"));
}

}  // namespace nabla
