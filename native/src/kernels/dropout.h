#pragma once

#include <cstdint>

namespace blasprop {

// Dropout's loops (src/kernels/dropout.ts holds their reference and validation).
namespace kernels {
// Draws one 32-bit number per element from the xoshiro128** generator in `state`
// (four words, advanced in place; src/random/prng.ts is the same algorithm): the
// element is kept when the number is at least p·2³², and mask[i] is then 1/(1 − p),
// else 0. y = x·mask.
void DropoutForward(int n, double p, uint32_t* state, const double* x, double* y, double* mask);
void DropoutForward(int n, double p, uint32_t* state, const float* x, float* y, float* mask);
// dx = dy·mask.
void DropoutBackward(int n, const double* mask, const double* dy, double* dx);
void DropoutBackward(int n, const float* mask, const float* dy, float* dx);
}  // namespace kernels

}  // namespace blasprop
