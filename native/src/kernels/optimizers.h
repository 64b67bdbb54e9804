#pragma once

namespace blasprop {

// The optimizers' updates. Every number that can change between steps (the learning
// rate, the step count, Adam's bias corrections) is read from the optimizer's
// hyper-parameter buffer, whose layout is fixed by src/kernels/optimizers.ts (the
// references and validation); a `Begin` kernel advances its per-step values once
// per step, then an update kernel runs once per parameter, in place.
namespace kernels {
// SGD: [lr, momentum, dampening, weightDecay, nesterov, step].
namespace sgd {
enum { kLr, kMomentum, kDampening, kWeightDecay, kNesterov, kStep, kLength };
}
// Adam and AdamW: [lr, beta1, beta2, eps, weightDecay, amsgrad, decoupled, step,
// stepSize = lr / (1 − beta1^step), √(1 − beta2^step), decay = 1 − lr·weightDecay].
namespace adam {
enum {
  kLr,
  kBeta1,
  kBeta2,
  kEps,
  kWeightDecay,
  kAmsgrad,
  kDecoupled,
  kStep,
  kStepSize,
  kBiasCorrection2Sqrt,
  kDecay,
  kLength
};
}
// RMSprop: [lr, alpha, eps, weightDecay, momentum, centered].
namespace rmsprop {
enum { kLr, kAlpha, kEps, kWeightDecay, kMomentum, kCentered, kLength };
}

void SgdBegin(double* hyper);
// momentum_buffer is read and written only when the momentum is not 0.
void SgdUpdate(int n, const double* hyper, double* param, const double* grad, double* momentum_buffer);
void SgdUpdate(int n, const double* hyper, float* param, const float* grad, float* momentum_buffer);
void AdamBegin(double* hyper);
// max_exp_avg_sq is read and written only with amsgrad.
void AdamUpdate(int n, const double* hyper, double* param, const double* grad, double* exp_avg, double* exp_avg_sq,
                double* max_exp_avg_sq);
void AdamUpdate(int n, const double* hyper, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
                float* max_exp_avg_sq);
// grad_avg only when centered, momentum_buffer only with momentum.
void RmspropUpdate(int n, const double* hyper, double* param, const double* grad, double* square_avg,
                   double* grad_avg, double* momentum_buffer);
void RmspropUpdate(int n, const double* hyper, float* param, const float* grad, float* square_avg, float* grad_avg,
                   float* momentum_buffer);
// base^exponent by repeated squaring, for a whole exponent >= 0 (as powi in the references).
double Powi(double base, double exponent);
}  // namespace kernels

}  // namespace blasprop
