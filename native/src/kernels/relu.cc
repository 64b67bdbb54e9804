#include "relu.h"

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "../arguments.h"
#include "wide_loops.h"

namespace blasprop {

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

namespace {
template <typename T>
BLASPROP_INLINE void ReluForwardOf(int n, const T* __restrict x, T* __restrict y) {
  int i = 0;
#if defined(__GNUC__)
  // v != v only for NaN, which passes through as numpy's maximum does. The masks are
  // written for doubles; float32 runs the scalar loop, which selects the same values.
  if constexpr (std::is_same_v<T, double>) {
    for (; i + kLanes <= n; i += kLanes) {
      const Doubles v = Load(x + i);
      StoreMasked(y + i, v, (v > 0.0) | (v != v));
    }
  }
#endif
  for (; i < n; i++) y[i] = KeepOrZero(x[i], x[i] > 0.0 || x[i] != x[i]);
}
}  // namespace

void kernels::ReluForward(int n, const double* __restrict x, double* __restrict y) { ReluForwardOf(n, x, y); }
void kernels::ReluForward(int n, const float* __restrict x, float* __restrict y) { ReluForwardOf(n, x, y); }

namespace {
template <typename T>
BLASPROP_INLINE void ReluBackwardOf(int n, const T* __restrict y, const T* __restrict dy, T* __restrict dx) {
  int i = 0;
#if defined(__GNUC__)
  if constexpr (std::is_same_v<T, double>) {
    for (; i + kLanes <= n; i += kLanes) StoreMasked(dx + i, Load(dy + i), Load(y + i) > 0.0);
  }
#endif
  for (; i < n; i++) dx[i] = KeepOrZero(dy[i], y[i] > 0.0);
}
}  // namespace

void kernels::ReluBackward(int n, const double* __restrict y, const double* __restrict dy, double* __restrict dx) {
  ReluBackwardOf(n, y, dy, dx);
}
void kernels::ReluBackward(int n, const float* __restrict y, const float* __restrict dy, float* __restrict dx) {
  ReluBackwardOf(n, y, dy, dx);
}

Napi::Value ReluForward(const Napi::CallbackInfo& info) {
  return ForElementType(info[1], [&](auto zero) {
    using T = decltype(zero);
    kernels::ReluForward(Int(info[0]), ArrayData<T>(info[1]), ArrayData<T>(info[2]));
    return info[2];
  });
}

Napi::Value ReluBackward(const Napi::CallbackInfo& info) {
  return ForElementType(info[1], [&](auto zero) {
    using T = decltype(zero);
    kernels::ReluBackward(Int(info[0]), ArrayData<T>(info[1]), ArrayData<T>(info[2]), ArrayData<T>(info[3]));
    return info[3];
  });
}

}  // namespace blasprop
