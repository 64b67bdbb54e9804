#include "blas_routines.h"

#include "arguments.h"
#include "fork_guard.h"
#include "openblas.h"

namespace blasprop {

namespace {
CBLAS_TRANSPOSE Transpose(const Napi::Value& value) { return Bool(value) ? CblasTrans : CblasNoTrans; }

// y = beta·y over `count` elements `inc` apart, the way reference BLAS scales an output
// it does not otherwise update: zeros for beta = 0 without reading y, nothing for beta = 1.
void Scale(int count, double beta, double* y, int inc) {
  if (beta == 1.0) return;
  for (int i = 0; i < count; i++) {
    double& yi = y[static_cast<size_t>(i) * inc];
    yi = beta == 0.0 ? 0.0 : beta * yi;
  }
}
}  // namespace

// dgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
// When there is no product to form (alpha = 0, k = 0, or an empty C) reference BLAS
// only scales C, never reading A or B. OpenBLAS does not always: its small-matrix
// kernels for SkylakeX and Cooperlake (0.3.21) multiply A·B by alpha = 0, so a NaN or
// an infinity in A or B reaches C. Which kernels run depends on the CPU and on
// OPENBLAS_CORETYPE, so those cases are computed here and never reach OpenBLAS.
Napi::Value Dgemm(const Napi::CallbackInfo& info) {
  BlasCallScope scope;
  const CBLAS_TRANSPOSE transA = Transpose(info[0]);
  const CBLAS_TRANSPOSE transB = Transpose(info[1]);
  const int m = Int(info[2]);
  const int n = Int(info[3]);
  const int k = Int(info[4]);
  const double alpha = Double(info[5]);
  const double* a = Float64Data(info[6]);
  const int lda = Int(info[7]);
  const double* b = Float64Data(info[8]);
  const int ldb = Int(info[9]);
  const double beta = Double(info[10]);
  double* c = Float64Data(info[11]);
  const int ldc = Int(info[12]);
  if (alpha == 0.0 || k == 0 || m == 0 || n == 0) {
    for (int i = 0; i < m; i++) Scale(n, beta, c + static_cast<size_t>(i) * ldc, 1);
  } else {
    cblas_dgemm(CblasRowMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
  return info[11];
}

// dgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy)
// With alpha = 0, or when op(A) has no columns (n = 0, or m = 0 transposed), y becomes
// beta·y, zeros for beta = 0, without reading A or x, as dgemm does. BLAS itself
// returns without touching y for an empty op(A); blasprop defines beta·y there so that
// an empty product behaves like any other. Both cases are computed here rather than
// left to whichever OpenBLAS build and kernel the addon runs on, as in dgemm.
Napi::Value Dgemv(const Napi::CallbackInfo& info) {
  BlasCallScope scope;
  const CBLAS_TRANSPOSE trans = Transpose(info[0]);
  const int m = Int(info[1]);
  const int n = Int(info[2]);
  const double alpha = Double(info[3]);
  const double* a = Float64Data(info[4]);
  const int lda = Int(info[5]);
  const double* x = Float64Data(info[6]);
  const int incx = Int(info[7]);
  const double beta = Double(info[8]);
  double* y = Float64Data(info[9]);
  const int incy = Int(info[10]);
  const int inner = trans == CblasTrans ? m : n;  // op(A)'s columns: x's length
  const int outer = trans == CblasTrans ? n : m;  // op(A)'s rows: y's length
  if (alpha == 0.0 || inner == 0) {
    Scale(outer, beta, y, incy);
  } else {
    cblas_dgemv(CblasRowMajor, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
  }
  return info[9];
}

// daxpy(n, alpha, x, incx, y, incy)
// alpha = 0 leaves y as it is without reading x (a NaN or an infinity in x must not
// reach y), decided here for the same reason as in dgemm.
Napi::Value Daxpy(const Napi::CallbackInfo& info) {
  BlasCallScope scope;
  const int n = Int(info[0]);
  const double alpha = Double(info[1]);
  const double* x = Float64Data(info[2]);
  const int incx = Int(info[3]);
  double* y = Float64Data(info[4]);
  const int incy = Int(info[5]);
  if (alpha != 0.0) cblas_daxpy(n, alpha, x, incx, y, incy);
  return info[4];
}

// dscal(n, alpha, x, incx)
// x = alpha·x is a plain IEEE multiplication, as in reference BLAS: with alpha = 0, a NaN
// or an infinity in x becomes NaN. OpenBLAS releases disagree on that case (before
// 0.3.28 its kernels overwrite x with zeros), so it is computed here rather than left
// to whichever OpenBLAS the addon is linked against.
Napi::Value Dscal(const Napi::CallbackInfo& info) {
  BlasCallScope scope;
  const int n = Int(info[0]);
  const double alpha = Double(info[1]);
  double* x = Float64Data(info[2]);
  const int incx = Int(info[3]);
  if (alpha == 0.0) {
    for (int i = 0; i < n; i++) x[static_cast<size_t>(i) * incx] *= alpha;
  } else {
    cblas_dscal(n, alpha, x, incx);
  }
  return info[2];
}

}  // namespace blasprop
