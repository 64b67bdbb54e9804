#include "relu.h"

#include <cstdint>
#include <cstring>

namespace blasprop::kernels {

// Both loops keep a value where a condition holds and write +0.0 elsewhere, by
// AND-ing its bits with a compare mask: no branch (ReLU's inputs have random signs, so
// a branch is mispredicted half the time) and no multiplication (0 · ∞ would be NaN).
// GCC does not vectorise the scalar form of this, so the main loops use its vector
// extensions (also Clang's): two doubles per SSE2 instruction on any x86-64.

namespace {

inline double KeepOrZero(double value, bool keep) { return keep ? value : 0.0; }

#if defined(__GNUC__)
typedef double Doubles __attribute__((vector_size(16)));
typedef int64_t Mask __attribute__((vector_size(16)));
constexpr int kLanes = sizeof(Doubles) / sizeof(double);

inline Doubles Load(const double* p) {
  Doubles v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void StoreMasked(double* p, Doubles v, Mask keep) {
  Mask bits = reinterpret_cast<Mask>(v) & keep;
  std::memcpy(p, &bits, sizeof bits);
}
#endif

}  // namespace

void ReluForward(int n, const double* __restrict x, double* __restrict y) {
  int i = 0;
#if defined(__GNUC__)
  // Kept where not v <= 0: where v > 0, and for NaN (no comparison holds), which
  // passes through as numpy's maximum does. One compare, where testing v > 0 and
  // v != v apart took two and made this loop twice as slow as the backward one.
  for (; i + kLanes <= n; i += kLanes) {
    const Doubles v = Load(x + i);
    StoreMasked(y + i, v, ~(v <= 0.0));
  }
#endif
  for (; i < n; i++) y[i] = KeepOrZero(x[i], !(x[i] <= 0.0));
}

void ReluBackward(int n, const double* __restrict y, const double* __restrict dy, double* __restrict dx) {
  int i = 0;
#if defined(__GNUC__)
  for (; i + kLanes <= n; i += kLanes) StoreMasked(dx + i, Load(dy + i), Load(y + i) > 0.0);
#endif
  for (; i < n; i++) dx[i] = KeepOrZero(dy[i], y[i] > 0.0);
}

}  // namespace blasprop::kernels
