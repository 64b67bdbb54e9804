#include "relu.h"

#include <cstdint>
#include <cstring>

#include "wide_loops.h"

namespace blasprop::kernels {

// Both loops keep a value where a condition holds and write +0.0 elsewhere, by
// AND-ing its bits with a compare mask: no branch (ReLU's inputs have random signs, so
// a branch is mispredicted half the time) and no multiplication (0 · ∞ would be NaN).
// GCC does not vectorise the scalar form of this, so the main loops use its vector
// extensions (also Clang's), 64 bytes at a time (eight doubles or sixteen floats):
// one AVX-512 instruction, two AVX2 or four SSE2 ones. On x86-64 ELF systems the
// compiler builds each loop for all three and picks the widest the CPU has when the
// addon loads (target_clones); at a hidden layer of 16 units that made the float64
// loops about twice as fast as SSE2 alone. A select has no rounding, so every width
// gives the same bits as the scalar loop.

namespace {

inline double KeepOrZero(double value, bool keep) { return keep ? value : 0.0; }

}  // namespace

#if defined(__GNUC__)
#define BLASPROP_VECTOR_LOOPS 1
// 64 bytes of T, and the compare mask of the same width (a lane's bits all set where it holds).
template <typename T>
struct Lanes;
template <>
struct Lanes<double> {
  typedef double Values __attribute__((vector_size(64)));
  typedef int64_t Mask __attribute__((vector_size(64)));
};
template <>
struct Lanes<float> {
  typedef float Values __attribute__((vector_size(64)));
  typedef int32_t Mask __attribute__((vector_size(64)));
};
#else
#define BLASPROP_VECTOR_LOOPS 0
#endif

// The loops load and store through memcpy, which compiles to unaligned vector moves:
// the arrays are typed-array views at any offset their element size allows.

namespace {

template <typename T>
BLASPROP_INLINE void ReluForwardOf(int n, const T* __restrict x, T* __restrict y) {
  int i = 0;
#if BLASPROP_VECTOR_LOOPS
  using Values = typename Lanes<T>::Values;
  using Mask = typename Lanes<T>::Mask;
  constexpr int kLanes = sizeof(Values) / sizeof(T);
  // Kept where not v <= 0: where v > 0, and for NaN (no comparison holds), which
  // passes through as numpy's maximum does. One compare, where testing v > 0 and
  // v != v apart took two and made this loop twice as slow as the backward one.
  for (; i + kLanes <= n; i += kLanes) {
    Values v;
    std::memcpy(&v, x + i, sizeof v);
    const Mask bits = reinterpret_cast<Mask>(v) & ~(v <= T(0));
    std::memcpy(y + i, &bits, sizeof bits);
  }
#endif
  for (; i < n; i++) y[i] = KeepOrZero(x[i], !(x[i] <= 0.0));
}

template <typename T>
BLASPROP_INLINE void ReluBackwardOf(int n, const T* __restrict y, const T* __restrict dy, T* __restrict dx) {
  int i = 0;
#if BLASPROP_VECTOR_LOOPS
  using Values = typename Lanes<T>::Values;
  using Mask = typename Lanes<T>::Mask;
  constexpr int kLanes = sizeof(Values) / sizeof(T);
  for (; i + kLanes <= n; i += kLanes) {
    Values out;
    Values gradient;
    std::memcpy(&out, y + i, sizeof out);
    std::memcpy(&gradient, dy + i, sizeof gradient);
    const Mask bits = reinterpret_cast<Mask>(gradient) & (out > T(0));
    std::memcpy(dx + i, &bits, sizeof bits);
  }
#endif
  for (; i < n; i++) dx[i] = KeepOrZero(dy[i], y[i] > 0.0);
}

}  // namespace

BLASPROP_WIDE_LOOPS void ReluForward(int n, const double* __restrict x, double* __restrict y) {
  ReluForwardOf(n, x, y);
}
BLASPROP_WIDE_LOOPS void ReluForward(int n, const float* __restrict x, float* __restrict y) { ReluForwardOf(n, x, y); }

BLASPROP_WIDE_LOOPS void ReluBackward(int n, const double* __restrict y, const double* __restrict dy,
                                      double* __restrict dx) {
  ReluBackwardOf(n, y, dy, dx);
}
BLASPROP_WIDE_LOOPS void ReluBackward(int n, const float* __restrict y, const float* __restrict dy,
                                      float* __restrict dx) {
  ReluBackwardOf(n, y, dy, dx);
}

}  // namespace blasprop::kernels
