// Property-based fuzzing of the public routines with fast-check: thousands of
// argument lists, mixing valid and invalid values in every position. Each call must
// either throw a TypeError or RangeError in the library's message shape, leaving its
// output untouched, or return the reference result; nothing else (no other error,
// no crash, no OpenBLAS parameter complaint). For dgemm an independent oracle also
// decides which calls are valid, so the validator can neither refuse a good call nor
// let a bad one through.
//
// The seed is fixed so that CI is deterministic; BLASPROP_FUZZ_SEED=<n> explores others.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { daxpy, dgemm, dgemv, dscal, reference } from '../../dist/index.js';
import {
  type ArraySpec,
  arrayArb,
  type BuiltArray,
  buildArrays,
  placementArb,
  scalarArb,
  sizeArb,
  spacing,
  spacingArb,
  transposeArb,
} from '../helpers/arbitrary-args.js';
import { matrixExtent, vectorExtent } from '../helpers/cases.mjs';
import { checkDaxpy, checkDgemm, checkDgemv, checkDscal } from '../helpers/parity.mjs';

const native = { dgemm, dgemv, daxpy, dscal };
const SEED = Number(process.env.BLASPROP_FUZZ_SEED ?? 20240611);

const MAX_INT = 2 ** 31 - 1;
const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_INT;
const isScalar = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isTranspose = (v: unknown) => v === 'N' || v === 'T';
/** The size used to lay out buffers when the size argument itself is invalid. */
const dim = (v: unknown) => (isSize(v) ? v : 2);

/** Tallies outcomes, so a generator that drifts to all-valid or all-invalid fails. */
class Outcomes {
  accepted = 0;
  rejected = 0;
  expectBoth(runs: number) {
    expect(this.accepted, 'valid calls').toBeGreaterThan(runs * 0.15);
    expect(this.rejected, 'invalid calls').toBeGreaterThan(runs * 0.15);
  }
}

/**
 * Calls `routine` on the built arguments. A throw must be a TypeError or RangeError
 * in the library's shape, match what the reference throws on identical arguments,
 * and leave the output buffer as it was. Returns whether the call was accepted.
 */
function tryCall(
  routine: (...args: unknown[]) => unknown,
  referenceRoutine: (...args: unknown[]) => unknown,
  build: () => { args: unknown[]; output: BuiltArray },
): boolean {
  const { args, output } = build();
  const before = output.operand?.backing.slice();
  let thrown: unknown;
  try {
    routine(...args);
  } catch (error) {
    thrown = error;
  }
  if (thrown === undefined) return true;
  const error = thrown as Error;
  expect([TypeError, RangeError]).toContain(error.constructor);
  expect(error.message).toMatch(/^Expected .+ for \S+ but received /);
  if (before !== undefined) expect(output.operand?.backing).toEqual(before);
  let referenceError: unknown;
  try {
    referenceRoutine(...build().args);
  } catch (caught) {
    referenceError = caught;
  }
  expect(referenceError).toBeInstanceOf(error.constructor);
  expect((referenceError as Error).message).toBe(error.message);
  return false;
}

const dgemmCall = fc.record({
  transA: transposeArb,
  transB: transposeArb,
  m: sizeArb,
  n: sizeArb,
  k: sizeArb,
  alpha: scalarArb,
  beta: scalarArb,
  lda: spacingArb,
  ldb: spacingArb,
  ldc: spacingArb,
  a: arrayArb,
  b: arrayArb,
  c: arrayArb,
  placement: placementArb,
  seed: fc.integer(),
});

type DgemmCall = typeof dgemmCall extends fc.Arbitrary<infer T> ? T : never;

/** Lays out a dgemm call: shapes from the sizes as given (2 standing in for a bad one). */
function buildDgemm(call: DgemmCall) {
  const { transA, transB, m, n, k } = call;
  const [aRows, aCols] = transA === 'T' ? [dim(k), dim(m)] : [dim(m), dim(k)];
  const [bRows, bCols] = transB === 'T' ? [dim(n), dim(k)] : [dim(k), dim(n)];
  const lda = spacing(call.lda, Math.max(1, aCols));
  const ldb = spacing(call.ldb, Math.max(1, bCols));
  const ldc = spacing(call.ldc, Math.max(1, dim(n)));
  const extent = (rows: number, cols: number, ld: unknown) => (isSize(ld) ? matrixExtent(rows, cols, ld) : rows * cols);
  const needed = [extent(aRows, aCols, lda), extent(bRows, bCols, ldb), extent(dim(m), dim(n), ldc)];
  const specs: ArraySpec[] = [call.a, call.b, call.c];
  const [a, b, c] = buildArrays(specs, needed, call.placement, call.seed, 'float64');
  const args = [transA, transB, m, n, k, call.alpha, a.value, lda, b.value, ldb, call.beta, c.value, ldc];
  return { args, output: c, a, b, c, lda, ldb, ldc, needed };
}

/** The dgemm contract, written out independently of src/blas/validate.ts. */
function dgemmIsValid(call: DgemmCall, built: ReturnType<typeof buildDgemm>): boolean {
  const { transA, transB, m, n, k, alpha, beta } = call;
  if (!isTranspose(transA) || !isTranspose(transB) || ![m, n, k].every(isSize) || !isScalar(alpha) || !isScalar(beta)) {
    return false;
  }
  const aCols = transA === 'N' ? k : m;
  const bCols = transB === 'N' ? n : k;
  const ldOk = (ld: unknown, cols: number) => isSize(ld) && ld >= Math.max(1, cols as number);
  if (!ldOk(built.lda, aCols as number) || !ldOk(built.ldb, bCols as number) || !ldOk(built.ldc, n as number)) {
    return false;
  }
  const [a, b, c] = [built.a, built.b, built.c];
  const fits = (array: BuiltArray, extent: number) => array.operand !== undefined && array.length >= extent;
  if (!fits(a, built.needed[0]) || !fits(b, built.needed[1]) || !fits(c, built.needed[2])) return false;
  const overlaps = (input: BuiltArray, inputExtent: number) => {
    const [x, y] = [input.operand!, c.operand!];
    if (x.backing.buffer !== y.backing.buffer || inputExtent === 0 || built.needed[2] === 0) return false;
    return x.offset < y.offset + built.needed[2] && y.offset < x.offset + inputExtent;
  };
  return !overlaps(a, built.needed[0]) && !overlaps(b, built.needed[1]);
}

describe('fuzzing the BLAS routines', () => {
  it('dgemm: valid calls match the reference, invalid ones throw TypeError or RangeError', () => {
    const runs = 3000;
    const outcomes = new Outcomes();
    fc.assert(
      fc.property(dgemmCall, (call) => {
        const accepted = tryCall(dgemm as never, reference.dgemm as never, () => buildDgemm(call));
        expect(accepted, 'accepted exactly the calls the oracle deems valid').toBe(
          dgemmIsValid(call, buildDgemm(call)),
        );
        if (!accepted) return void outcomes.rejected++;
        outcomes.accepted++;
        const { args, a, b, c } = buildDgemm(call);
        const [transA, transB, m, n, k, alpha, , lda, , ldb, beta, , ldc] = args;
        const testCase = {
          transA,
          transB,
          m,
          n,
          k,
          alpha,
          beta,
          lda,
          ldb,
          ldc,
          a: a.operand,
          b: b.operand,
          c: c.operand,
        };
        expect(checkDgemm(native, reference, testCase)).toBeUndefined();
      }),
      { numRuns: runs, seed: SEED },
    );
    outcomes.expectBoth(runs);
  });

  it('dgemv: native and reference agree on every argument list', () => {
    const runs = 1500;
    const outcomes = new Outcomes();
    const call = fc.record({
      trans: transposeArb,
      m: sizeArb,
      n: sizeArb,
      alpha: scalarArb,
      beta: scalarArb,
      lda: spacingArb,
      incx: spacingArb,
      incy: spacingArb,
      a: arrayArb,
      x: arrayArb,
      y: arrayArb,
      placement: placementArb,
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(call, (spec) => {
        const build = () => {
          const [rows, cols] = [dim(spec.m), dim(spec.n)];
          const lda = spacing(spec.lda, Math.max(1, cols));
          const [incx, incy] = [spacing(spec.incx, 1), spacing(spec.incy, 1)];
          const [xLength, yLength] = spec.trans === 'T' ? [rows, cols] : [cols, rows];
          const needed = [
            isSize(lda) ? matrixExtent(rows, cols, lda) : rows * cols,
            isSize(incx) ? vectorExtent(xLength, incx) : xLength,
            isSize(incy) ? vectorExtent(yLength, incy) : yLength,
          ];
          const [a, x, y] = buildArrays([spec.a, spec.x, spec.y], needed, spec.placement, spec.seed, 'float64');
          const { trans, m, n, alpha, beta } = spec;
          const testCase = { trans, m, n, alpha, beta, lda, incx, incy, xLength, yLength };
          const args = [trans, m, n, alpha, a.value, lda, x.value, incx, beta, y.value, incy];
          return { args, output: y, testCase: { ...testCase, a: a.operand, x: x.operand, y: y.operand } };
        };
        if (!tryCall(dgemv as never, reference.dgemv as never, build)) return void outcomes.rejected++;
        outcomes.accepted++;
        expect(checkDgemv(native, reference, build().testCase)).toBeUndefined();
      }),
      { numRuns: runs, seed: SEED + 1 },
    );
    outcomes.expectBoth(runs);
  });

  it('daxpy and dscal: native and reference agree on every argument list', () => {
    const runs = 1500;
    const outcomes = new Outcomes();
    const call = fc.record({
      n: sizeArb,
      alpha: scalarArb,
      incx: spacingArb,
      incy: spacingArb,
      x: arrayArb,
      y: arrayArb,
      placement: placementArb,
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(call, (spec) => {
        const [incx, incy] = [spacing(spec.incx, 1), spacing(spec.incy, 1)];
        const extent = (inc: unknown) => (isSize(inc) ? vectorExtent(dim(spec.n), inc) : dim(spec.n));
        const buildAxpy = () => {
          const [x, y] = buildArrays(
            [spec.x, spec.y],
            [extent(incx), extent(incy)],
            spec.placement,
            spec.seed,
            'float64',
          );
          const testCase = { n: spec.n, alpha: spec.alpha, incx, incy, x: x.operand, y: y.operand };
          return { args: [spec.n, spec.alpha, x.value, incx, y.value, incy], output: y, testCase };
        };
        const buildScal = () => {
          const [x] = buildArrays([spec.x], [extent(incx)], 'separate', spec.seed, 'float64');
          const testCase = { n: spec.n, alpha: spec.alpha, incx, x: x.operand };
          return { args: [spec.n, spec.alpha, x.value, incx], output: x, testCase };
        };
        if (tryCall(daxpy as never, reference.daxpy as never, buildAxpy)) {
          outcomes.accepted++;
          expect(checkDaxpy(native, reference, buildAxpy().testCase)).toBeUndefined();
        } else outcomes.rejected++;
        if (tryCall(dscal as never, reference.dscal as never, buildScal)) {
          expect(checkDscal(native, reference, buildScal().testCase)).toBeUndefined();
        }
      }),
      { numRuns: runs, seed: SEED + 2 },
    );
    outcomes.expectBoth(runs);
  });
});
