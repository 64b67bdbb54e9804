#include "blas_routines.h"

#include "arguments.h"
#include "fork_guard.h"
#include "openblas.h"

namespace blasprop {

namespace {
CBLAS_TRANSPOSE Transpose(const Napi::Value& value) { return Bool(value) ? CblasTrans : CblasNoTrans; }
}  // namespace

// dgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
Napi::Value Dgemm(const Napi::CallbackInfo& info) {
  BlasCallScope scope;
  cblas_dgemm(CblasRowMajor, Transpose(info[0]), Transpose(info[1]), Int(info[2]), Int(info[3]),
              Int(info[4]), Double(info[5]), Float64Data(info[6]), Int(info[7]), Float64Data(info[8]),
              Int(info[9]), Double(info[10]), Float64Data(info[11]), Int(info[12]));
  return info[11];
}

// dgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy)
// When op(A) has no columns (n = 0, or m = 0 transposed) but y is not empty, BLAS
// returns without touching y. blasprop defines y = beta·y there, zeros for beta = 0,
// as dgemm does for k = 0, so that an empty product behaves like any other.
Napi::Value Dgemv(const Napi::CallbackInfo& info) {
  BlasCallScope scope;
  const bool trans = Bool(info[0]);
  const int inner = trans ? Int(info[1]) : Int(info[2]);
  if (inner == 0) {
    const int length = trans ? Int(info[2]) : Int(info[1]);
    const double beta = Double(info[8]);
    double* y = Float64Data(info[9]);
    const int incy = Int(info[10]);
    for (int i = 0; i < length; i++) {
      double& yi = y[static_cast<size_t>(i) * incy];
      yi = beta == 0.0 ? 0.0 : beta * yi;
    }
    return info[9];
  }
  cblas_dgemv(CblasRowMajor, Transpose(info[0]), Int(info[1]), Int(info[2]), Double(info[3]),
              Float64Data(info[4]), Int(info[5]), Float64Data(info[6]), Int(info[7]), Double(info[8]),
              Float64Data(info[9]), Int(info[10]));
  return info[9];
}

// daxpy(n, alpha, x, incx, y, incy)
Napi::Value Daxpy(const Napi::CallbackInfo& info) {
  BlasCallScope scope;
  cblas_daxpy(Int(info[0]), Double(info[1]), Float64Data(info[2]), Int(info[3]), Float64Data(info[4]),
              Int(info[5]));
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
