#include "blas_routines.h"

#include <cstddef>

#include "openblas.h"

namespace blasprop::blas {

namespace {
CBLAS_TRANSPOSE Transpose(bool trans) { return trans ? CblasTrans : CblasNoTrans; }

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

// When there is no product to form (alpha = 0, k = 0, or an empty C) reference BLAS
// only scales C, never reading A or B. OpenBLAS does not always: its small-matrix
// kernels for SkylakeX and Cooperlake (0.3.21) multiply A·B by alpha = 0, so a NaN or
// an infinity in A or B reaches C. Which kernels run depends on the CPU and on
// OPENBLAS_CORETYPE, so those cases are computed here and never reach OpenBLAS.
void Dgemm(bool trans_a, bool trans_b, int m, int n, int k, double alpha, const double* a, int lda, const double* b,
           int ldb, double beta, double* c, int ldc) {
  if (alpha == 0.0 || k == 0 || m == 0 || n == 0) {
    for (int i = 0; i < m; i++) Scale(n, beta, c + static_cast<size_t>(i) * ldc, 1);
  } else {
    cblas_dgemm(CblasRowMajor, Transpose(trans_a), Transpose(trans_b), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
}

// With alpha = 0, or when op(A) has no columns (n = 0, or m = 0 transposed), y becomes
// beta·y, zeros for beta = 0, without reading A or x, as dgemm does. BLAS itself
// returns without touching y for an empty op(A); blasprop defines beta·y there so that
// an empty product behaves like any other. Both cases are computed here rather than
// left to whichever OpenBLAS build and kernel the addon runs on, as in dgemm.
void Dgemv(bool trans, int m, int n, double alpha, const double* a, int lda, const double* x, int incx, double beta,
           double* y, int incy) {
  const int inner = trans ? m : n;  // op(A)'s columns: x's length
  const int outer = trans ? n : m;  // op(A)'s rows: y's length
  if (alpha == 0.0 || inner == 0) {
    Scale(outer, beta, y, incy);
  } else {
    cblas_dgemv(CblasRowMajor, Transpose(trans), m, n, alpha, a, lda, x, incx, beta, y, incy);
  }
}

// alpha = 0 leaves y as it is without reading x (a NaN or an infinity in x must not
// reach y), decided here for the same reason as in dgemm.
void Daxpy(int n, double alpha, const double* x, int incx, double* y, int incy) {
  if (alpha != 0.0) cblas_daxpy(n, alpha, x, incx, y, incy);
}

// x = alpha·x is a plain IEEE multiplication, as in reference BLAS: with alpha = 0, a NaN
// or an infinity in x becomes NaN. OpenBLAS releases disagree on that case (before
// 0.3.28 its kernels overwrite x with zeros), so it is computed here rather than left
// to whichever OpenBLAS the addon is linked against.
void Dscal(int n, double alpha, double* x, int incx) {
  if (alpha == 0.0) {
    for (int i = 0; i < n; i++) x[static_cast<size_t>(i) * incx] *= alpha;
  } else {
    cblas_dscal(n, alpha, x, incx);
  }
}

}  // namespace blasprop::blas
