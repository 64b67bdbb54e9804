#pragma once

#include <napi.h>

namespace blasprop {

// Each takes the arguments of the BLAS routine of the same name, row-major, with
// transposes as booleans, and works in place on the caller's Float64Arrays.
Napi::Value Dgemm(const Napi::CallbackInfo& info);
Napi::Value Dgemv(const Napi::CallbackInfo& info);
Napi::Value Daxpy(const Napi::CallbackInfo& info);
Napi::Value Dscal(const Napi::CallbackInfo& info);

}  // namespace blasprop
