#pragma once

namespace blasprop::blas {

// The BLAS routines blasprop calls, row-major, with transposes as booleans, in place
// on the caller's memory, with reference-BLAS semantics for the cases OpenBLAS
// builds disagree on (blas_routines.cc). Arguments are trusted: TypeScript validates
// them (src/blas/validate.ts) before a call or a recording. They take no lock: the
// caller holds the fork guard (kernels/kernel.h, plan/).
void Dgemm(bool trans_a, bool trans_b, int m, int n, int k, double alpha, const double* a, int lda, const double* b,
           int ldb, double beta, double* c, int ldc);
void Dgemv(bool trans, int m, int n, double alpha, const double* a, int lda, const double* x, int incx, double beta,
           double* y, int incy);
void Daxpy(int n, double alpha, const double* x, int incx, double* y, int incy);
void Dscal(int n, double alpha, double* x, int incx);

}  // namespace blasprop::blas
