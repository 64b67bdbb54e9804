// Unpacking of arguments that TypeScript has already validated (src/blas/validate.ts).
// These helpers do not re-check ranges or lengths: the public routines validate every
// argument first, and the raw binding is not exported. A wrong JavaScript type that
// is read becomes a thrown Error (node-addon-api is built with C++ exceptions), but
// sizes and buffer lengths are trusted, so the raw binding is not safe to call with
// unchecked arguments.
#pragma once

#include <napi.h>

#include <cstdint>

namespace blasprop {

// A Float64Array's first element, honouring the view's own byteOffset so that
// subarray views address the caller's memory at the right place.
inline double* Float64Data(const Napi::Value& value) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_status status =
      napi_get_typedarray_info(value.Env(), value, &type, &length, &data, nullptr, nullptr);
  if (status != napi_ok || type != napi_float64_array) {
    throw Napi::TypeError::New(value.Env(), "internal: expected a Float64Array");
  }
  return static_cast<double*>(data);
}

// A Uint32Array's first element (row orders, a generator's state), as Float64Data.
inline uint32_t* Uint32Data(const Napi::Value& value) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_status status =
      napi_get_typedarray_info(value.Env(), value, &type, &length, &data, nullptr, nullptr);
  if (status != napi_ok || type != napi_uint32_array) {
    throw Napi::TypeError::New(value.Env(), "internal: expected a Uint32Array");
  }
  return static_cast<uint32_t*>(data);
}

// An Int32Array's first element (shared flags), as Float64Data.
inline int32_t* Int32Data(const Napi::Value& value) {
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_status status =
      napi_get_typedarray_info(value.Env(), value, &type, &length, &data, nullptr, nullptr);
  if (status != napi_ok || type != napi_int32_array) {
    throw Napi::TypeError::New(value.Env(), "internal: expected an Int32Array");
  }
  return static_cast<int32_t*>(data);
}

inline int Int(const Napi::Value& value) { return value.As<Napi::Number>().Int32Value(); }

inline double Double(const Napi::Value& value) { return value.As<Napi::Number>().DoubleValue(); }

inline bool Bool(const Napi::Value& value) { return value.As<Napi::Boolean>().Value(); }

}  // namespace blasprop
