// Property-based fuzzing of the public routines with fast-check, in both precisions:
// thousands of argument lists, mixing valid and invalid values in every position. Each
// call must either throw a TypeError or RangeError in the library's message shape,
// leaving its output untouched, or return the reference result; nothing else (no other
// error, no crash, no OpenBLAS parameter complaint). For gemm an independent oracle
// also decides which calls are valid, so the validator can neither refuse a good call
// nor let a bad one through.
//
// The seeds are fixed so that CI is deterministic; BLASPROP_FUZZ_SEED=<n> explores others.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { type DType, daxpy, dgemm, dgemv, dscal, reference, saxpy, sgemm, sgemv, sscal } from '../../dist/index.js';
import {
  type ArraySpec,
  arrayArb,
  type BuiltArray,
  buildArrays,
  FLOAT32_OVERFLOW,
  placementArb,
  scalarArb,
  sizeArb,
  spacing,
  spacingArb,
  transposeArb,
} from '../helpers/arbitrary-args.js';
import { matrixExtent, vectorExtent } from '../helpers/cases.mjs';
import {
  checkDaxpy,
  checkDgemm,
  checkDgemv,
  checkDscal,
  checkSaxpy,
  checkSgemm,
  checkSgemv,
  checkSscal,
} from '../helpers/parity.mjs';

const native = { sgemm, sgemv, saxpy, sscal, dgemm, dgemv, daxpy, dscal };
const SEED = Number(process.env.BLASPROP_FUZZ_SEED ?? 20240611);

type Routine = (...args: unknown[]) => unknown;

/** What differs between the two runs of the fuzz: names, array types, checks, seeds. */
interface Precision {
  dtype: DType;
  gemm: 'sgemm' | 'dgemm';
  gemv: 'sgemv' | 'dgemv';
  axpy: 'saxpy' | 'daxpy';
  scal: 'sscal' | 'dscal';
  arrayName: string;
  otherArrayName: string;
  checks: { gemm: typeof checkDgemm; gemv: typeof checkDgemv; axpy: typeof checkDaxpy; scal: typeof checkDscal };
  /** Added to SEED, so that the two precisions draw different argument lists. */
  seedOffset: number;
}

const PRECISIONS: Precision[] = [
  {
    dtype: 'float64',
    gemm: 'dgemm',
    gemv: 'dgemv',
    axpy: 'daxpy',
    scal: 'dscal',
    arrayName: 'Float64Array',
    otherArrayName: 'Float32Array',
    checks: { gemm: checkDgemm, gemv: checkDgemv, axpy: checkDaxpy, scal: checkDscal },
    seedOffset: 0,
  },
  {
    dtype: 'float32',
    gemm: 'sgemm',
    gemv: 'sgemv',
    axpy: 'saxpy',
    scal: 'sscal',
    arrayName: 'Float32Array',
    otherArrayName: 'Float64Array',
    checks: { gemm: checkSgemm, gemv: checkSgemv, axpy: checkSaxpy, scal: checkSscal },
    seedOffset: 1000,
  },
];

const MAX_INT = 2 ** 31 - 1;
const isSize = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_INT;
const isTranspose = (v: unknown) => v === 'N' || v === 'T';
/** The size used to lay out buffers when the size argument itself is invalid. */
const dim = (v: unknown) => (isSize(v) ? v : 2);

/**
 * A valid alpha or beta, as docs/blas.md states it: a finite number, and in float32
 * one that does not round to Infinity there (below FLOAT32_OVERFLOW in magnitude).
 */
function isScalarIn(dtype: DType, v: unknown): v is number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return false;
  return dtype === 'float64' || Math.abs(v) < FLOAT32_OVERFLOW;
}

/**
 * The error bound of tolerance.mjs holds only far from overflow: once a product
 * passes float32's range, whether the result is Infinity depends on the order and
 * fusing of the operations (OpenBLAS may scale x by alpha first, or fuse alpha·AB with
 * beta·C), so the two backends may legitimately disagree. Such accepted calls (alpha
 * or beta drawn near float32's largest value) are checked for acceptance only.
 */
const nearOverflow = (dtype: DType, ...scalars: unknown[]) =>
  dtype === 'float32' && scalars.some((v) => Math.abs(v as number) > 2 ** 100);

/** Tallies outcomes, so a generator that drifts to all-valid or all-invalid fails. */
class Outcomes {
  accepted = 0;
  rejected = 0;
  /** Rejections naming an argument that was an array of the other precision. */
  otherPrecision = 0;
  expectBoth(runs: number) {
    expect(this.accepted, 'valid calls').toBeGreaterThan(runs * 0.15);
    expect(this.rejected, 'invalid calls').toBeGreaterThan(runs * 0.15);
    expect(this.otherPrecision, 'calls rejected for an array of the other precision').toBeGreaterThan(0);
  }
}

interface Built {
  args: unknown[];
  output: BuiltArray;
  /** The array arguments by name, to judge an error that names one of them. */
  arrays: Record<string, BuiltArray>;
}

/**
 * Calls `routine` on the built arguments. A throw must be a TypeError or RangeError
 * in the library's shape, match what the reference throws on identical arguments,
 * and leave the output buffer as it was; if it names an array argument that was no
 * live array of the routine's precision, it must be a TypeError, and for an array of
 * the other precision one that says so. Returns whether the call was accepted.
 */
function tryCall(
  precision: Precision,
  routine: Routine,
  referenceRoutine: Routine,
  build: () => Built,
  outcomes: Outcomes,
): boolean {
  const { args, output, arrays } = build();
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
  const named = /^Expected .+? for (\S+) but received /.exec(error.message)?.[1] ?? '';
  const array = Object.hasOwn(arrays, named) ? arrays[named] : undefined;
  if (array !== undefined && array.operand === undefined) expect(error).toBeInstanceOf(TypeError);
  if (array?.kind === 'other precision') {
    outcomes.otherPrecision++;
    expect(error.message).toContain(
      `Expected a ${precision.arrayName} for ${named} but received ${precision.otherArrayName}`,
    );
  }
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

const gemmCall = fc.record({
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

type GemmCall = typeof gemmCall extends fc.Arbitrary<infer T> ? T : never;

/** Lays out a gemm call: shapes from the sizes as given (2 standing in for a bad one). */
function buildGemm(dtype: DType, call: GemmCall) {
  const { transA, transB, m, n, k } = call;
  const [aRows, aCols] = transA === 'T' ? [dim(k), dim(m)] : [dim(m), dim(k)];
  const [bRows, bCols] = transB === 'T' ? [dim(n), dim(k)] : [dim(k), dim(n)];
  const lda = spacing(call.lda, Math.max(1, aCols));
  const ldb = spacing(call.ldb, Math.max(1, bCols));
  const ldc = spacing(call.ldc, Math.max(1, dim(n)));
  const extent = (rows: number, cols: number, ld: unknown) => (isSize(ld) ? matrixExtent(rows, cols, ld) : rows * cols);
  const needed = [extent(aRows, aCols, lda), extent(bRows, bCols, ldb), extent(dim(m), dim(n), ldc)];
  const specs: ArraySpec[] = [call.a, call.b, call.c];
  const [a, b, c] = buildArrays(specs, needed, call.placement, call.seed, dtype);
  const args = [transA, transB, m, n, k, call.alpha, a.value, lda, b.value, ldb, call.beta, c.value, ldc];
  return { args, output: c, arrays: { a, b, c }, a, b, c, lda, ldb, ldc, needed };
}

/**
 * The gemm contract, written out from docs/blas.md independently of
 * src/blas/validate.ts: a live array of the routine's precision is what buildArrays
 * gives an operand to, so an array of the other precision is invalid like any other.
 */
function gemmIsValid(dtype: DType, call: GemmCall, built: ReturnType<typeof buildGemm>): boolean {
  const { transA, transB, m, n, k, alpha, beta } = call;
  const scalarsOk = isScalarIn(dtype, alpha) && isScalarIn(dtype, beta);
  if (!isTranspose(transA) || !isTranspose(transB) || ![m, n, k].every(isSize) || !scalarsOk) return false;
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

describe.each(PRECISIONS)('fuzzing the $dtype BLAS routines', (precision) => {
  const { dtype, checks, seedOffset } = precision;
  const routine = (name: keyof typeof native) => native[name] as Routine;
  const referenceRoutine = (name: keyof typeof native) => reference[name] as Routine;

  it(`${precision.gemm}: valid calls match the reference, invalid ones throw TypeError or RangeError`, () => {
    const runs = 3000;
    const outcomes = new Outcomes();
    fc.assert(
      fc.property(gemmCall, (call) => {
        const build = () => buildGemm(dtype, call);
        const accepted = tryCall(precision, routine(precision.gemm), referenceRoutine(precision.gemm), build, outcomes);
        expect(accepted, 'accepted exactly the calls the oracle deems valid').toBe(gemmIsValid(dtype, call, build()));
        if (!accepted) return void outcomes.rejected++;
        outcomes.accepted++;
        if (nearOverflow(dtype, call.alpha, call.beta)) return;
        const { args, a, b, c } = build();
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
        expect(checks.gemm(native, reference, testCase)).toBeUndefined();
      }),
      { numRuns: runs, seed: SEED + seedOffset },
    );
    outcomes.expectBoth(runs);
  });

  it(`${precision.gemv}: native and reference agree on every argument list`, () => {
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
          const [a, x, y] = buildArrays([spec.a, spec.x, spec.y], needed, spec.placement, spec.seed, dtype);
          const { trans, m, n, alpha, beta } = spec;
          const testCase = { trans, m, n, alpha, beta, lda, incx, incy, xLength, yLength };
          const args = [trans, m, n, alpha, a.value, lda, x.value, incx, beta, y.value, incy];
          const operands = { a: a.operand, x: x.operand, y: y.operand };
          return { args, output: y, arrays: { a, x, y }, testCase: { ...testCase, ...operands } };
        };
        const gemv = [routine(precision.gemv), referenceRoutine(precision.gemv)] as const;
        if (!tryCall(precision, ...gemv, build, outcomes)) return void outcomes.rejected++;
        outcomes.accepted++;
        if (nearOverflow(dtype, spec.alpha, spec.beta)) return;
        expect(checks.gemv(native, reference, build().testCase)).toBeUndefined();
      }),
      { numRuns: runs, seed: SEED + seedOffset + 1 },
    );
    outcomes.expectBoth(runs);
  });

  it(`${precision.axpy} and ${precision.scal}: native and reference agree on every argument list`, () => {
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
          const needed = [extent(incx), extent(incy)];
          const [x, y] = buildArrays([spec.x, spec.y], needed, spec.placement, spec.seed, dtype);
          const testCase = { n: spec.n, alpha: spec.alpha, incx, incy, x: x.operand, y: y.operand };
          return { args: [spec.n, spec.alpha, x.value, incx, y.value, incy], output: y, arrays: { x, y }, testCase };
        };
        const buildScal = () => {
          const [x] = buildArrays([spec.x], [extent(incx)], 'separate', spec.seed, dtype);
          const testCase = { n: spec.n, alpha: spec.alpha, incx, x: x.operand };
          return { args: [spec.n, spec.alpha, x.value, incx], output: x, arrays: { x }, testCase };
        };
        const axpy = [routine(precision.axpy), referenceRoutine(precision.axpy)] as const;
        if (tryCall(precision, ...axpy, buildAxpy, outcomes)) {
          outcomes.accepted++;
          expect(checks.axpy(native, reference, buildAxpy().testCase)).toBeUndefined();
        } else outcomes.rejected++;
        // scal is a single multiplication per element: even near overflow both backends
        // round the same product, so it is compared bit for bit on every accepted call.
        const scal = [routine(precision.scal), referenceRoutine(precision.scal)] as const;
        if (tryCall(precision, ...scal, buildScal, outcomes)) {
          expect(checks.scal(native, reference, buildScal().testCase)).toBeUndefined();
        }
      }),
      { numRuns: runs, seed: SEED + seedOffset + 2 },
    );
    outcomes.expectBoth(runs);
  });
});
