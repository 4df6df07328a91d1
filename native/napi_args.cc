#include "napi_args.h"

#include <algorithm>
#include <cmath>

namespace nabla {
namespace {

constexpr size_t kMaxRank = 32;
constexpr double kMaxSafeInteger = 9007199254740991.0;

std::string where(const char* op, const char* name) { return std::string(op) + ": " + name; }

Napi::Value argAt(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name) {
  if (index >= info.Length()) throwTypedError(info.Env(), "InvalidArgumentError", where(op, name) + " is missing.");
  return info[index];
}

template <class T>
ArraySpan<T> typedArg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name,
                      napi_typedarray_type type, const char* typeName) {
  Napi::Value v = argAt(info, index, op, name);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != type) {
    throwTypedError(info.Env(), "DTypeError", where(op, name) + " must be a " + typeName + ".");
  }
  auto array = v.As<Napi::TypedArrayOf<T>>();
  return {array.Data(), array.ElementLength()};
}

}  // namespace

void throwTypedError(Napi::Env env, const char* type, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("nablaType", Napi::String::New(env, type));
  throw error;
}

ArraySpan<float> float32Arg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name) {
  return typedArg<float>(info, index, op, name, napi_float32_array, "Float32Array");
}

ArraySpan<uint8_t> uint8Arg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name) {
  return typedArg<uint8_t>(info, index, op, name, napi_uint8_array, "Uint8Array");
}

ArraySpan<int32_t> int32Arg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name) {
  return typedArg<int32_t>(info, index, op, name, napi_int32_array, "Int32Array");
}

Shape shapeArg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name) {
  Napi::Value v = argAt(info, index, op, name);
  if (!v.IsArray()) throwTypedError(info.Env(), "InvalidArgumentError", where(op, name) + " must be an array of dims.");
  auto array = v.As<Napi::Array>();
  if (array.Length() > kMaxRank) {
    throwTypedError(info.Env(), "ShapeError", where(op, name) + " has rank " + std::to_string(array.Length()) +
                                                  "; at most " + std::to_string(kMaxRank) + " dims are supported.");
  }
  Shape shape(array.Length());
  double size = 1;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value d = array.Get(i);
    const double dim = d.IsNumber() ? d.As<Napi::Number>().DoubleValue() : -1;
    if (!(dim >= 0) || dim != std::floor(dim) || dim > kMaxSafeInteger) {
      throwTypedError(info.Env(), "ShapeError", where(op, name) + " must hold non-negative integer dims.");
    }
    shape[i] = static_cast<size_t>(dim);
    size *= std::max(dim, 1.0);  // zero dims ignored: strides must stay in range too
  }
  if (size > kMaxSafeInteger) throwTypedError(info.Env(), "ShapeError", where(op, name) + " describes too many values.");
  return shape;
}

bool boolArg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name) {
  Napi::Value v = argAt(info, index, op, name);
  if (!v.IsBoolean()) throwTypedError(info.Env(), "InvalidArgumentError", where(op, name) + " must be a boolean.");
  return v.As<Napi::Boolean>().Value();
}

double numberArg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name) {
  Napi::Value v = argAt(info, index, op, name);
  if (!v.IsNumber()) throwTypedError(info.Env(), "InvalidArgumentError", where(op, name) + " must be a number.");
  return v.As<Napi::Number>().DoubleValue();
}

std::string stringArg(const Napi::CallbackInfo& info, size_t index, const char* op, const char* name) {
  Napi::Value v = argAt(info, index, op, name);
  if (!v.IsString()) throwTypedError(info.Env(), "InvalidArgumentError", where(op, name) + " must be a string.");
  return v.As<Napi::String>().Utf8Value();
}

std::vector<size_t> axesArg(const Napi::CallbackInfo& info, size_t index, size_t rank, const char* op) {
  Napi::Value v = argAt(info, index, op, "axes");
  if (!v.IsArray()) throwTypedError(info.Env(), "InvalidArgumentError", where(op, "axes") + " must be an array.");
  auto array = v.As<Napi::Array>();
  std::vector<size_t> axes;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    Napi::Value d = array.Get(i);
    const double axis = d.IsNumber() ? d.As<Napi::Number>().DoubleValue() : -1;
    if (!(axis >= 0) || axis != std::floor(axis) || axis >= static_cast<double>(rank) ||
        (!axes.empty() && static_cast<size_t>(axis) <= axes.back())) {
      throwTypedError(info.Env(), "InvalidArgumentError",
                      where(op, "axes") + " must be sorted, unique and in [0, " + std::to_string(rank) + ").");
    }
    axes.push_back(static_cast<size_t>(axis));
  }
  return axes;
}

void requireArgCount(const Napi::CallbackInfo& info, size_t count, const char* op) {
  if (info.Length() != count) {
    throwTypedError(info.Env(), "InvalidArgumentError",
                    std::string(op) + ": expected " + std::to_string(count) + " arguments, got " +
                        std::to_string(info.Length()) + ".");
  }
}

size_t shapeSize(const Shape& shape) {
  size_t size = 1;
  for (size_t d : shape) size *= d;
  return size;
}

std::string shapeString(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

}  // namespace nabla
