/**
 * The raw routines a backend provides (BLAS, and the layers' element-wise loops): arguments already validated, transposes as
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
  /** y = max(x, 0) over n elements (NaN stays NaN, −0 becomes +0); returns y. */
  reluForward(n: number, x: Float64Array, y: Float64Array): Float64Array;
  /** dx = dy where y > 0, else +0, over n elements; returns dx. */
  reluBackward(n: number, y: Float64Array, dy: Float64Array, dx: Float64Array): Float64Array;
}
