// What the fuzzer knows about each public BLAS routine: its parameters in order, and,
// for a valid call, which elements of the output it may write and how long its inner
// products are. Computed here from the arguments alone, independently of
// src/blas/validate.ts, so that a mistake there cannot hide itself.

/** Parameter names, in argument order, as the routines' error messages spell them. */
export const PARAMS = {
  dgemm: ['transA', 'transB', 'm', 'n', 'k', 'alpha', 'a', 'lda', 'b', 'ldb', 'beta', 'c', 'ldc'],
  dgemv: ['trans', 'm', 'n', 'alpha', 'a', 'lda', 'x', 'incx', 'beta', 'y', 'incy'],
  daxpy: ['n', 'alpha', 'x', 'incx', 'y', 'incy'],
  dscal: ['n', 'alpha', 'x', 'incx'],
};

/** The argument each routine writes (and returns). */
export const OUTPUT = { dgemm: 'c', dgemv: 'y', daxpy: 'y', dscal: 'x' };

/** What kind of value each parameter takes; decides which invalid values are tried. */
export const KIND = {
  transA: 'transpose',
  transB: 'transpose',
  trans: 'transpose',
  m: 'size',
  n: 'size',
  k: 'size',
  alpha: 'scalar',
  beta: 'scalar',
  lda: 'leading',
  ldb: 'leading',
  ldc: 'leading',
  incx: 'stride',
  incy: 'stride',
  a: 'array',
  b: 'array',
  c: 'array',
  x: 'array',
  y: 'array',
};

export const ROUTINE_NAMES = Object.keys(PARAMS);

/** Elements a row-major rows×cols matrix with row stride `ld` spans. */
export function matrixExtent(rows, cols, ld) {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/** Elements a vector of `length` entries at stride `inc` spans. */
export function vectorExtent(length, inc) {
  return length === 0 ? 0 : (length - 1) * inc + 1;
}

/** @returns {Record<string, unknown>} the arguments of a call keyed by parameter name */
export function named(routine, args) {
  return Object.fromEntries(PARAMS[routine].map((name, i) => [name, args[i]]));
}

/** Indices into the output array that a valid call may write. */
export function outputIndices(routine, args) {
  const p = named(routine, args);
  const indices = [];
  if (routine === 'dgemm') {
    for (let i = 0; i < p.m; i++) for (let j = 0; j < p.n; j++) indices.push(i * p.ldc + j);
  } else if (routine === 'dgemv') {
    const length = p.trans === 'N' ? p.m : p.n;
    for (let i = 0; i < length; i++) indices.push(i * p.incy);
  } else {
    const inc = routine === 'daxpy' ? p.incy : p.incx;
    for (let i = 0; i < p.n; i++) indices.push(i * inc);
  }
  return indices;
}

/** Length of the inner products behind each output element (0 for the vector updates). */
export function innerLength(routine, args) {
  const p = named(routine, args);
  if (routine === 'dgemm') return p.k;
  if (routine === 'dgemv') return p.trans === 'N' ? p.n : p.m;
  return 0;
}
