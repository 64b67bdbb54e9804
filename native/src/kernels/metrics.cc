#include "metrics.h"

#include <cmath>

#include "wide_loops.h"

namespace blasprop {

namespace {
template <typename T>
BLASPROP_INLINE void MaeSumsOf(int n, const T* __restrict pred, const T* __restrict target, double* __restrict batch,
                               double* __restrict total) {
  double sum = 0.0;
  for (int i = 0; i < n; i++) sum += std::fabs(static_cast<double>(pred[i]) - target[i]);
  batch[0] = sum;
  batch[1] = n;
  total[0] += sum;
  total[1] += n;
}
}  // namespace

void kernels::MaeSums(int n, const double* __restrict pred, const double* __restrict target, double* __restrict batch,
                      double* __restrict total) {
  MaeSumsOf(n, pred, target, batch, total);
}
void kernels::MaeSums(int n, const float* __restrict pred, const float* __restrict target, double* __restrict batch,
                      double* __restrict total) {
  MaeSumsOf(n, pred, target, batch, total);
}

namespace {
template <typename T>
BLASPROP_INLINE void SquaredErrorSumsOf(int n, const T* __restrict pred, const T* __restrict target,
                                        double* __restrict batch, double* __restrict total) {
  double sum = 0.0;
  for (int i = 0; i < n; i++) {
    const double diff = static_cast<double>(pred[i]) - target[i];
    sum += diff * diff;
  }
  batch[0] = sum;
  batch[1] = n;
  total[0] += sum;
  total[1] += n;
}
}  // namespace

void kernels::SquaredErrorSums(int n, const double* __restrict pred, const double* __restrict target,
                               double* __restrict batch, double* __restrict total) {
  SquaredErrorSumsOf(n, pred, target, batch, total);
}
void kernels::SquaredErrorSums(int n, const float* __restrict pred, const float* __restrict target,
                               double* __restrict batch, double* __restrict total) {
  SquaredErrorSumsOf(n, pred, target, batch, total);
}

namespace {
template <typename T>
BLASPROP_INLINE void AccuracySumsOf(int rows, int pred_cols, int target_cols, const T* __restrict pred,
                                    const T* __restrict target, double* __restrict batch, double* __restrict total) {
  double correct = 0.0;
  double count = 0.0;
  if (target_cols == pred_cols) {
    const long n = static_cast<long>(rows) * pred_cols;
    for (long i = 0; i < n; i++) correct += (pred[i] > 0.0) == (target[i] > 0.5) ? 1.0 : 0.0;
    count = static_cast<double>(n);
  } else {
    for (int r = 0; r < rows; r++) {
      const T* row = pred + static_cast<long>(r) * pred_cols;
      int best = 0;
      for (int c = 1; c < pred_cols; c++) best = row[c] > row[best] ? c : best;
      correct += target[r] == best ? 1.0 : 0.0;
    }
    count = rows;
  }
  batch[0] = correct;
  batch[1] = count;
  total[0] += correct;
  total[1] += count;
}
}  // namespace

void kernels::AccuracySums(int rows, int pred_cols, int target_cols, const double* __restrict pred,
                           const double* __restrict target, double* __restrict batch, double* __restrict total) {
  AccuracySumsOf(rows, pred_cols, target_cols, pred, target, batch, total);
}
void kernels::AccuracySums(int rows, int pred_cols, int target_cols, const float* __restrict pred,
                           const float* __restrict target, double* __restrict batch, double* __restrict total) {
  AccuracySumsOf(rows, pred_cols, target_cols, pred, target, batch, total);
}

namespace {
template <typename T>
BLASPROP_INLINE void R2SumsOf(int rows, int cols, const T* __restrict pred, const T* __restrict target,
                              double* __restrict batch, double* __restrict total) {
  batch[0] = rows;
  const double before = total[0];
  const double after = before + rows;
  for (int c = 0; c < cols; c++) {
    double* b = batch + 1 + 3 * c;
    double* t = total + 1 + 3 * c;
    if (rows == 0) {
      b[0] = b[1] = b[2] = 0.0;
      continue;
    }
    double sum = 0.0;
    for (int r = 0; r < rows; r++) sum += target[static_cast<long>(r) * cols + c];
    const double mean = sum / rows;
    double squares = 0.0;
    double errors = 0.0;
    for (int r = 0; r < rows; r++) {
      const long i = static_cast<long>(r) * cols + c;
      const double deviation = target[i] - mean;
      const double error = static_cast<double>(pred[i]) - target[i];
      squares += deviation * deviation;
      errors += error * error;
    }
    b[0] = mean;
    b[1] = squares;
    b[2] = errors;
    const double delta = mean - t[0];
    t[0] += delta * (rows / after);
    t[1] += squares + delta * delta * (before * rows / after);
    t[2] += errors;
  }
  total[0] = after;
}
}  // namespace

void kernels::R2Sums(int rows, int cols, const double* __restrict pred, const double* __restrict target,
                     double* __restrict batch, double* __restrict total) {
  R2SumsOf(rows, cols, pred, target, batch, total);
}
void kernels::R2Sums(int rows, int cols, const float* __restrict pred, const float* __restrict target,
                     double* __restrict batch, double* __restrict total) {
  R2SumsOf(rows, cols, pred, target, batch, total);
}

}  // namespace blasprop
