#pragma once

namespace blasprop {

// The losses' loops: each writes the reduced loss into out[0] and d loss / d pred
// into grad in one pass over the batch (src/kernels/losses.ts holds the references
// and the validation). With `mean`, the loss and gradient are divided by the number of
// elements (by the summed weights of the target classes for cross-entropy); an empty
// batch has loss 0. Sums run left to right, as in the references.
namespace kernels {
void MseLoss(int n, bool mean, const double* pred, const double* target, double* grad, double* out);
void MseLoss(int n, bool mean, const float* pred, const float* target, float* grad, double* out);
void L1Loss(int n, bool mean, const double* pred, const double* target, double* grad, double* out);
void L1Loss(int n, bool mean, const float* pred, const float* target, float* grad, double* out);
void HuberLoss(int n, bool mean, double delta, const double* pred, const double* target, double* grad, double* out);
void HuberLoss(int n, bool mean, double delta, const float* pred, const float* target, float* grad, double* out);
// Logits pred and targets in [0, 1], rows × cols, with one positive weight per column.
void BceWithLogitsLoss(int rows, int cols, bool mean, const double* pos_weight, const double* pred,
                       const double* target, double* grad, double* out);
void BceWithLogitsLoss(int rows, int cols, bool mean, const double* pos_weight, const float* pred, const float* target,
                       float* grad, double* out);
// Logits pred (rows × cols), class indices target (rows), one weight per class. A
// target that is not a class index (never passed by the library, which validates
// them) makes the loss and its row's gradient NaN rather than be read out of bounds.
void CrossEntropyLoss(int rows, int cols, bool mean, double smoothing, const double* weight, const double* pred,
                      const double* target, double* grad, double* out);
void CrossEntropyLoss(int rows, int cols, bool mean, double smoothing, const double* weight, const float* pred,
                      const float* target, float* grad, double* out);
// y = the softmax of each row of x.
void SoftmaxRows(int rows, int cols, const double* x, double* y);
void SoftmaxRows(int rows, int cols, const float* x, float* y);
// out[r] = the index of the first largest entry of row r of x.
void ArgmaxRows(int rows, int cols, const double* x, double* out);
void ArgmaxRows(int rows, int cols, const float* x, float* out);
// y = 1 where x > 0, else 0: the classes of binary logits.
void PositiveIndicator(int n, const double* x, double* y);
void PositiveIndicator(int n, const float* x, float* y);
}  // namespace kernels

}  // namespace blasprop
