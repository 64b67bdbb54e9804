/**
 * The raw BLAS routines a backend provides: arguments already validated, transposes as
 * booleans, row-major, in place. The native addon and the reference implementation
 * both have exactly this shape.
 */
export interface BlasKernels {
  dgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    alpha: number,
    a: Float64Array,
    lda: number,
    b: Float64Array,
    ldb: number,
    beta: number,
    c: Float64Array,
    ldc: number,
  ): Float64Array;
  dgemv(
    trans: boolean,
    m: number,
    n: number,
    alpha: number,
    a: Float64Array,
    lda: number,
    x: Float64Array,
    incx: number,
    beta: number,
    y: Float64Array,
    incy: number,
  ): Float64Array;
  daxpy(n: number, alpha: number, x: Float64Array, incx: number, y: Float64Array, incy: number): Float64Array;
  dscal(n: number, alpha: number, x: Float64Array, incx: number): Float64Array;
}
