#pragma once

#include <napi.h>

namespace blasprop {

// Gradient clipping by the total norm, as torch.nn.utils.clip_grad_norm_
// (src/kernels/gradient-norm.ts holds the reference and validation).
namespace kernels {
// state = [maxNorm, totalNorm]: writes the 2-norm of all the gradients together into
// state[1], then multiplies every gradient by maxNorm / (norm + 1e-6) when that is
// below 1 (or NaN, which PyTorch's clamp passes on).
void ClipGradNorm(int count, double* const* grads, const int* lengths, double* state);
void ClipGradNorm(int count, float* const* grads, const int* lengths, double* state);
}  // namespace kernels

// clipGradNorm(grads, state), grads an array of Float64Arrays.
Napi::Value ClipGradNorm(const Napi::CallbackInfo& info);

}  // namespace blasprop
