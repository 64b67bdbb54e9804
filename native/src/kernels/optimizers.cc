#include "optimizers.h"

#include <cmath>

#include "wide_loops.h"

namespace blasprop {

double kernels::Powi(double base, double exponent) {
  double result = 1.0;
  double square = base;
  double e = exponent;
  while (e > 0.0) {
    const double half = std::floor(e / 2.0);
    if (e != 2.0 * half) result *= square;
    square *= square;
    e = half;
  }
  return result;
}

void kernels::SgdBegin(double* hyper) { hyper[kernels::sgd::kStep] += 1.0; }

namespace {
template <typename T>
BLASPROP_INLINE void SgdUpdateOf(int n, const double* hyper, T* __restrict param, const T* __restrict grad,
                                 T* __restrict momentum_buffer) {
  const double lr = hyper[kernels::sgd::kLr];
  const double momentum = hyper[kernels::sgd::kMomentum];
  const double weight_decay = hyper[kernels::sgd::kWeightDecay];
  const bool nesterov = hyper[kernels::sgd::kNesterov] != 0.0;
  // PyTorch starts the momentum buffer at the first step's gradient, undamped: from
  // a zero buffer that is momentum·0 + 1·g.
  const double keep = hyper[kernels::sgd::kStep] <= 1.0 ? 1.0 : 1.0 - hyper[kernels::sgd::kDampening];
  const double step = -lr;
  // One loop per combination of settings, each simple enough for the compiler to vectorise.
  if (momentum == 0.0) {
    if (weight_decay == 0.0) {
      for (int i = 0; i < n; i++) param[i] = param[i] + step * grad[i];
    } else {
      for (int i = 0; i < n; i++) param[i] = param[i] + step * (grad[i] + weight_decay * param[i]);
    }
    return;
  }
  for (int i = 0; i < n; i++) {
    const double g = weight_decay == 0.0 ? grad[i] : grad[i] + weight_decay * param[i];
    const double b = momentum_buffer[i] * momentum + keep * g;
    momentum_buffer[i] = b;
    param[i] = param[i] + step * (nesterov ? g + momentum * b : b);
  }
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::SgdUpdate(int n, const double* hyper, double* __restrict param,
                                            const double* __restrict grad, double* __restrict momentum_buffer) {
  SgdUpdateOf(n, hyper, param, grad, momentum_buffer);
}
BLASPROP_WIDE_LOOPS void kernels::SgdUpdate(int n, const double* hyper, float* __restrict param,
                                            const float* __restrict grad, float* __restrict momentum_buffer) {
  SgdUpdateOf(n, hyper, param, grad, momentum_buffer);
}

void kernels::AdamBegin(double* hyper) {
  using namespace kernels::adam;
  const double step = hyper[kStep] + 1.0;
  hyper[kStep] = step;
  const double correction1 = 1.0 - Powi(hyper[kBeta1], step);
  const double correction2 = 1.0 - Powi(hyper[kBeta2], step);
  hyper[kStepSize] = hyper[kLr] / correction1;
  hyper[kBiasCorrection2Sqrt] = std::sqrt(correction2);
  hyper[kDecay] = 1.0 - hyper[kLr] * hyper[kWeightDecay];
}

namespace {
template <typename T>
BLASPROP_INLINE void AdamUpdateOf(int n, const double* hyper, T* __restrict param, const T* __restrict grad,
                                  T* __restrict exp_avg, T* __restrict exp_avg_sq, T* __restrict max_exp_avg_sq) {
  using namespace kernels::adam;
  const double beta1 = hyper[kBeta1];
  const double beta2 = hyper[kBeta2];
  const double eps = hyper[kEps];
  const double weight_decay = hyper[kWeightDecay];
  const bool amsgrad = hyper[kAmsgrad] != 0.0;
  const bool decoupled = hyper[kDecoupled] != 0.0;
  const double step = -hyper[kStepSize];
  const double correction2_sqrt = hyper[kBiasCorrection2Sqrt];
  const double decay = hyper[kDecay];
  const double keep1 = 1.0 - beta1;
  const double keep2 = 1.0 - beta2;
  for (int i = 0; i < n; i++) {
    double g = grad[i];
    double p = param[i];
    if (decoupled) {
      p = p * decay;
    } else if (weight_decay != 0.0) {
      g = g + weight_decay * p;
    }
    const double m = exp_avg[i] * beta1 + keep1 * g;
    const double v = exp_avg_sq[i] * beta2 + keep2 * g * g;
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    double second = v;
    if (amsgrad) {
      // torch.maximum: NaN wins.
      const double previous = max_exp_avg_sq[i];
      second = v > previous || v != v ? v : previous;
      max_exp_avg_sq[i] = second;
    }
    const double denominator = std::sqrt(second) / correction2_sqrt + eps;
    param[i] = p + step * m / denominator;
  }
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::AdamUpdate(int n, const double* hyper, double* __restrict param,
                                             const double* __restrict grad, double* __restrict exp_avg,
                                             double* __restrict exp_avg_sq, double* __restrict max_exp_avg_sq) {
  AdamUpdateOf(n, hyper, param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq);
}
BLASPROP_WIDE_LOOPS void kernels::AdamUpdate(int n, const double* hyper, float* __restrict param,
                                             const float* __restrict grad, float* __restrict exp_avg,
                                             float* __restrict exp_avg_sq, float* __restrict max_exp_avg_sq) {
  AdamUpdateOf(n, hyper, param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq);
}

namespace {
template <typename T>
BLASPROP_INLINE void RmspropUpdateOf(int n, const double* hyper, T* __restrict param, const T* __restrict grad,
                                     T* __restrict square_avg, T* __restrict grad_avg, T* __restrict momentum_buffer) {
  using namespace kernels::rmsprop;
  const double lr = hyper[kLr];
  const double alpha = hyper[kAlpha];
  const double eps = hyper[kEps];
  const double weight_decay = hyper[kWeightDecay];
  const double momentum = hyper[kMomentum];
  const bool centered = hyper[kCentered] != 0.0;
  const double keep = 1.0 - alpha;
  const double step = -lr;
  for (int i = 0; i < n; i++) {
    double g = grad[i];
    if (weight_decay != 0.0) g = g + weight_decay * param[i];
    const double square = square_avg[i] * alpha + keep * g * g;
    square_avg[i] = square;
    double average;
    if (centered) {
      const double mean = grad_avg[i] * alpha + keep * g;
      grad_avg[i] = mean;
      average = std::sqrt(square + -1.0 * mean * mean);
    } else {
      average = std::sqrt(square);
    }
    average = average + eps;
    if (momentum > 0.0) {
      const double b = momentum_buffer[i] * momentum + g / average;
      momentum_buffer[i] = b;
      param[i] = param[i] + step * b;
    } else {
      param[i] = param[i] + step * g / average;
    }
  }
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::RmspropUpdate(int n, const double* hyper, double* __restrict param,
                                                const double* __restrict grad, double* __restrict square_avg,
                                                double* __restrict grad_avg, double* __restrict momentum_buffer) {
  RmspropUpdateOf(n, hyper, param, grad, square_avg, grad_avg, momentum_buffer);
}
BLASPROP_WIDE_LOOPS void kernels::RmspropUpdate(int n, const double* hyper, float* __restrict param,
                                                const float* __restrict grad, float* __restrict square_avg,
                                                float* __restrict grad_avg, float* __restrict momentum_buffer) {
  RmspropUpdateOf(n, hyper, param, grad, square_avg, grad_avg, momentum_buffer);
}

}  // namespace blasprop
