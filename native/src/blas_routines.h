#pragma once

namespace blasprop::blas {

// The BLAS routines blasprop calls, row-major, with transposes as booleans, in place
// on the caller's memory, with reference-BLAS semantics for the cases OpenBLAS
// builds disagree on (blas_routines.cc). The s-routines work on float, the d-routines
// on double; both precisions share one implementation, so they keep the same rules.
// Arguments are trusted: TypeScript validates them (src/blas/validate.ts) before a
// call or a recording. They take no lock: the caller holds the fork guard
// (kernels/kernel.h, plan/).
void Sgemm(bool trans_a, bool trans_b, int m, int n, int k, float alpha, const float* a, int lda, const float* b,
           int ldb, float beta, float* c, int ldc);
void Sgemv(bool trans, int m, int n, float alpha, const float* a, int lda, const float* x, int incx, float beta,
           float* y, int incy);
void Saxpy(int n, float alpha, const float* x, int incx, float* y, int incy);
void Sscal(int n, float alpha, float* x, int incx);
void Dgemm(bool trans_a, bool trans_b, int m, int n, int k, double alpha, const double* a, int lda, const double* b,
           int ldb, double beta, double* c, int ldc);
void Dgemv(bool trans, int m, int n, double alpha, const double* a, int lda, const double* x, int incx, double beta,
           double* y, int incy);
void Daxpy(int n, double alpha, const double* x, int incx, double* y, int incy);
void Dscal(int n, double alpha, double* x, int incx);

}  // namespace blasprop::blas
