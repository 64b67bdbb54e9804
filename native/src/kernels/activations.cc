#include "activations.h"

#include <cstdint>
#include <cstring>

#include "vector_math.h"
#include "wide_loops.h"

namespace blasprop {

namespace {

using vmath::Doubles;
using vmath::Int64s;

// The constants of src/kernels/activations.ts, written as the same decimal literals
// and combined in the same order, so that both sides hold the same doubles.
constexpr double kSqrtHalf = 0.7071067811865476;        // 1/√2
constexpr double kTwoOverSqrtPi = 1.1283791670955126;   // 2/√π
constexpr double kSqrtTwo = 1.4142135623730951;         // √2
constexpr double kNormalDensity = kTwoOverSqrtPi * kSqrtHalf * 0.5;  // 1/√(2π)
constexpr double kTanhScale = kSqrtTwo * kTwoOverSqrtPi * 0.5;       // √(2/π)
constexpr double kTanhCubic = 0.044715;

#if defined(__GNUC__)
constexpr int kLanes = sizeof(Doubles) / sizeof(double);

BLASPROP_INLINE Doubles Load(const double* p) {
  Doubles v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

BLASPROP_INLINE void Store(double* p, Doubles v) { std::memcpy(p, &v, sizeof v); }

// float32 tensors are computed in double too: kLanes floats widened exactly on the way
// in, each result rounded once to float on the way out, as the reference's stores
// into a Float32Array round it.
typedef float Floats __attribute__((vector_size(sizeof(Doubles) / 2)));

BLASPROP_INLINE Doubles Load(const float* p) {
  Floats v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_convertvector(v, Doubles);
}

BLASPROP_INLINE void Store(float* p, Doubles v) {
  const Floats narrow = __builtin_convertvector(v, Floats);
  std::memcpy(p, &narrow, sizeof narrow);
}
#endif

// Runs f on every element, kLanes at a time then one by one: f takes and returns
// lanes (double or Doubles) and computes the same operations on either, in double
// whatever T, the arrays' element type, is. The lambdas
// passed are inlined too: called out of line from a clone built for other vectors,
// they would receive their lanes by another convention.
#if defined(__GNUC__)
#define BLASPROP_INLINE_LAMBDA __attribute__((always_inline))
#else
#define BLASPROP_INLINE_LAMBDA
#endif
template <class T, class F>
BLASPROP_INLINE void Map(int n, const T* __restrict x, T* __restrict y, F f) {
  int i = 0;
#if defined(__GNUC__)
  for (; i + kLanes <= n; i += kLanes) Store(y + i, f(Load(x + i)));
#endif
  for (; i < n; i++) y[i] = static_cast<T>(f(static_cast<double>(x[i])));
}

// The same with two inputs.
template <class T, class F>
BLASPROP_INLINE void Map2(int n, const T* __restrict a, const T* __restrict b, T* __restrict y, F f) {
  int i = 0;
#if defined(__GNUC__)
  for (; i + kLanes <= n; i += kLanes) Store(y + i, f(Load(a + i), Load(b + i)));
#endif
  for (; i < n; i++) y[i] = static_cast<T>(f(static_cast<double>(a[i]), static_cast<double>(b[i])));
}

// The same with three inputs.
template <class T, class F>
BLASPROP_INLINE void Map3(int n, const T* __restrict a, const T* __restrict b, const T* __restrict c,
                          T* __restrict y, F f) {
  int i = 0;
#if defined(__GNUC__)
  for (; i + kLanes <= n; i += kLanes) Store(y + i, f(Load(a + i), Load(b + i), Load(c + i)));
#endif
  for (; i < n; i++) {
    y[i] = static_cast<T>(f(static_cast<double>(a[i]), static_cast<double>(b[i]), static_cast<double>(c[i])));
  }
}

template <class V>
BLASPROP_INLINE V LeakyRelu(V x, double slope) {
  return vmath::Select(x > 0.0, x, x * slope);
}

template <class V>
BLASPROP_INLINE V GeluTanhInner(V x) {
  return kTanhScale * (x + kTanhCubic * (x * x * x));
}

template <class V>
BLASPROP_INLINE V GeluTanhGradient(V x, V t) {
  const V left = 0.5 * x;
  const V left_derivative = 0.5 * (1.0 + t);
  const V inner_derivative = kTanhScale * (1.0 + 3.0 * kTanhCubic * (x * x));
  const V right_derivative = left * (1.0 - t * t) * inner_derivative;
  return left_derivative + right_derivative;
}

template <class V>
BLASPROP_INLINE V NormalDensity(V x) {
  return kNormalDensity * vmath::Exp(x * x * -0.5);
}

}  // namespace

namespace {
template <typename T>
BLASPROP_INLINE void TanhForwardOf(int n, const T* __restrict x, T* __restrict y) {
  Map(n, x, y, [](auto v) BLASPROP_INLINE_LAMBDA { return vmath::Tanh(v); });
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::TanhForward(int n, const double* __restrict x, double* __restrict y) {
  TanhForwardOf(n, x, y);
}
BLASPROP_WIDE_LOOPS void kernels::TanhForward(int n, const float* __restrict x, float* __restrict y) {
  TanhForwardOf(n, x, y);
}

namespace {
template <typename T>
BLASPROP_INLINE void TanhBackwardOf(int n, const T* __restrict y, const T* __restrict dy, T* __restrict dx) {
  for (int i = 0; i < n; i++) dx[i] = dy[i] * (1.0 - static_cast<double>(y[i]) * y[i]);
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::TanhBackward(int n, const double* __restrict y, const double* __restrict dy,
                                               double* __restrict dx) {
  TanhBackwardOf(n, y, dy, dx);
}
BLASPROP_WIDE_LOOPS void kernels::TanhBackward(int n, const float* __restrict y, const float* __restrict dy,
                                               float* __restrict dx) {
  TanhBackwardOf(n, y, dy, dx);
}

namespace {
template <typename T>
BLASPROP_INLINE void SigmoidForwardOf(int n, const T* __restrict x, T* __restrict y) {
  Map(n, x, y, [](auto v) BLASPROP_INLINE_LAMBDA { return vmath::Sigmoid(v); });
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::SigmoidForward(int n, const double* __restrict x, double* __restrict y) {
  SigmoidForwardOf(n, x, y);
}
BLASPROP_WIDE_LOOPS void kernels::SigmoidForward(int n, const float* __restrict x, float* __restrict y) {
  SigmoidForwardOf(n, x, y);
}

namespace {
template <typename T>
BLASPROP_INLINE void SigmoidBackwardOf(int n, const T* __restrict y, const T* __restrict dy, T* __restrict dx) {
  for (int i = 0; i < n; i++) dx[i] = dy[i] * (1.0 - y[i]) * y[i];
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::SigmoidBackward(int n, const double* __restrict y, const double* __restrict dy,
                                                  double* __restrict dx) {
  SigmoidBackwardOf(n, y, dy, dx);
}
BLASPROP_WIDE_LOOPS void kernels::SigmoidBackward(int n, const float* __restrict y, const float* __restrict dy,
                                                  float* __restrict dx) {
  SigmoidBackwardOf(n, y, dy, dx);
}

namespace {
template <typename T>
BLASPROP_INLINE void LeakyReluForwardOf(int n, double slope, const T* __restrict x, T* __restrict y) {
  Map(n, x, y, [slope](auto v) BLASPROP_INLINE_LAMBDA { return LeakyRelu(v, slope); });
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::LeakyReluForward(int n, double slope, const double* __restrict x,
                                                   double* __restrict y) {
  LeakyReluForwardOf(n, slope, x, y);
}
BLASPROP_WIDE_LOOPS void kernels::LeakyReluForward(int n, double slope, const float* __restrict x,
                                                   float* __restrict y) {
  LeakyReluForwardOf(n, slope, x, y);
}

namespace {
template <typename T>
BLASPROP_INLINE void LeakyReluBackwardOf(int n, double slope, const T* __restrict x, const T* __restrict dy,
                                         T* __restrict dx) {
  Map2(n, x, dy, dx, [slope](auto v, auto g) BLASPROP_INLINE_LAMBDA { return vmath::Select(v > 0.0, g, g * slope); });
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::LeakyReluBackward(int n, double slope, const double* __restrict x,
                                                    const double* __restrict dy, double* __restrict dx) {
  LeakyReluBackwardOf(n, slope, x, dy, dx);
}
BLASPROP_WIDE_LOOPS void kernels::LeakyReluBackward(int n, double slope, const float* __restrict x,
                                                    const float* __restrict dy, float* __restrict dx) {
  LeakyReluBackwardOf(n, slope, x, dy, dx);
}

namespace {
template <typename T>
BLASPROP_INLINE void GeluForwardOf(int n, bool tanh, const T* __restrict x, T* __restrict y, T* __restrict saved) {
  if (tanh) {
    Map(n, x, saved, [](auto v) BLASPROP_INLINE_LAMBDA { return vmath::Tanh(GeluTanhInner(v)); });
    Map2(n, x, saved, y, [](auto v, auto t) BLASPROP_INLINE_LAMBDA { return 0.5 * v * (1.0 + t); });
    return;
  }
  // The backward pass reads Φ(x) = ½·(1 + erf(x/√2)) kept here.
  Map(n, x, saved, [](auto v) BLASPROP_INLINE_LAMBDA { return 0.5 * (1.0 + vmath::Erf(v * kSqrtHalf)); });
  Map2(n, x, saved, y, [](auto v, auto cdf) BLASPROP_INLINE_LAMBDA { return v * cdf; });
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::GeluForward(int n, bool tanh, const double* __restrict x, double* __restrict y,
                                              double* __restrict saved) {
  GeluForwardOf(n, tanh, x, y, saved);
}
BLASPROP_WIDE_LOOPS void kernels::GeluForward(int n, bool tanh, const float* __restrict x, float* __restrict y,
                                              float* __restrict saved) {
  GeluForwardOf(n, tanh, x, y, saved);
}

namespace {
template <typename T>
BLASPROP_INLINE void GeluBackwardOf(int n, bool tanh, const T* __restrict x, const T* __restrict saved,
                                    const T* __restrict dy, T* __restrict dx) {
  // dy times the derivative, which stays in double (it is not stored in between).
  if (tanh) {
    Map3(n, x, saved, dy, dx,
         [](auto v, auto t, auto g) BLASPROP_INLINE_LAMBDA { return g * GeluTanhGradient(v, t); });
  } else {
    Map3(n, x, saved, dy, dx,
         [](auto v, auto cdf, auto g) BLASPROP_INLINE_LAMBDA { return g * (cdf + v * NormalDensity(v)); });
  }
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::GeluBackward(int n, bool tanh, const double* __restrict x,
                                               const double* __restrict saved, const double* __restrict dy,
                                               double* __restrict dx) {
  GeluBackwardOf(n, tanh, x, saved, dy, dx);
}
BLASPROP_WIDE_LOOPS void kernels::GeluBackward(int n, bool tanh, const float* __restrict x,
                                               const float* __restrict saved, const float* __restrict dy,
                                               float* __restrict dx) {
  GeluBackwardOf(n, tanh, x, saved, dy, dx);
}

}  // namespace blasprop
