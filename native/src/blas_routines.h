#pragma once

#include <napi.h>

namespace blasprop {

// Each takes the arguments of the BLAS routine of the same name, row-major, with
// transposes as booleans, and works in place on the caller's arrays: Float32Arrays for
// the s-routines, Float64Arrays for the d-routines. The two precisions share one
// implementation (blas_routines.cc), so they keep the same rules.
Napi::Value Sgemm(const Napi::CallbackInfo& info);
Napi::Value Sgemv(const Napi::CallbackInfo& info);
Napi::Value Saxpy(const Napi::CallbackInfo& info);
Napi::Value Sscal(const Napi::CallbackInfo& info);
Napi::Value Dgemm(const Napi::CallbackInfo& info);
Napi::Value Dgemv(const Napi::CallbackInfo& info);
Napi::Value Daxpy(const Napi::CallbackInfo& info);
Napi::Value Dscal(const Napi::CallbackInfo& info);

}  // namespace blasprop
