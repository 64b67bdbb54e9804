#include "losses.h"

#include <cmath>
#include <limits>

#include "wide_loops.h"

namespace blasprop {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

inline double Scale(bool mean, double count) { return mean && count > 0 ? 1.0 / count : 1.0; }

inline double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

namespace {
template <typename T>
BLASPROP_INLINE void MseLossOf(int n, bool mean, const T* __restrict pred, const T* __restrict target,
                               T* __restrict grad, double* __restrict out) {
  const double scale = Scale(mean, n);
  const double grad_scale = 2.0 * scale;
  double sum = 0.0;
  for (int i = 0; i < n; i++) {
    const double diff = static_cast<double>(pred[i]) - target[i];
    sum += diff * diff;
    grad[i] = grad_scale * diff;
  }
  out[0] = sum * scale;
}
}  // namespace

void kernels::MseLoss(int n, bool mean, const double* __restrict pred, const double* __restrict target,
                      double* __restrict grad, double* __restrict out) {
  MseLossOf(n, mean, pred, target, grad, out);
}
void kernels::MseLoss(int n, bool mean, const float* __restrict pred, const float* __restrict target,
                      float* __restrict grad, double* __restrict out) {
  MseLossOf(n, mean, pred, target, grad, out);
}

namespace {
template <typename T>
BLASPROP_INLINE void L1LossOf(int n, bool mean, const T* __restrict pred, const T* __restrict target,
                              T* __restrict grad, double* __restrict out) {
  const double scale = Scale(mean, n);
  double sum = 0.0;
  for (int i = 0; i < n; i++) {
    const double diff = static_cast<double>(pred[i]) - target[i];
    sum += std::fabs(diff);
    // The sign of the difference (0 at 0, NaN for NaN), scaled.
    grad[i] = diff > 0.0 ? scale : diff < 0.0 ? -scale : diff * scale;
  }
  out[0] = sum * scale;
}
}  // namespace

void kernels::L1Loss(int n, bool mean, const double* __restrict pred, const double* __restrict target,
                     double* __restrict grad, double* __restrict out) {
  L1LossOf(n, mean, pred, target, grad, out);
}
void kernels::L1Loss(int n, bool mean, const float* __restrict pred, const float* __restrict target,
                     float* __restrict grad, double* __restrict out) {
  L1LossOf(n, mean, pred, target, grad, out);
}

namespace {
template <typename T>
BLASPROP_INLINE void HuberLossOf(int n, bool mean, double delta, const T* __restrict pred, const T* __restrict target,
                                 T* __restrict grad, double* __restrict out) {
  const double scale = Scale(mean, n);
  const double bound = scale * delta;
  const double half_delta = 0.5 * delta;
  double sum = 0.0;
  for (int i = 0; i < n; i++) {
    const double diff = static_cast<double>(pred[i]) - target[i];
    const double z = std::fabs(diff);
    sum += z < delta ? 0.5 * z * z : delta * (z - half_delta);
    grad[i] = diff <= -delta ? -bound : diff >= delta ? bound : scale * diff;
  }
  out[0] = sum * scale;
}
}  // namespace

void kernels::HuberLoss(int n, bool mean, double delta, const double* __restrict pred, const double* __restrict target,
                        double* __restrict grad, double* __restrict out) {
  HuberLossOf(n, mean, delta, pred, target, grad, out);
}
void kernels::HuberLoss(int n, bool mean, double delta, const float* __restrict pred, const float* __restrict target,
                        float* __restrict grad, double* __restrict out) {
  HuberLossOf(n, mean, delta, pred, target, grad, out);
}

namespace {
template <typename T>
BLASPROP_INLINE void BceWithLogitsLossOf(int rows, int cols, bool mean, const double* __restrict pos_weight,
                                         const T* __restrict pred, const T* __restrict target, T* __restrict grad,
                                         double* __restrict out) {
  const double scale = Scale(mean, static_cast<double>(rows) * cols);
  double sum = 0.0;
  for (int r = 0; r < rows; r++) {
    for (int c = 0; c < cols; c++) {
      const int i = r * cols + c;
      const double x = pred[i];
      const double y = target[i];
      const double w = pos_weight[c];
      // softplus(−x) = log(1 + exp(−x)), without overflow for either sign of x.
      const double softplus = std::log1p(std::exp(-std::fabs(x))) + (x < 0.0 ? -x : 0.0);
      const double log_weight = (w - 1.0) * y + 1.0;
      sum += (1.0 - y) * x + log_weight * softplus;
      const double weighted = w * y;
      grad[i] = ((weighted + 1.0 - y) * Sigmoid(x) - weighted) * scale;
    }
  }
  out[0] = sum * scale;
}
}  // namespace

void kernels::BceWithLogitsLoss(int rows, int cols, bool mean, const double* __restrict pos_weight,
                                const double* __restrict pred, const double* __restrict target, double* __restrict grad,
                                double* __restrict out) {
  BceWithLogitsLossOf(rows, cols, mean, pos_weight, pred, target, grad, out);
}
void kernels::BceWithLogitsLoss(int rows, int cols, bool mean, const double* __restrict pos_weight,
                                const float* __restrict pred, const float* __restrict target, float* __restrict grad,
                                double* __restrict out) {
  BceWithLogitsLossOf(rows, cols, mean, pos_weight, pred, target, grad, out);
}

namespace {
template <typename T>
BLASPROP_INLINE void CrossEntropyLossOf(int rows, int cols, bool mean, double smoothing,
                                        const double* __restrict weight, const T* __restrict pred,
                                        const T* __restrict target, T* __restrict grad, double* __restrict out) {
  double weight_sum = 0.0;
  for (int c = 0; c < cols; c++) weight_sum += weight[c];
  const double keep = 1.0 - smoothing;
  const double spread = smoothing / cols;
  double total = 0.0;
  double denominator = 0.0;
  for (int r = 0; r < rows; r++) {
    const T* x = pred + static_cast<long>(r) * cols;
    T* g = grad + static_cast<long>(r) * cols;
    const double t = target[r];
    if (!(t >= 0.0 && t < cols && t == std::floor(t))) {
      for (int c = 0; c < cols; c++) g[c] = kNaN;
      total += kNaN;
      continue;
    }
    const int k = static_cast<int>(t);
    double largest = x[0];
    for (int c = 1; c < cols; c++) largest = x[c] > largest ? x[c] : largest;
    double exp_sum = 0.0;
    for (int c = 0; c < cols; c++) {
      const double e = std::exp(x[c] - largest);
      g[c] = e;
      exp_sum += e;
    }
    const double log_sum = std::log(exp_sum);
    double smoothed = 0.0;
    for (int c = 0; c < cols; c++) smoothed += -(x[c] - largest - log_sum) * weight[c];
    const double w = weight[k];
    total += keep * (-(x[k] - largest - log_sum) * w) + spread * smoothed;
    denominator += w;
    for (int c = 0; c < cols; c++) {
      const double p = g[c] / exp_sum;
      g[c] = keep * w * (c == k ? p - 1.0 : p) + spread * (weight_sum * p - weight[c]);
    }
  }
  const double scale = mean && rows > 0 ? 1.0 / denominator : 1.0;
  const long count = static_cast<long>(rows) * cols;
  for (long i = 0; i < count; i++) grad[i] *= scale;
  out[0] = total * scale;
}
}  // namespace

void kernels::CrossEntropyLoss(int rows, int cols, bool mean, double smoothing, const double* __restrict weight,
                               const double* __restrict pred, const double* __restrict target, double* __restrict grad,
                               double* __restrict out) {
  CrossEntropyLossOf(rows, cols, mean, smoothing, weight, pred, target, grad, out);
}
void kernels::CrossEntropyLoss(int rows, int cols, bool mean, double smoothing, const double* __restrict weight,
                               const float* __restrict pred, const float* __restrict target, float* __restrict grad,
                               double* __restrict out) {
  CrossEntropyLossOf(rows, cols, mean, smoothing, weight, pred, target, grad, out);
}

namespace {
template <typename T>
BLASPROP_INLINE void SoftmaxRowsOf(int rows, int cols, const T* __restrict x, T* __restrict y) {
  for (int r = 0; r < rows; r++) {
    const T* row = x + static_cast<long>(r) * cols;
    T* out = y + static_cast<long>(r) * cols;
    double largest = row[0];
    for (int c = 1; c < cols; c++) largest = row[c] > largest ? row[c] : largest;
    double sum = 0.0;
    for (int c = 0; c < cols; c++) {
      out[c] = std::exp(row[c] - largest);
      sum += out[c];
    }
    for (int c = 0; c < cols; c++) out[c] /= sum;
  }
}
}  // namespace

void kernels::SoftmaxRows(int rows, int cols, const double* __restrict x, double* __restrict y) {
  SoftmaxRowsOf(rows, cols, x, y);
}
void kernels::SoftmaxRows(int rows, int cols, const float* __restrict x, float* __restrict y) {
  SoftmaxRowsOf(rows, cols, x, y);
}

namespace {
template <typename T>
BLASPROP_INLINE void ArgmaxRowsOf(int rows, int cols, const T* __restrict x, T* __restrict out) {
  for (int r = 0; r < rows; r++) {
    const T* row = x + static_cast<long>(r) * cols;
    int best = 0;
    for (int c = 1; c < cols; c++) best = row[c] > row[best] ? c : best;
    out[r] = best;
  }
}
}  // namespace

void kernels::ArgmaxRows(int rows, int cols, const double* __restrict x, double* __restrict out) {
  ArgmaxRowsOf(rows, cols, x, out);
}
void kernels::ArgmaxRows(int rows, int cols, const float* __restrict x, float* __restrict out) {
  ArgmaxRowsOf(rows, cols, x, out);
}

namespace {
template <typename T>
BLASPROP_INLINE void PositiveIndicatorOf(int n, const T* __restrict x, T* __restrict y) {
  for (int i = 0; i < n; i++) y[i] = x[i] > 0.0 ? 1.0 : 0.0;
}
}  // namespace

void kernels::PositiveIndicator(int n, const double* __restrict x, double* __restrict y) {
  PositiveIndicatorOf(n, x, y);
}
void kernels::PositiveIndicator(int n, const float* __restrict x, float* __restrict y) { PositiveIndicatorOf(n, x, y); }

}  // namespace blasprop
