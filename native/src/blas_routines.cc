#include "blas_routines.h"

#include "arguments.h"
#include "fork_guard.h"
#include "openblas.h"

namespace blasprop {

namespace {
CBLAS_TRANSPOSE Transpose(const Napi::Value& value) { return Bool(value) ? CblasTrans : CblasNoTrans; }

// The CBLAS routine of each precision under one name, so that every entry point below
// is written once, as a template over the element type.
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

// A scalar argument in the routine's precision. For float it is rounded to nearest, as
// Math.fround does; validation has made sure it stays finite. The special cases below
// test the rounded value, which is the one the product is formed with.
template <typename T>
T Scalar(const Napi::Value& value) {
  return static_cast<T>(Double(value));
}

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

// gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
// When there is no product to form (alpha = 0, k = 0, or an empty C) reference BLAS
// only scales C, never reading A or B. OpenBLAS does not always: its small-matrix
// kernels for SkylakeX and Cooperlake (0.3.21) multiply A·B by alpha = 0, so a NaN or
// an infinity in A or B reaches C. Which kernels run depends on the CPU and on
// OPENBLAS_CORETYPE, so those cases are computed here and never reach OpenBLAS.
template <typename T>
Napi::Value GemmEntry(const Napi::CallbackInfo& info) {
  BlasCallScope scope;
  const CBLAS_TRANSPOSE transA = Transpose(info[0]);
  const CBLAS_TRANSPOSE transB = Transpose(info[1]);
  const int m = Int(info[2]);
  const int n = Int(info[3]);
  const int k = Int(info[4]);
  const T alpha = Scalar<T>(info[5]);
  const T* a = ArrayData<T>(info[6]);
  const int lda = Int(info[7]);
  const T* b = ArrayData<T>(info[8]);
  const int ldb = Int(info[9]);
  const T beta = Scalar<T>(info[10]);
  T* c = ArrayData<T>(info[11]);
  const int ldc = Int(info[12]);
  if (alpha == T(0) || k == 0 || m == 0 || n == 0) {
    for (int i = 0; i < m; i++) Scale(n, beta, c + static_cast<size_t>(i) * ldc, 1);
  } else {
    Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  }
  return info[11];
}

// gemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy)
// With alpha = 0, or when op(A) has no columns (n = 0, or m = 0 transposed), y becomes
// beta·y, zeros for beta = 0, without reading A or x, as gemm does. BLAS itself
// returns without touching y for an empty op(A); blasprop defines beta·y there so that
// an empty product behaves like any other. Both cases are computed here rather than
// left to whichever OpenBLAS build and kernel the addon runs on, as in gemm.
template <typename T>
Napi::Value GemvEntry(const Napi::CallbackInfo& info) {
  BlasCallScope scope;
  const CBLAS_TRANSPOSE trans = Transpose(info[0]);
  const int m = Int(info[1]);
  const int n = Int(info[2]);
  const T alpha = Scalar<T>(info[3]);
  const T* a = ArrayData<T>(info[4]);
  const int lda = Int(info[5]);
  const T* x = ArrayData<T>(info[6]);
  const int incx = Int(info[7]);
  const T beta = Scalar<T>(info[8]);
  T* y = ArrayData<T>(info[9]);
  const int incy = Int(info[10]);
  const int inner = trans == CblasTrans ? m : n;  // op(A)'s columns: x's length
  const int outer = trans == CblasTrans ? n : m;  // op(A)'s rows: y's length
  if (alpha == T(0) || inner == 0) {
    Scale(outer, beta, y, incy);
  } else {
    Gemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
  }
  return info[9];
}

// axpy(n, alpha, x, incx, y, incy)
// alpha = 0 leaves y as it is without reading x (a NaN or an infinity in x must not
// reach y), decided here for the same reason as in gemm.
template <typename T>
Napi::Value AxpyEntry(const Napi::CallbackInfo& info) {
  BlasCallScope scope;
  const int n = Int(info[0]);
  const T alpha = Scalar<T>(info[1]);
  const T* x = ArrayData<T>(info[2]);
  const int incx = Int(info[3]);
  T* y = ArrayData<T>(info[4]);
  const int incy = Int(info[5]);
  if (alpha != T(0)) Axpy(n, alpha, x, incx, y, incy);
  return info[4];
}

// scal(n, alpha, x, incx)
// x = alpha·x is a plain IEEE multiplication, as in reference BLAS: with alpha = 0, a NaN
// or an infinity in x becomes NaN. OpenBLAS releases disagree on that case (before
// 0.3.28 its kernels overwrite x with zeros), so it is computed here rather than left
// to whichever OpenBLAS the addon is linked against.
template <typename T>
Napi::Value ScalEntry(const Napi::CallbackInfo& info) {
  BlasCallScope scope;
  const int n = Int(info[0]);
  const T alpha = Scalar<T>(info[1]);
  T* x = ArrayData<T>(info[2]);
  const int incx = Int(info[3]);
  if (alpha == T(0)) {
    for (int i = 0; i < n; i++) x[static_cast<size_t>(i) * incx] *= alpha;
  } else {
    Scal(n, alpha, x, incx);
  }
  return info[2];
}
}  // namespace

Napi::Value Sgemm(const Napi::CallbackInfo& info) { return GemmEntry<float>(info); }
Napi::Value Sgemv(const Napi::CallbackInfo& info) { return GemvEntry<float>(info); }
Napi::Value Saxpy(const Napi::CallbackInfo& info) { return AxpyEntry<float>(info); }
Napi::Value Sscal(const Napi::CallbackInfo& info) { return ScalEntry<float>(info); }
Napi::Value Dgemm(const Napi::CallbackInfo& info) { return GemmEntry<double>(info); }
Napi::Value Dgemv(const Napi::CallbackInfo& info) { return GemvEntry<double>(info); }
Napi::Value Daxpy(const Napi::CallbackInfo& info) { return AxpyEntry<double>(info); }
Napi::Value Dscal(const Napi::CallbackInfo& info) { return ScalEntry<double>(info); }

}  // namespace blasprop
