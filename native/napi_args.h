// Argument checking at the JavaScript boundary: every entry point validates its arguments with
// these helpers before touching memory, and throws a JS error instead of crashing.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace nabla {

// Throws a JS Error whose `nablaType` ('ShapeError', 'DTypeError', 'InvalidArgumentError') tells
// the TypeScript wrapper which of nabla's error classes to rethrow.
[[noreturn]] void throwTypedError(Napi::Env env, const char* type, const std::string& message);

// A typed array argument viewed in place (no copy).
template <class T>
struct ArraySpan {
  T* data;
  size_t length;
};

ArraySpan<float> float32Arg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name);
ArraySpan<uint8_t> uint8Arg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name);
ArraySpan<int32_t> int32Arg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name);

using Shape = std::vector<size_t>;

// An array of non-negative integer dims (at most 32 of them) with a product below 2^53.
Shape shapeArg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name);
bool boolArg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name);
double numberArg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name);
std::string stringArg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name);
// Sorted, unique axes in [0, rank).
std::vector<size_t> axesArg(const Napi::CallbackInfo& info, size_t index, size_t rank, const char* op);

void requireArgCount(const Napi::CallbackInfo& info, size_t count, const char* op);

size_t shapeSize(const Shape& shape);
std::string shapeString(const Shape& shape);

// Throws a ShapeError unless the array holds exactly as many values as the shape describes.
template <class T>
void requireLength(Napi::Env env, const ArraySpan<T>& span, const Shape& shape, const char* op, const char* name) {
  const size_t expected = shapeSize(shape);
  if (span.length != expected) {
    throwTypedError(env, "ShapeError",
                    std::string(op) + ": " + name + " has " + std::to_string(span.length) + " values but its shape " +
                        shapeString(shape) + " needs " + std::to_string(expected) + ".");
  }
}

// Throws unless the output's memory is disjoint from the input's (kernels write while reading).
template <class T, class U>
void requireDisjoint(Napi::Env env, const ArraySpan<T>& out, const ArraySpan<U>& in, const char* op, const char* name) {
  const auto o0 = reinterpret_cast<uintptr_t>(out.data), o1 = o0 + out.length * sizeof(T);
  const auto i0 = reinterpret_cast<uintptr_t>(in.data), i1 = i0 + in.length * sizeof(U);
  if (out.length > 0 && in.length > 0 && o0 < i1 && i0 < o1) {
    throwTypedError(env, "InvalidArgumentError",
                    std::string(op) + ": the output shares memory with " + name + "; pass a separate output array.");
  }
}

// Throws unless the output is disjoint from the input or is exactly the same array (safe for
// element-wise kernels, which read each input element before writing the same position).
template <class T, class U>
void requireDisjointOrSame(Napi::Env env, const ArraySpan<T>& out, const ArraySpan<U>& in, const char* op,
                           const char* name) {
  if (static_cast<const void*>(out.data) == static_cast<const void*>(in.data) && out.length * sizeof(T) == in.length * sizeof(U)) return;
  requireDisjoint(env, out, in, op, name);
}

// Looks `name` up in a table of {name, value} pairs; throws InvalidArgumentError when absent.
template <class Kind, size_t N>
Kind kindArg(const Napi::CallbackInfo& info, size_t index, const std::pair<const char*, Kind> (&table)[N], const char* op) {
  const std::string name = stringArg(info, index, op, "kind");
  for (const auto& entry : table) {
    if (name == entry.first) return entry.second;
  }
  throwTypedError(info.Env(), "InvalidArgumentError", std::string(op) + ": unsupported kind '" + name + "'.");
}

}  // namespace nabla
