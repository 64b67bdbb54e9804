// Runs one BLAS or ReLU call on the routines under test and on the reference, and
// reports the first element where they disagree beyond the error bound of
// tolerance.mjs, or any element outside the output that the call changed. The BLAS
// checks come in both precisions: checkSgemm takes a case whose operands are
// Float32Arrays (cases.mjs: inFloat32) and calls sgemm, checkDgemm calls dgemm. The
// magnitude term of the bound is always formed in float64, by dgemm on |A|, |B|, |C|.

import { describeCase } from './cases.mjs';
import { blasGamma, withinBound } from './tolerance.mjs';

/** |values| as float64, whatever the precision of `values`. */
const abs = (values) => Float64Array.from(values, Math.abs);

const PREFIX = { float32: 's', float64: 'd' };

/** Which indices of its buffer a row-major output matrix covers. */
export function matrixRegion(offset, rows, cols, ld) {
  return (i) => {
    const j = i - offset;
    return j >= 0 && Math.floor(j / ld) < rows && j % ld < cols;
  };
}

/** Which indices of its buffer a strided output vector covers. */
export function vectorRegion(offset, length, inc) {
  return (i) => {
    const j = i - offset;
    return j >= 0 && j % inc === 0 && j / inc < length;
  };
}

/**
 * Compares the whole buffer an output view lives in, after the call under test,
 * with the reference result: elements of the output region must agree within
 * gamma·bound[i]; every other element must be bit for bit what it was before.
 * @returns {string | undefined} the first disagreement, described
 */
export function compareOutput({ actual, expected, before, bound, gamma, inRegion, dtype = 'float64' }) {
  for (let i = 0; i < actual.length; i++) {
    if (inRegion(i)) {
      if (!withinBound(actual[i], expected[i], bound[i], gamma, dtype)) {
        return `output at buffer index ${i} is ${actual[i]}, reference ${expected[i]}, allowed difference ${gamma * bound[i]}`;
      }
    } else if (!Object.is(actual[i], before[i])) {
      return `buffer index ${i}, outside the output, changed from ${before[i]} to ${actual[i]}`;
    }
  }
  return undefined;
}

function failure(name, testCase, returned, output, problem) {
  if (returned !== output.view) problem = `${name} did not return its output argument`;
  return problem === undefined ? undefined : `${describeCase(name, testCase)}: ${problem}`;
}

/** @typedef {(routines: object, reference: object, testCase: object) => string | undefined} Check */

/** gemm in `dtype`: C = alpha·op(A)·op(B) + beta·C within the bound. */
function gemmCheck(dtype) {
  const name = `${PREFIX[dtype]}gemm`;
  return (routines, reference, testCase) => {
    const { transA, transB, m, n, k, alpha, beta, lda, ldb, ldc, a, b, c } = testCase;
    const before = c.backing.slice();
    const expected = before.slice();
    reference[name](transA, transB, m, n, k, alpha, a.view, lda, b.view, ldb, beta, expected.subarray(c.offset), ldc);
    const bound = abs(before);
    const [absA, absB, absAlpha, absBeta] = [abs(a.view), abs(b.view), Math.abs(alpha), Math.abs(beta)];
    reference.dgemm(transA, transB, m, n, k, absAlpha, absA, lda, absB, ldb, absBeta, bound.subarray(c.offset), ldc);
    const returned = routines[name](transA, transB, m, n, k, alpha, a.view, lda, b.view, ldb, beta, c.view, ldc);
    const inRegion = matrixRegion(c.offset, m, n, ldc);
    const gamma = blasGamma(k, dtype);
    const problem = compareOutput({ actual: c.backing, expected, before, bound, gamma, inRegion, dtype });
    return failure(name, testCase, returned, c, problem);
  };
}

/** gemv in `dtype`: y = alpha·op(A)·x + beta·y within the bound. */
function gemvCheck(dtype) {
  const name = `${PREFIX[dtype]}gemv`;
  return (routines, reference, testCase) => {
    const { trans, m, n, alpha, beta, lda, incx, incy, xLength, yLength, a, x, y } = testCase;
    const before = y.backing.slice();
    const expected = before.slice();
    reference[name](trans, m, n, alpha, a.view, lda, x.view, incx, beta, expected.subarray(y.offset), incy);
    const bound = abs(before);
    const [absA, absX, absAlpha, absBeta] = [abs(a.view), abs(x.view), Math.abs(alpha), Math.abs(beta)];
    reference.dgemv(trans, m, n, absAlpha, absA, lda, absX, incx, absBeta, bound.subarray(y.offset), incy);
    const returned = routines[name](trans, m, n, alpha, a.view, lda, x.view, incx, beta, y.view, incy);
    const inRegion = vectorRegion(y.offset, yLength, incy);
    const gamma = blasGamma(xLength, dtype);
    const problem = compareOutput({ actual: y.backing, expected, before, bound, gamma, inRegion, dtype });
    return failure(name, testCase, returned, y, problem);
  };
}

/** axpy in `dtype`: y = alpha·x + y within the bound. */
function axpyCheck(dtype) {
  const name = `${PREFIX[dtype]}axpy`;
  return (routines, reference, testCase) => {
    const { n, alpha, incx, incy, x, y } = testCase;
    const before = y.backing.slice();
    const expected = before.slice();
    reference[name](n, alpha, x.view, incx, expected.subarray(y.offset), incy);
    const bound = abs(before);
    reference.daxpy(n, Math.abs(alpha), abs(x.view), incx, bound.subarray(y.offset), incy);
    const returned = routines[name](n, alpha, x.view, incx, y.view, incy);
    const inRegion = vectorRegion(y.offset, n, incy);
    const gamma = blasGamma(0, dtype);
    const problem = compareOutput({ actual: y.backing, expected, before, bound, gamma, inRegion, dtype });
    return failure(name, testCase, returned, y, problem);
  };
}

/**
 * scal in `dtype` is one correctly rounded multiplication per element, so native and
 * reference must agree bit for bit.
 */
function scalCheck(dtype) {
  const name = `${PREFIX[dtype]}scal`;
  return (routines, reference, testCase) => {
    const { n, alpha, incx, x } = testCase;
    const before = x.backing.slice();
    const expected = before.slice();
    reference[name](n, alpha, expected.subarray(x.offset), incx);
    const returned = routines[name](n, alpha, x.view, incx);
    const inRegion = vectorRegion(x.offset, n, incx);
    const problem = compareOutput({ actual: x.backing, expected, before, bound: before, gamma: 0, inRegion });
    return failure(name, testCase, returned, x, problem);
  };
}

/** @type {Check} why `routines.sgemm` disagrees with the reference */
export const checkSgemm = gemmCheck('float32');
/** @type {Check} why `routines.dgemm` disagrees with the reference */
export const checkDgemm = gemmCheck('float64');
/** @type {Check} why `routines.sgemv` disagrees */
export const checkSgemv = gemvCheck('float32');
/** @type {Check} why `routines.dgemv` disagrees */
export const checkDgemv = gemvCheck('float64');
/** @type {Check} why `routines.saxpy` disagrees */
export const checkSaxpy = axpyCheck('float32');
/** @type {Check} why `routines.daxpy` disagrees */
export const checkDaxpy = axpyCheck('float64');
/** @type {Check} why `routines.sscal` disagrees (bit for bit) */
export const checkSscal = scalCheck('float32');
/** @type {Check} why `routines.dscal` disagrees (bit for bit) */
export const checkDscal = scalCheck('float64');

/**
 * Comparisons and selects do not round: reluForward must agree bit for bit.
 * @returns {string | undefined} why `routines.reluForward` disagrees with the reference on this case
 */
export function checkReluForward(routines, reference, testCase) {
  const { n, x, y } = testCase;
  const before = y.backing.slice();
  const expected = before.slice();
  reference.reluForward(n, x.view, expected.subarray(y.offset));
  const returned = routines.reluForward(n, x.view, y.view);
  const inRegion = vectorRegion(y.offset, n, 1);
  const problem = compareOutput({ actual: y.backing, expected, before, bound: before, gamma: 0, inRegion });
  return failure('reluForward', testCase, returned, y, problem);
}

/** @returns {string | undefined} why `routines.reluBackward` disagrees (bit for bit) with the reference on this case */
export function checkReluBackward(routines, reference, testCase) {
  const { n, y, dy, dx } = testCase;
  const before = dx.backing.slice();
  const expected = before.slice();
  reference.reluBackward(n, y.view, dy.view, expected.subarray(dx.offset));
  const returned = routines.reluBackward(n, y.view, dy.view, dx.view);
  const inRegion = vectorRegion(dx.offset, n, 1);
  const problem = compareOutput({ actual: dx.backing, expected, before, bound: before, gamma: 0, inRegion });
  return failure('reluBackward', testCase, returned, dx, problem);
}
