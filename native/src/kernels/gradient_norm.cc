#include "gradient_norm.h"

#include <cmath>
#include <vector>

#include "../arguments.h"

namespace blasprop {

namespace {
template <typename T>
void ClipGradNormOf(int count, T* const* grads, const int* lengths, double* state) {
  double squares = 0.0;
  for (int k = 0; k < count; k++) {
    const T* g = grads[k];
    for (int i = 0; i < lengths[k]; i++) squares += static_cast<double>(g[i]) * g[i];
  }
  const double norm = std::sqrt(squares);
  state[1] = norm;
  const double coefficient = state[0] / (norm + 1e-6);
  if (!(coefficient < 1.0) && coefficient == coefficient) return;
  for (int k = 0; k < count; k++) {
    T* g = grads[k];
    for (int i = 0; i < lengths[k]; i++) g[i] *= coefficient;
  }
}

template <typename T>
Napi::Value ClipGradNormEntry(const Napi::CallbackInfo& info, const Napi::Array& list) {
  const uint32_t count = list.Length();
  std::vector<T*> grads(count);
  std::vector<int> lengths(count);
  for (uint32_t k = 0; k < count; k++) {
    const Napi::Value entry = list.Get(k);
    grads[k] = ArrayData<T>(entry);
    lengths[k] = static_cast<int>(entry.As<Napi::TypedArray>().ElementLength());
  }
  kernels::ClipGradNorm(static_cast<int>(count), grads.data(), lengths.data(), Float64Data(info[1]));
  return info[1];
}
}  // namespace

void kernels::ClipGradNorm(int count, double* const* grads, const int* lengths, double* state) {
  ClipGradNormOf(count, grads, lengths, state);
}
void kernels::ClipGradNorm(int count, float* const* grads, const int* lengths, double* state) {
  ClipGradNormOf(count, grads, lengths, state);
}

// The gradients share one element type (checked in TypeScript): the first one's.
Napi::Value ClipGradNorm(const Napi::CallbackInfo& info) {
  const Napi::Array list = info[0].As<Napi::Array>();
  if (list.Length() > 0 && IsFloat32(list.Get(0u))) return ClipGradNormEntry<float>(info, list);
  return ClipGradNormEntry<double>(info, list);
}

}  // namespace blasprop
