#include "activations.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "../arguments.h"
#include "vector_math.h"

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

inline Doubles Load(const double* p) {
  Doubles v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void Store(double* p, Doubles v) { std::memcpy(p, &v, sizeof v); }
#endif

// Runs f on every element, kLanes at a time then one by one: f takes and returns
// lanes (double or Doubles) and computes the same operations on either.
template <class F>
inline void Map(int n, const double* __restrict x, double* __restrict y, F f) {
  int i = 0;
#if defined(__GNUC__)
  for (; i + kLanes <= n; i += kLanes) Store(y + i, f(Load(x + i)));
#endif
  for (; i < n; i++) y[i] = f(x[i]);
}

// The same with two inputs.
template <class F>
inline void Map2(int n, const double* __restrict a, const double* __restrict b, double* __restrict y, F f) {
  int i = 0;
#if defined(__GNUC__)
  for (; i + kLanes <= n; i += kLanes) Store(y + i, f(Load(a + i), Load(b + i)));
#endif
  for (; i < n; i++) y[i] = f(a[i], b[i]);
}

template <class V>
inline V LeakyRelu(V x, double slope) {
  return vmath::Select(x > 0.0, x, x * slope);
}

template <class V>
inline V GeluTanhInner(V x) {
  return kTanhScale * (x + kTanhCubic * (x * x * x));
}

template <class V>
inline V GeluTanhGradient(V x, V t) {
  const V left = 0.5 * x;
  const V left_derivative = 0.5 * (1.0 + t);
  const V inner_derivative = kTanhScale * (1.0 + 3.0 * kTanhCubic * (x * x));
  const V right_derivative = left * (1.0 - t * t) * inner_derivative;
  return left_derivative + right_derivative;
}

template <class V>
inline V NormalDensity(V x) {
  return kNormalDensity * vmath::Exp(x * x * -0.5);
}

}  // namespace

void kernels::TanhForward(int n, const double* __restrict x, double* __restrict y) {
  Map(n, x, y, [](auto v) { return vmath::Tanh(v); });
}

void kernels::TanhBackward(int n, const double* __restrict y, const double* __restrict dy, double* __restrict dx) {
  for (int i = 0; i < n; i++) dx[i] = dy[i] * (1.0 - y[i] * y[i]);
}

void kernels::SigmoidForward(int n, const double* __restrict x, double* __restrict y) {
  Map(n, x, y, [](auto v) { return vmath::Sigmoid(v); });
}

void kernels::SigmoidBackward(int n, const double* __restrict y, const double* __restrict dy,
                              double* __restrict dx) {
  for (int i = 0; i < n; i++) dx[i] = dy[i] * (1.0 - y[i]) * y[i];
}

void kernels::LeakyReluForward(int n, double slope, const double* __restrict x, double* __restrict y) {
  Map(n, x, y, [slope](auto v) { return LeakyRelu(v, slope); });
}

void kernels::LeakyReluBackward(int n, double slope, const double* __restrict x, const double* __restrict dy,
                                double* __restrict dx) {
  Map2(n, x, dy, dx, [slope](auto v, auto g) { return vmath::Select(v > 0.0, g, g * slope); });
}

void kernels::GeluForward(int n, bool tanh, const double* __restrict x, double* __restrict y,
                          double* __restrict saved) {
  if (tanh) {
    Map(n, x, saved, [](auto v) { return vmath::Tanh(GeluTanhInner(v)); });
    Map2(n, x, saved, y, [](auto v, auto t) { return 0.5 * v * (1.0 + t); });
    return;
  }
  // erf from libm, one element at a time; the backward pass reads the cdf kept here.
  for (int i = 0; i < n; i++) {
    const double e = std::erf(x[i] * kSqrtHalf);
    y[i] = x[i] * 0.5 * (1.0 + e);
    saved[i] = 0.5 * (1.0 + e);
  }
}

void kernels::GeluBackward(int n, bool tanh, const double* __restrict x, const double* __restrict saved,
                           const double* __restrict dy, double* __restrict dx) {
  if (tanh) {
    Map2(n, x, saved, dx, [](auto v, auto t) { return GeluTanhGradient(v, t); });
  } else {
    Map2(n, x, saved, dx, [](auto v, auto cdf) { return cdf + v * NormalDensity(v); });
  }
  for (int i = 0; i < n; i++) dx[i] = dy[i] * dx[i];
}

Napi::Value TanhForward(const Napi::CallbackInfo& info) {
  kernels::TanhForward(Int(info[0]), Float64Data(info[1]), Float64Data(info[2]));
  return info[2];
}

Napi::Value TanhBackward(const Napi::CallbackInfo& info) {
  kernels::TanhBackward(Int(info[0]), Float64Data(info[1]), Float64Data(info[2]), Float64Data(info[3]));
  return info[3];
}

Napi::Value SigmoidForward(const Napi::CallbackInfo& info) {
  kernels::SigmoidForward(Int(info[0]), Float64Data(info[1]), Float64Data(info[2]));
  return info[2];
}

Napi::Value SigmoidBackward(const Napi::CallbackInfo& info) {
  kernels::SigmoidBackward(Int(info[0]), Float64Data(info[1]), Float64Data(info[2]), Float64Data(info[3]));
  return info[3];
}

Napi::Value LeakyReluForward(const Napi::CallbackInfo& info) {
  kernels::LeakyReluForward(Int(info[0]), Double(info[1]), Float64Data(info[2]), Float64Data(info[3]));
  return info[3];
}

Napi::Value LeakyReluBackward(const Napi::CallbackInfo& info) {
  kernels::LeakyReluBackward(Int(info[0]), Double(info[1]), Float64Data(info[2]), Float64Data(info[3]),
                             Float64Data(info[4]));
  return info[4];
}

Napi::Value GeluForward(const Napi::CallbackInfo& info) {
  kernels::GeluForward(Int(info[0]), Bool(info[1]), Float64Data(info[2]), Float64Data(info[3]), Float64Data(info[4]));
  return info[3];
}

Napi::Value GeluBackward(const Napi::CallbackInfo& info) {
  kernels::GeluBackward(Int(info[0]), Bool(info[1]), Float64Data(info[2]), Float64Data(info[3]),
                        Float64Data(info[4]), Float64Data(info[5]));
  return info[5];
}

}  // namespace blasprop
