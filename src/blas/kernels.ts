/** C = alpha·op(A)·op(B) + beta·C on arrays of one element type; returns c. */
export type GemmKernel<A> = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: A,
  lda: number,
  b: A,
  ldb: number,
  beta: number,
  c: A,
  ldc: number,
) => A;

/** y = alpha·op(A)·x + beta·y; returns y. */
export type GemvKernel<A> = (
  trans: boolean,
  m: number,
  n: number,
  alpha: number,
  a: A,
  lda: number,
  x: A,
  incx: number,
  beta: number,
  y: A,
  incy: number,
) => A;

/** y = alpha·x + y; returns y. */
export type AxpyKernel<A> = (n: number, alpha: number, x: A, incx: number, y: A, incy: number) => A;

/** x = alpha·x; returns x. */
export type ScalKernel<A> = (n: number, alpha: number, x: A, incx: number) => A;

/**
 * The raw BLAS routines a backend provides: arguments already validated, transposes as
 * booleans, row-major, in place; the s-routines on Float32Arrays, the d-routines on
 * Float64Arrays. The native addon and the reference implementation both have exactly
 * this shape.
 */
export interface BlasKernels {
  sgemm: GemmKernel<Float32Array>;
  sgemv: GemvKernel<Float32Array>;
  saxpy: AxpyKernel<Float32Array>;
  sscal: ScalKernel<Float32Array>;
  dgemm: GemmKernel<Float64Array>;
  dgemv: GemvKernel<Float64Array>;
  daxpy: AxpyKernel<Float64Array>;
  dscal: ScalKernel<Float64Array>;
}

/** The four routines of one precision, by what they compute. */
export interface PrecisionRoutines<Gemm, Gemv, Axpy, Scal> {
  gemm: Gemm;
  gemv: Gemv;
  axpy: Axpy;
  scal: Scal;
}

/** The routines of both precisions under their BLAS names: s- for float32, d- for float64. */
export function byBlasName<G32, V32, A32, S32, G64, V64, A64, S64>(
  single: PrecisionRoutines<G32, V32, A32, S32>,
  double: PrecisionRoutines<G64, V64, A64, S64>,
) {
  return {
    sgemm: single.gemm,
    sgemv: single.gemv,
    saxpy: single.axpy,
    sscal: single.scal,
    dgemm: double.gemm,
    dgemv: double.gemv,
    daxpy: double.axpy,
    dscal: double.scal,
  };
}
