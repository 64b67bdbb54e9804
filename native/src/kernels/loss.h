#pragma once

namespace blasprop::kernels {

// MSELoss's loop and the mae metric's (src/kernels/loss.ts): sums left to right, as
// the references do, so that both give the same bits.
void MseLoss(int n, double scale, const double* pred, const double* target, double* grad, double* loss);
void MaeSums(int n, const double* pred, const double* target, double* sums);

}  // namespace blasprop::kernels
