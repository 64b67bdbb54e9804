#pragma once

namespace blasprop::kernels {

// ReLU's loops, compiled so the compiler can vectorise them: in JavaScript they run
// scalar, several times slower than the memory allows, which made ReLU a fifth of a
// small training step (src/kernels/relu.ts holds their checks and reference). Each
// comes for double and for float tensors; a select has no rounding, so both give the
// reference's values exactly.

// y = max(x, 0); NaN stays NaN and −0 becomes +0.
void ReluForward(int n, const double* x, double* y);
void ReluForward(int n, const float* x, float* y);
// dx = dy where y > 0, else +0 (also for infinite or NaN dy).
void ReluBackward(int n, const double* y, const double* dy, double* dx);
void ReluBackward(int n, const float* y, const float* dy, float* dx);

}  // namespace blasprop::kernels
