#pragma once

#include <napi.h>

namespace blasprop {

// Element-wise loops of the layers, compiled so the compiler can vectorise them: in
// JavaScript they run scalar, several times slower than the memory allows, which
// made ReLU a fifth of a small training step. Arguments are validated in TypeScript.

// reluForward(n, x, y): y = max(x, 0); NaN stays NaN and −0 becomes +0.
Napi::Value ReluForward(const Napi::CallbackInfo& info);
// reluBackward(n, y, dy, dx): dx = dy where y > 0, else +0 (also for infinite or NaN dy).
Napi::Value ReluBackward(const Napi::CallbackInfo& info);

}  // namespace blasprop
