// Argument validation for every BLAS routine, shared by the native and the reference
// backend so that both reject exactly the same inputs with exactly the same errors.
// Nothing reaches OpenBLAS before passing through here. Each validator takes the
// routine's dtype: every array of an s-routine must be a Float32Array, every array of a
// d-routine a Float64Array, so an array of the other precision is a TypeError naming
// it; nothing is converted.

import { checkFiniteIn, checkFloatArray, checkInteger, checkOneOf, rangeError } from '../util/check.js';
import { type ArrayOfDType, type DType, dtypeOfArray, type FloatArray } from '../util/dtype.js';
import { typedArrayBuffer, typedArrayByteOffset } from '../util/typed-array.js';

/** How a BLAS routine uses a stored matrix: 'N' as it is, 'T' transposed. */
export type Transpose = 'N' | 'T';

const TRANSPOSES: readonly Transpose[] = ['N', 'T'];

/**
 * Elements a row-major `rows × cols` matrix with leading dimension `ld` occupies:
 * the start of its last row plus one row. Computed in float64, where nothing wraps
 * around: a product of sizes below 2^31 may round above 2^53, but never down to a
 * length a real buffer could have, so no overflow can make a short buffer pass.
 */
export function matrixExtent(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/** Elements a strided vector of `length` entries occupies. */
export function vectorExtent(length: number, inc: number): number {
  return length === 0 ? 0 : (length - 1) * inc + 1;
}

function checkLeadingDimension(name: string, value: unknown, cols: number, of: string): number {
  const min = Math.max(1, cols);
  const ld = checkInteger(name, value, 1);
  if (ld < min) throw rangeError(name, `an integer >= max(1, ${of}) = ${min}`, value);
  return ld;
}

// The explanations are functions so that the strings are only built for an error:
// formatting them on every call would cost more than the rest of the validation.
function checkMatrix<D extends DType>(
  dtype: D,
  name: string,
  value: unknown,
  rows: number,
  cols: number,
  ld: number,
): ArrayOfDType<D> {
  const extent = matrixExtent(rows, cols, ld);
  return checkFloatArray(
    name,
    value,
    dtype,
    extent,
    () => `a ${rows}×${cols} matrix at leading dimension ${ld} spans ${extent} elements`,
  );
}

/** A strided vector of `length` entries in an array of `dtype` (float64 unless given). */
export function checkVector<D extends DType = 'float64'>(
  name: string,
  value: unknown,
  length: number,
  inc: number,
  dtype: D = 'float64' as D,
): ArrayOfDType<D> {
  const extent = vectorExtent(length, inc);
  return checkFloatArray(name, value, dtype, extent, () => `${length} elements at stride ${inc} span ${extent}`);
}

/** Bytes per element of an array already checked to be a Float32Array or a Float64Array. */
function elementBytes(array: FloatArray): number {
  return dtypeOfArray(array) === 'float32' ? 4 : 8;
}

/**
 * The output must not share bytes with an input: BLAS reads the inputs while it
 * writes the output, so an overlap gives a silently wrong answer. Extents count
 * elements of each array's own type.
 */
export function checkNoOverlap(
  outName: string,
  out: FloatArray,
  outExtent: number,
  inName: string,
  input: FloatArray,
  inExtent: number,
): void {
  if (typedArrayBuffer(out) !== typedArrayBuffer(input) || outExtent === 0 || inExtent === 0) return;
  const outStart = typedArrayByteOffset(out);
  const outEnd = outStart + outExtent * elementBytes(out);
  const inStart = typedArrayByteOffset(input);
  const inEnd = inStart + inExtent * elementBytes(input);
  if (outStart < inEnd && inStart < outEnd) {
    throw rangeError(
      outName,
      `memory that does not overlap ${inName}`,
      out,
      `${outName} spans bytes [${outStart}, ${outEnd}) and ${inName} spans [${inStart}, ${inEnd}) of the same ArrayBuffer`,
    );
  }
}

export function validateGemm(
  dtype: DType,
  transA: unknown,
  transB: unknown,
  m: unknown,
  n: unknown,
  k: unknown,
  alpha: unknown,
  a: unknown,
  lda: unknown,
  b: unknown,
  ldb: unknown,
  beta: unknown,
  c: unknown,
  ldc: unknown,
): void {
  const tA = checkOneOf('transA', transA, TRANSPOSES);
  const tB = checkOneOf('transB', transB, TRANSPOSES);
  const M = checkInteger('m', m, 0);
  const N = checkInteger('n', n, 0);
  const K = checkInteger('k', k, 0);
  checkFiniteIn('alpha', alpha, dtype);
  // Stored shapes, row-major: op(A) is M×K, so A is M×K or K×M; likewise B.
  const [aRows, aCols] = tA === 'N' ? [M, K] : [K, M];
  const [bRows, bCols] = tB === 'N' ? [K, N] : [N, K];
  const LDA = checkLeadingDimension('lda', lda, aCols, tA === 'N' ? 'k' : 'm');
  const A = checkMatrix(dtype, 'a', a, aRows, aCols, LDA);
  const LDB = checkLeadingDimension('ldb', ldb, bCols, tB === 'N' ? 'n' : 'k');
  const B = checkMatrix(dtype, 'b', b, bRows, bCols, LDB);
  checkFiniteIn('beta', beta, dtype);
  const LDC = checkLeadingDimension('ldc', ldc, N, 'n');
  const C = checkMatrix(dtype, 'c', c, M, N, LDC);
  const cExtent = matrixExtent(M, N, LDC);
  checkNoOverlap('c', C, cExtent, 'a', A, matrixExtent(aRows, aCols, LDA));
  checkNoOverlap('c', C, cExtent, 'b', B, matrixExtent(bRows, bCols, LDB));
}

export function validateGemv(
  dtype: DType,
  trans: unknown,
  m: unknown,
  n: unknown,
  alpha: unknown,
  a: unknown,
  lda: unknown,
  x: unknown,
  incx: unknown,
  beta: unknown,
  y: unknown,
  incy: unknown,
): void {
  const t = checkOneOf('trans', trans, TRANSPOSES);
  const M = checkInteger('m', m, 0);
  const N = checkInteger('n', n, 0);
  checkFiniteIn('alpha', alpha, dtype);
  const LDA = checkLeadingDimension('lda', lda, N, 'n');
  const A = checkMatrix(dtype, 'a', a, M, N, LDA);
  const [xLength, yLength] = t === 'N' ? [N, M] : [M, N];
  const INCX = checkInteger('incx', incx, 1);
  const X = checkVector('x', x, xLength, INCX, dtype);
  checkFiniteIn('beta', beta, dtype);
  const INCY = checkInteger('incy', incy, 1);
  const Y = checkVector('y', y, yLength, INCY, dtype);
  const yExtent = vectorExtent(yLength, INCY);
  checkNoOverlap('y', Y, yExtent, 'a', A, matrixExtent(M, N, LDA));
  checkNoOverlap('y', Y, yExtent, 'x', X, vectorExtent(xLength, INCX));
}

export function validateAxpy(
  dtype: DType,
  n: unknown,
  alpha: unknown,
  x: unknown,
  incx: unknown,
  y: unknown,
  incy: unknown,
): void {
  const N = checkInteger('n', n, 0);
  checkFiniteIn('alpha', alpha, dtype);
  const INCX = checkInteger('incx', incx, 1);
  const X = checkVector('x', x, N, INCX, dtype);
  const INCY = checkInteger('incy', incy, 1);
  const Y = checkVector('y', y, N, INCY, dtype);
  checkNoOverlap('y', Y, vectorExtent(N, INCY), 'x', X, vectorExtent(N, INCX));
}

export function validateScal(dtype: DType, n: unknown, alpha: unknown, x: unknown, incx: unknown): void {
  const N = checkInteger('n', n, 0);
  checkFiniteIn('alpha', alpha, dtype);
  const INCX = checkInteger('incx', incx, 1);
  checkVector('x', x, N, INCX, dtype);
}
