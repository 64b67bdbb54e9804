// Unpacking of arguments that TypeScript has already validated (src/blas/validate.ts).
// These helpers do not re-check ranges or lengths: the public routines validate every
// argument first, and the raw binding is not exported. A wrong JavaScript type that
// is read becomes a thrown Error (node-addon-api is built with C++ exceptions), but
// sizes and buffer lengths are trusted, so the raw binding is not safe to call with
// unchecked arguments.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace blasprop {

// The typed-array type that holds elements of type T.
template <typename T>
struct TypedArrayOf;
template <>
struct TypedArrayOf<float> {
  static constexpr napi_typedarray_type kType = napi_float32_array;
  static constexpr const char* kName = "Float32Array";
};
template <>
struct TypedArrayOf<double> {
  static constexpr napi_typedarray_type kType = napi_float64_array;
  static constexpr const char* kName = "Float64Array";
};
template <>
struct TypedArrayOf<uint32_t> {
  static constexpr napi_typedarray_type kType = napi_uint32_array;
  static constexpr const char* kName = "Uint32Array";
};
template <>
struct TypedArrayOf<int32_t> {
  static constexpr napi_typedarray_type kType = napi_int32_array;
  static constexpr const char* kName = "Int32Array";
};

// A typed array's first element, honouring the view's own byteOffset so that
// subarray views address the caller's memory at the right place.
template <typename T>
inline T* ArrayData(const Napi::Value& value) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_status status =
      napi_get_typedarray_info(value.Env(), value, &type, &length, &data, nullptr, nullptr);
  if (status != napi_ok || type != TypedArrayOf<T>::kType) {
    throw Napi::TypeError::New(value.Env(), std::string("internal: expected a ") + TypedArrayOf<T>::kName);
  }
  return static_cast<T*>(data);
}

inline double* Float64Data(const Napi::Value& value) { return ArrayData<double>(value); }
inline float* Float32Data(const Napi::Value& value) { return ArrayData<float>(value); }

// Whether a typed array holds float32 elements: which instantiation of a kernel a call
// from JavaScript runs (kernels/kernel.h). Validation in TypeScript has made sure
// that all of a call's tensors share that element type.
inline bool IsFloat32(const Napi::Value& value) {
  napi_typedarray_type type;
  napi_status status = napi_get_typedarray_info(value.Env(), value, &type, nullptr, nullptr, nullptr, nullptr);
  return status == napi_ok && type == napi_float32_array;
}

// A Uint32Array's first element (row orders, a generator's state), as Float64Data.
inline uint32_t* Uint32Data(const Napi::Value& value) { return ArrayData<uint32_t>(value); }

// An Int32Array's first element (shared flags), as Float64Data.
inline int32_t* Int32Data(const Napi::Value& value) { return ArrayData<int32_t>(value); }

inline int Int(const Napi::Value& value) { return value.As<Napi::Number>().Int32Value(); }

inline double Double(const Napi::Value& value) { return value.As<Napi::Number>().DoubleValue(); }

inline bool Bool(const Napi::Value& value) { return value.As<Napi::Boolean>().Value(); }

}  // namespace blasprop
