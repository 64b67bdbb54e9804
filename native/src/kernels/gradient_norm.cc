#include "gradient_norm.h"

#include <cmath>
#include <vector>

#include "../arguments.h"

namespace blasprop {

void kernels::ClipGradNorm(int count, double* const* grads, const int* lengths, double* state) {
  double squares = 0.0;
  for (int k = 0; k < count; k++) {
    const double* g = grads[k];
    for (int i = 0; i < lengths[k]; i++) squares += g[i] * g[i];
  }
  const double norm = std::sqrt(squares);
  state[1] = norm;
  const double coefficient = state[0] / (norm + 1e-6);
  if (!(coefficient < 1.0) && coefficient == coefficient) return;
  for (int k = 0; k < count; k++) {
    double* g = grads[k];
    for (int i = 0; i < lengths[k]; i++) g[i] *= coefficient;
  }
}

Napi::Value ClipGradNorm(const Napi::CallbackInfo& info) {
  const Napi::Array list = info[0].As<Napi::Array>();
  const uint32_t count = list.Length();
  std::vector<double*> grads(count);
  std::vector<int> lengths(count);
  for (uint32_t k = 0; k < count; k++) {
    const Napi::Value entry = list.Get(k);
    grads[k] = Float64Data(entry);
    lengths[k] = static_cast<int>(entry.As<Napi::TypedArray>().ElementLength());
  }
  kernels::ClipGradNorm(static_cast<int>(count), grads.data(), lengths.data(), Float64Data(info[1]));
  return info[1];
}

}  // namespace blasprop
