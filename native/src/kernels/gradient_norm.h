#pragma once

#include "array_list.h"

namespace blasprop {

// Gradient clipping by the total norm, as torch.nn.utils.clip_grad_norm_
// (src/kernels/gradient-norm.ts holds the reference and validation).
namespace kernels {
// state = [maxNorm, totalNorm]: writes the 2-norm of all the gradients together into
// state[1], then multiplies every gradient by maxNorm / (norm + 1e-6) when that is
// below 1 (or NaN, which PyTorch's clamp passes on). The gradients share one element
// type; the norm is summed in double for either.
void ClipGradNorm(const Float64ArrayList* grads, double* state);
void ClipGradNorm(const Float32ArrayList* grads, double* state);
}  // namespace kernels

}  // namespace blasprop
