#include "loss.h"

#include <cmath>

namespace blasprop::kernels {

void MseLoss(int n, double scale, const double* pred, const double* target, double* grad, double* loss) {
  const double grad_scale = 2 * scale;
  double sum = 0;
  for (int i = 0; i < n; i++) {
    const double diff = pred[i] - target[i];
    sum += diff * diff;
    grad[i] = grad_scale * diff;
  }
  loss[0] = sum * scale;
}

void MaeSums(int n, const double* pred, const double* target, double* sums) {
  double total = 0;
  for (int i = 0; i < n; i++) total += std::fabs(pred[i] - target[i]);
  sums[0] += total;
  sums[1] += n;
}

}  // namespace blasprop::kernels
