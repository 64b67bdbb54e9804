#include "blas_routines.h"

#include "arguments.h"
#include "openblas.h"

namespace blasprop {

namespace {
CBLAS_TRANSPOSE Transpose(const Napi::Value& value) { return Bool(value) ? CblasTrans : CblasNoTrans; }
}  // namespace

// dgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
Napi::Value Dgemm(const Napi::CallbackInfo& info) {
  cblas_dgemm(CblasRowMajor, Transpose(info[0]), Transpose(info[1]), Int(info[2]), Int(info[3]),
              Int(info[4]), Double(info[5]), Float64Data(info[6]), Int(info[7]), Float64Data(info[8]),
              Int(info[9]), Double(info[10]), Float64Data(info[11]), Int(info[12]));
  return info[11];
}

// dgemv(trans, m, n, alpha, a, lda, x, incx, beta, y, incy)
Napi::Value Dgemv(const Napi::CallbackInfo& info) {
  cblas_dgemv(CblasRowMajor, Transpose(info[0]), Int(info[1]), Int(info[2]), Double(info[3]),
              Float64Data(info[4]), Int(info[5]), Float64Data(info[6]), Int(info[7]), Double(info[8]),
              Float64Data(info[9]), Int(info[10]));
  return info[9];
}

// daxpy(n, alpha, x, incx, y, incy)
Napi::Value Daxpy(const Napi::CallbackInfo& info) {
  cblas_daxpy(Int(info[0]), Double(info[1]), Float64Data(info[2]), Int(info[3]), Float64Data(info[4]),
              Int(info[5]));
  return info[4];
}

// dscal(n, alpha, x, incx)
Napi::Value Dscal(const Napi::CallbackInfo& info) {
  cblas_dscal(Int(info[0]), Double(info[1]), Float64Data(info[2]), Int(info[3]));
  return info[2];
}

}  // namespace blasprop
