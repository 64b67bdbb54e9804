#include "blas_routines.h"

#include <cstddef>

#include "openblas.h"

namespace blasprop::blas {

namespace {
CBLAS_TRANSPOSE Transpose(bool trans) { return trans ? CblasTrans : CblasNoTrans; }

// The CBLAS routine of each precision under one name, so that every routine below is
// written once, as a template over the element type.
void Gemm(CBLAS_TRANSPOSE transA, CBLAS_TRANSPOSE transB, int m, int n, int k, float alpha, const float* a, int lda,
          const float* b, int ldb, float beta, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void Gemm(CBLAS_TRANSPOSE transA, CBLAS_TRANSPOSE transB, int m, int n, int k, double alpha, const double* a, int lda,
          const double* b, int ldb, double beta, double* c, int ldc) {
  cblas_dgemm(CblasRowMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void Gemv(CBLAS_TRANSPOSE trans, int m, int n, float alpha, const float* a, int lda, const float* x, int incx,
          float beta, float* y, int incy) {
  cblas_sgemv(CblasRowMajor, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
void Gemv(CBLAS_TRANSPOSE trans, int m, int n, double alpha, const double* a, int lda, const double* x, int incx,
          double beta, double* y, int incy) {
  cblas_dgemv(CblasRowMajor, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
void Axpy(int n, float alpha, const float* x, int incx, float* y, int incy) { cblas_saxpy(n, alpha, x, incx, y, incy); }
void Axpy(int n, double alpha, const double* x, int incx, double* y, int incy) {
  cblas_daxpy(n, alpha, x, incx, y, incy);
}
void Scal(int n, float alpha, float* x, int incx) { cblas_sscal(n, alpha, x, incx); }
void Scal(int n, double alpha, double* x, int incx) { cblas_dscal(n, alpha, x, incx); }

// y = beta·y over `count` elements `inc` apart, the way reference BLAS scales an output
// it does not otherwise update: zeros for beta = 0 without reading y, nothing for beta = 1.
template <typename T>
void Scale(int count, T beta, T* y, int inc) {
  if (beta == T(1)) return;
  for (int i = 0; i < count; i++) {
    T& yi = y[static_cast<size_t>(i) * inc];
    yi = beta == T(0) ? T(0) : beta * yi;
  }
}

// A float routine's scalars arrive rounded to float (kernel.h), as Math.fround rounds
// them; validation has made sure they stay finite. The special cases below test the
// rounded value, which is the one the product is formed with.

// When there is no product to form (alpha = 0, k = 0, or an empty C) reference BLAS
// only scales C, never reading A or B. OpenBLAS does not always: its small-matrix
// kernels for SkylakeX and Cooperlake (0.3.21) multiply A·B by alpha = 0, so a NaN or
// an infinity in A or B reaches C. Which kernels run depends on the CPU and on
// OPENBLAS_CORETYPE, so those cases are computed here and never reach OpenBLAS.
template <typename T>
void GemmOf(bool trans_a, bool trans_b, int m, int n, int k, T alpha, const T* a, int lda, const T* b, int ldb, T beta,
            T* c, int ldc) {
  if (alpha == T(0) || k == 0 || m == 0 || n == 0) {
    for (int i = 0; i < m; i++) Scale(n, beta, c + static_cast<size_t>(i) * ldc, 1);
  } else {
    Gemm(Transpose(trans_a), Transpose(trans_b), m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
}

// With alpha = 0, or when op(A) has no columns (n = 0, or m = 0 transposed), y becomes
// beta·y, zeros for beta = 0, without reading A or x, as gemm does. BLAS itself
// returns without touching y for an empty op(A); blasprop defines beta·y there so that
// an empty product behaves like any other. Both cases are computed here rather than
// left to whichever OpenBLAS build and kernel the addon runs on, as in gemm.
template <typename T>
void GemvOf(bool trans, int m, int n, T alpha, const T* a, int lda, const T* x, int incx, T beta, T* y, int incy) {
  const int inner = trans ? m : n;  // op(A)'s columns: x's length
  const int outer = trans ? n : m;  // op(A)'s rows: y's length
  if (alpha == T(0) || inner == 0) {
    Scale(outer, beta, y, incy);
  } else {
    Gemv(Transpose(trans), m, n, alpha, a, lda, x, incx, beta, y, incy);
  }
}

// alpha = 0 leaves y as it is without reading x (a NaN or an infinity in x must not
// reach y), decided here for the same reason as in gemm.
template <typename T>
void AxpyOf(int n, T alpha, const T* x, int incx, T* y, int incy) {
  if (alpha != T(0)) Axpy(n, alpha, x, incx, y, incy);
}

// x = alpha·x is a plain IEEE multiplication, as in reference BLAS: with alpha = 0, a NaN
// or an infinity in x becomes NaN. OpenBLAS releases disagree on that case (before
// 0.3.28 its kernels overwrite x with zeros), so it is computed here rather than left
// to whichever OpenBLAS the addon is linked against.
template <typename T>
void ScalOf(int n, T alpha, T* x, int incx) {
  if (alpha == T(0)) {
    for (int i = 0; i < n; i++) x[static_cast<size_t>(i) * incx] *= alpha;
  } else {
    Scal(n, alpha, x, incx);
  }
}
}  // namespace

void Sgemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
           int ldb, float beta, float* c, int ldc) {
  GemmOf(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void Sgemv(bool trans, int m, int n, float alpha, const float* a, int lda, const float* x, int incx, float beta,
           float* y, int incy) {
  GemvOf(trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
void Saxpy(int n, float alpha, const float* x, int incx, float* y, int incy) { AxpyOf(n, alpha, x, incx, y, incy); }
void Sscal(int n, float alpha, float* x, int incx) { ScalOf(n, alpha, x, incx); }
void Dgemm(bool trans_a, bool trans_b, int m, int n, int k, double alpha, const double* a, int lda, const double* b,
           int ldb, double beta, double* c, int ldc) {
  GemmOf(trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
void Dgemv(bool trans, int m, int n, double alpha, const double* a, int lda, const double* x, int incx, double beta,
           double* y, int incy) {
  GemvOf(trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
}
void Daxpy(int n, double alpha, const double* x, int incx, double* y, int incy) { AxpyOf(n, alpha, x, incx, y, incy); }
void Dscal(int n, double alpha, double* x, int incx) { ScalOf(n, alpha, x, incx); }

}  // namespace blasprop::blas
