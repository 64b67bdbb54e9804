#pragma once

namespace blasprop {

// The element-wise loops of Tanh, Sigmoid, LeakyReLU and GELU, as plain functions over
// pointers and sizes, exported and replayed through registry.cc with arguments
// already validated in TypeScript (src/kernels/activations.ts, which holds the
// reference of each). They run eight doubles at a time, exp, tanh and erf included
// (vector_math.h), and agree with the references bit for bit. Each comes for double and
// for float tensors: the float ones widen each element to double, compute the same
// operations, and round each result once (as a reference writing into a Float32Array does).
namespace kernels {
// y = tanh(x); dx = dy·(1 − y²), from the output as PyTorch computes it.
void TanhForward(int n, const double* x, double* y);
void TanhForward(int n, const float* x, float* y);
void TanhBackward(int n, const double* y, const double* dy, double* dx);
void TanhBackward(int n, const float* y, const float* dy, float* dx);
// y = 1 / (1 + exp(−x)); dx = dy·(1 − y)·y, from the output.
void SigmoidForward(int n, const double* x, double* y);
void SigmoidForward(int n, const float* x, float* y);
void SigmoidBackward(int n, const double* y, const double* dy, double* dx);
void SigmoidBackward(int n, const float* y, const float* dy, float* dx);
// y = x where x > 0, else x·slope; dx = dy where x > 0, else dy·slope (also at 0).
void LeakyReluForward(int n, double slope, const double* x, double* y);
void LeakyReluForward(int n, double slope, const float* x, float* y);
void LeakyReluBackward(int n, double slope, const double* x, const double* dy, double* dx);
void LeakyReluBackward(int n, double slope, const float* x, const float* dy, float* dx);
// PyTorch's GELU: x·Φ(x) = x·½·(1 + erf(x/√2)), or with `tanh` its approximation
// ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). The forward pass keeps in `saved` what the
// backward pass would recompute (Φ(x) = ½·(1 + erf(x/√2)), or the tanh); the backward
// pass takes the input and that.
void GeluForward(int n, bool tanh, const double* x, double* y, double* saved);
void GeluForward(int n, bool tanh, const float* x, float* y, float* saved);
void GeluBackward(int n, bool tanh, const double* x, const double* saved, const double* dy, double* dx);
void GeluBackward(int n, bool tanh, const float* x, const float* saved, const float* dy, float* dx);
}  // namespace kernels

}  // namespace blasprop
