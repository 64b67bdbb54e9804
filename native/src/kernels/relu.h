#pragma once

#include <napi.h>

namespace blasprop {

// ReLU's loops, compiled so the compiler can vectorise them: in JavaScript they run
// scalar, several times slower than the memory allows, which made ReLU a fifth of a
// small training step. Each kernel is a plain function over pointers and sizes, for
// any caller in the addon, and an N-API entry point that unpacks arguments already
// validated in TypeScript (src/kernels/relu.ts).
namespace kernels {
// y = max(x, 0); NaN stays NaN and −0 becomes +0.
void ReluForward(int n, const double* x, double* y);
void ReluForward(int n, const float* x, float* y);
// dx = dy where y > 0, else +0 (also for infinite or NaN dy).
void ReluBackward(int n, const double* y, const double* dy, double* dx);
void ReluBackward(int n, const float* y, const float* dy, float* dx);
}  // namespace kernels

// reluForward(n, x, y) and reluBackward(n, y, dy, dx), returning the output array.
Napi::Value ReluForward(const Napi::CallbackInfo& info);
Napi::Value ReluBackward(const Napi::CallbackInfo& info);

}  // namespace blasprop
