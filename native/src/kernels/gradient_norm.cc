#include "gradient_norm.h"

#include <cmath>

namespace blasprop {

namespace {
template <typename T>
void ClipGradNormOf(const ArrayList<T>* list, double* state) {
  const int count = list->count;
  T* const* grads = list->data;
  const int* lengths = list->lengths;
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
}  // namespace

void kernels::ClipGradNorm(const Float64ArrayList* grads, double* state) { ClipGradNormOf(grads, state); }
void kernels::ClipGradNorm(const Float32ArrayList* grads, double* state) { ClipGradNormOf(grads, state); }

}  // namespace blasprop
