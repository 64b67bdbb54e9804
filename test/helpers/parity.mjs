// Runs one BLAS or ReLU call on the routines under test and on the reference, and
// reports the first element where they disagree beyond the error bound of
// tolerance.mjs, or any element outside the output that the call changed.

import { describeCase } from './cases.mjs';
import { blasGamma, withinBound } from './tolerance.mjs';

const abs = (values) => values.map(Math.abs);

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
export function compareOutput({ actual, expected, before, bound, gamma, inRegion }) {
  for (let i = 0; i < actual.length; i++) {
    if (inRegion(i)) {
      if (!withinBound(actual[i], expected[i], bound[i], gamma)) {
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

/** @returns {string | undefined} why `routines.dgemm` disagrees with the reference on this case */
export function checkDgemm(routines, reference, testCase) {
  const { transA, transB, m, n, k, alpha, beta, lda, ldb, ldc, a, b, c } = testCase;
  const before = c.backing.slice();
  const expected = before.slice();
  reference.dgemm(transA, transB, m, n, k, alpha, a.view, lda, b.view, ldb, beta, expected.subarray(c.offset), ldc);
  const bound = abs(before);
  const [absA, absB, absAlpha, absBeta] = [abs(a.view), abs(b.view), Math.abs(alpha), Math.abs(beta)];
  reference.dgemm(transA, transB, m, n, k, absAlpha, absA, lda, absB, ldb, absBeta, bound.subarray(c.offset), ldc);
  const returned = routines.dgemm(transA, transB, m, n, k, alpha, a.view, lda, b.view, ldb, beta, c.view, ldc);
  const inRegion = matrixRegion(c.offset, m, n, ldc);
  const problem = compareOutput({ actual: c.backing, expected, before, bound, gamma: blasGamma(k), inRegion });
  return failure('dgemm', testCase, returned, c, problem);
}

/** @returns {string | undefined} why `routines.dgemv` disagrees with the reference on this case */
export function checkDgemv(routines, reference, testCase) {
  const { trans, m, n, alpha, beta, lda, incx, incy, xLength, yLength, a, x, y } = testCase;
  const before = y.backing.slice();
  const expected = before.slice();
  reference.dgemv(trans, m, n, alpha, a.view, lda, x.view, incx, beta, expected.subarray(y.offset), incy);
  const bound = abs(before);
  const [absA, absX, absAlpha, absBeta] = [abs(a.view), abs(x.view), Math.abs(alpha), Math.abs(beta)];
  reference.dgemv(trans, m, n, absAlpha, absA, lda, absX, incx, absBeta, bound.subarray(y.offset), incy);
  const returned = routines.dgemv(trans, m, n, alpha, a.view, lda, x.view, incx, beta, y.view, incy);
  const inRegion = vectorRegion(y.offset, yLength, incy);
  const problem = compareOutput({ actual: y.backing, expected, before, bound, gamma: blasGamma(xLength), inRegion });
  return failure('dgemv', testCase, returned, y, problem);
}

/** @returns {string | undefined} why `routines.daxpy` disagrees with the reference on this case */
export function checkDaxpy(routines, reference, testCase) {
  const { n, alpha, incx, incy, x, y } = testCase;
  const before = y.backing.slice();
  const expected = before.slice();
  reference.daxpy(n, alpha, x.view, incx, expected.subarray(y.offset), incy);
  const bound = abs(before);
  reference.daxpy(n, Math.abs(alpha), abs(x.view), incx, bound.subarray(y.offset), incy);
  const returned = routines.daxpy(n, alpha, x.view, incx, y.view, incy);
  const inRegion = vectorRegion(y.offset, n, incy);
  const problem = compareOutput({ actual: y.backing, expected, before, bound, gamma: blasGamma(0), inRegion });
  return failure('daxpy', testCase, returned, y, problem);
}

/**
 * dscal is one correctly rounded multiplication per element, so native and
 * reference must agree bit for bit.
 * @returns {string | undefined} why `routines.dscal` disagrees with the reference on this case
 */
export function checkDscal(routines, reference, testCase) {
  const { n, alpha, incx, x } = testCase;
  const before = x.backing.slice();
  const expected = before.slice();
  reference.dscal(n, alpha, expected.subarray(x.offset), incx);
  const returned = routines.dscal(n, alpha, x.view, incx);
  const inRegion = vectorRegion(x.offset, n, incx);
  const problem = compareOutput({ actual: x.backing, expected, before, bound: before, gamma: 0, inRegion });
  return failure('dscal', testCase, returned, x, problem);
}

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
