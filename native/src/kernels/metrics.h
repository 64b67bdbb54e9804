#pragma once

namespace blasprop {

// The sums behind the metrics (src/kernels/metrics.ts holds the references, the
// validation and the layouts of the sums). Each kernel writes one batch's sums into
// `batch` and merges them into `total`, so that a batch's value and an epoch's come
// from the same code.
namespace kernels {
// batch = [Σ|pred − target|, n].
void MaeSums(int n, const double* pred, const double* target, double* batch, double* total);
void MaeSums(int n, const float* pred, const float* target, double* batch, double* total);
// batch = [Σ(pred − target)², n].
void SquaredErrorSums(int n, const double* pred, const double* target, double* batch, double* total);
void SquaredErrorSums(int n, const float* pred, const float* target, double* batch, double* total);
// batch = [correct, count]. Targets of the predictions' shape: logit > 0 against
// target > 0.5, element by element; one target column for several prediction columns:
// the index of the row's largest logit against the class index.
void AccuracySums(int rows, int pred_cols, int target_cols, const double* pred, const double* target, double* batch,
                  double* total);
void AccuracySums(int rows, int pred_cols, int target_cols, const float* pred, const float* target, double* batch,
                  double* total);
// batch = [rows, then per column: mean of the targets, Σ(target − mean)², Σ(pred − target)²];
// merged into total with Chan's update of the mean and the sum of squared deviations.
void R2Sums(int rows, int cols, const double* pred, const double* target, double* batch, double* total);
void R2Sums(int rows, int cols, const float* pred, const float* target, double* batch, double* total);
}  // namespace kernels

}  // namespace blasprop
