#include "activations.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "../arguments.h"

namespace blasprop {

namespace {

// The constants of src/kernels/activations.ts, written as the same decimal literals
// and combined in the same order, so that both sides hold the same doubles.
constexpr double kSqrtHalf = 0.7071067811865476;        // 1/√2
constexpr double kTwoOverSqrtPi = 1.1283791670955126;   // 2/√π
constexpr double kSqrtTwo = 1.4142135623730951;         // √2
constexpr double kNormalDensity = kTwoOverSqrtPi * kSqrtHalf * 0.5;  // 1/√(2π)
constexpr double kTanhScale = kSqrtTwo * kTwoOverSqrtPi * 0.5;       // √(2/π)
constexpr double kTanhCubic = 0.044715;

#if defined(__GNUC__)
// LeakyReLU picks one of two values per element. GCC does not vectorise the scalar
// select, so the main loop uses its vector extensions (as ReLU's kernels do): both
// candidates are computed and the compare mask chooses between their bits.
typedef double Doubles __attribute__((vector_size(16)));
typedef int64_t Mask __attribute__((vector_size(16)));
constexpr int kLanes = sizeof(Doubles) / sizeof(double);

inline Doubles Load(const double* p) {
  Doubles v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

inline void StoreSelect(double* p, Mask pick_first, Doubles first, Doubles second) {
  Mask bits = (reinterpret_cast<Mask>(first) & pick_first) | (reinterpret_cast<Mask>(second) & ~pick_first);
  std::memcpy(p, &bits, sizeof bits);
}
#endif

}  // namespace

void kernels::TanhForward(int n, const double* __restrict x, double* __restrict y) {
  for (int i = 0; i < n; i++) y[i] = std::tanh(x[i]);
}

void kernels::TanhBackward(int n, const double* __restrict y, const double* __restrict dy, double* __restrict dx) {
  for (int i = 0; i < n; i++) dx[i] = dy[i] * (1.0 - y[i] * y[i]);
}

void kernels::SigmoidForward(int n, const double* __restrict x, double* __restrict y) {
  for (int i = 0; i < n; i++) y[i] = 1.0 / (1.0 + std::exp(-x[i]));
}

void kernels::SigmoidBackward(int n, const double* __restrict y, const double* __restrict dy,
                              double* __restrict dx) {
  for (int i = 0; i < n; i++) dx[i] = dy[i] * (1.0 - y[i]) * y[i];
}

void kernels::LeakyReluForward(int n, double slope, const double* __restrict x, double* __restrict y) {
  int i = 0;
#if defined(__GNUC__)
  for (; i + kLanes <= n; i += kLanes) {
    const Doubles v = Load(x + i);
    StoreSelect(y + i, v > 0.0, v, v * slope);
  }
#endif
  for (; i < n; i++) y[i] = x[i] > 0.0 ? x[i] : x[i] * slope;
}

void kernels::LeakyReluBackward(int n, double slope, const double* __restrict x, const double* __restrict dy,
                                double* __restrict dx) {
  int i = 0;
#if defined(__GNUC__)
  for (; i + kLanes <= n; i += kLanes) {
    const Doubles g = Load(dy + i);
    StoreSelect(dx + i, Load(x + i) > 0.0, g, g * slope);
  }
#endif
  for (; i < n; i++) dx[i] = x[i] > 0.0 ? dy[i] : dy[i] * slope;
}

void kernels::GeluForward(int n, bool tanh, const double* __restrict x, double* __restrict y) {
  if (tanh) {
    for (int i = 0; i < n; i++) {
      const double v = x[i];
      const double inner = kTanhScale * (v + kTanhCubic * (v * v * v));
      y[i] = 0.5 * v * (1.0 + std::tanh(inner));
    }
    return;
  }
  for (int i = 0; i < n; i++) y[i] = x[i] * 0.5 * (1.0 + std::erf(x[i] * kSqrtHalf));
}

void kernels::GeluBackward(int n, bool tanh, const double* __restrict x, const double* __restrict dy,
                           double* __restrict dx) {
  if (tanh) {
    for (int i = 0; i < n; i++) {
      const double v = x[i];
      const double square = v * v;
      const double inner = kTanhScale * (v + kTanhCubic * (square * v));
      const double t = std::tanh(inner);
      const double left = 0.5 * v;
      const double left_derivative = 0.5 * (1.0 + t);
      const double inner_derivative = kTanhScale * (1.0 + 3.0 * kTanhCubic * square);
      const double right_derivative = left * (1.0 - t * t) * inner_derivative;
      dx[i] = dy[i] * (left_derivative + right_derivative);
    }
    return;
  }
  for (int i = 0; i < n; i++) {
    const double v = x[i];
    const double cdf = 0.5 * (1.0 + std::erf(v * kSqrtHalf));
    const double pdf = kNormalDensity * std::exp(v * v * -0.5);
    dx[i] = dy[i] * (cdf + v * pdf);
  }
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
  kernels::GeluForward(Int(info[0]), Bool(info[1]), Float64Data(info[2]), Float64Data(info[3]));
  return info[3];
}

Napi::Value GeluBackward(const Napi::CallbackInfo& info) {
  kernels::GeluBackward(Int(info[0]), Bool(info[1]), Float64Data(info[2]), Float64Data(info[3]),
                        Float64Data(info[4]));
  return info[4];
}

}  // namespace blasprop
