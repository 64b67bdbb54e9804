// Native sgemm and dgemm against the TypeScript reference: the parity battery's gemm
// groups (test/helpers/blas-suite.mjs; tolerance explained in test/helpers/tolerance.mjs),
// and the BLAS special cases (empty sizes, alpha = 0, beta = 0) on both backends, in
// both precisions. test/blas/19 runs the same groups on every OpenBLAS kernel family
// this CPU can run.

import { describe, expect, it } from 'vitest';

import { dgemm, reference, sgemm } from '../../dist/index.js';
import { parityGroupsOf, runParityGroup } from '../helpers/blas-suite.mjs';

/** One precision's gemm under one name, and the array it works on. */
type AnyGemm = (...args: unknown[]) => Float32Array | Float64Array;
const PRECISIONS = [
  { routine: 'sgemm', F: Float32Array, native: sgemm as AnyGemm, reference: reference.sgemm as AnyGemm },
  { routine: 'dgemm', F: Float64Array, native: dgemm as AnyGemm, reference: reference.dgemm as AnyGemm },
] as const;

describe.each(PRECISIONS)('$routine parity with the reference', ({ routine, F, native: gemm }) => {
  it.each(parityGroupsOf(routine))('$name', (group) => {
    const { cases, failures } = runParityGroup(group, { [routine]: gemm }, reference);
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(0);
  });

  it('accepts a and b being the same array (A·Aᵀ)', () => {
    const a = new F([1, 2, 3, 4, 5, 6]); // 2×3
    const c = new F(4);
    expect(gemm('N', 'T', 2, 2, 3, 1, a, 3, a, 3, 0, c, 2)).toBe(c);
    expect(Array.from(c)).toEqual([14, 32, 32, 77]);
  });
});

describe.each(
  PRECISIONS.flatMap(({ routine, F, native, reference }) => [
    { routine, F, backend: 'native', gemm: native },
    { routine, F, backend: 'reference', gemm: reference },
  ]),
)('$routine BLAS semantics ($backend)', ({ F, gemm }) => {
  const A = () => new F([1, 2, 3, 4]); // 2×2
  const B = () => new F([5, 6, 7, 8]);

  it('multiplies a small known product', () => {
    const c = new F(4);
    expect(Array.from(gemm('N', 'N', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2))).toEqual([19, 22, 43, 50]);
    expect(Array.from(gemm('T', 'N', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2))).toEqual([26, 30, 38, 44]);
    expect(Array.from(gemm('N', 'T', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2))).toEqual([17, 23, 39, 53]);
    expect(Array.from(gemm('T', 'T', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2))).toEqual([23, 31, 34, 46]);
  });

  it.each([
    ['m', 0, 2, 2],
    ['n', 2, 0, 2],
  ])('leaves c untouched when %s = 0', (_name, m, n, k) => {
    const c = new F([NaN, 9, -9, 0.5]);
    gemm('N', 'N', m, n, k, 1, A(), 2, B(), 2, 0, c, 2);
    expect(Array.from(c)).toEqual([NaN, 9, -9, 0.5]);
  });

  it('accepts empty arrays when every size is 0', () => {
    const empty = new F(0);
    expect(gemm('T', 'N', 0, 0, 0, 1, empty, 1, empty.slice(), 1, 0, empty.slice(), 1)).toHaveLength(0);
  });

  it('only scales c by beta when k = 0', () => {
    const none = new F(0);
    const c = new F([1, -2, 3.5, 4]);
    gemm('N', 'N', 2, 2, 0, 7, none, 1, none, 2, -0.5, c, 2);
    expect(Array.from(c)).toEqual([-0.5, 1, -1.75, -2]);
    const poisoned = new F([NaN, Infinity, -Infinity, 1]);
    gemm('N', 'N', 2, 2, 0, 7, none, 1, none, 2, 0, poisoned, 2);
    expect(Array.from(poisoned)).toEqual([0, 0, 0, 0]);
  });

  it('never reads c when beta = 0, so NaN and Infinity already in c vanish', () => {
    const c = new F([NaN, Infinity, -Infinity, NaN]);
    gemm('N', 'N', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });

  it('never reads a or b when alpha = 0, so NaN in them does not reach c', () => {
    const a = new F([NaN, 1, Infinity, 1]);
    const b = new F([1, NaN, 1, -Infinity]);
    const c = new F([1, 2, 3, 4]);
    gemm('N', 'N', 2, 2, 2, 0, a, 2, b, 2, 2, c, 2);
    expect(Array.from(c)).toEqual([2, 4, 6, 8]);
    gemm('N', 'N', 2, 2, 2, 0, a, 2, b, 2, 0, c, 2);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
  });

  it('propagates NaN from a to the rows it touches when alpha ≠ 0', () => {
    const a = new F([NaN, 0, 1, 1]);
    const c = new F(4);
    gemm('N', 'N', 2, 2, 2, 1, a, 2, B(), 2, 0, c, 2);
    expect(Array.from(c)).toEqual([NaN, NaN, 12, 14]);
  });

  it('returns c itself', () => {
    const c = new F(4);
    expect(gemm('N', 'N', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2)).toBe(c);
  });
});

describe.each([
  ['native', sgemm as AnyGemm],
  ['reference', reference.sgemm as AnyGemm],
])('sgemm in float32 (%s)', (_, gemm) => {
  it('rounds alpha and beta to float32 first: an alpha that rounds to 0 reads neither a nor b', () => {
    const a = new Float32Array([NaN, 1, Infinity, 1]);
    const b = new Float32Array([1, NaN, 1, -Infinity]);
    const c = new Float32Array([1, 2, 3, 4]);
    gemm('N', 'N', 2, 2, 2, 1e-50, a, 2, b, 2, 1e-50, c, 2);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
  });

  it('uses alpha as float32 holds it', () => {
    const c = new Float32Array(1);
    gemm('N', 'N', 1, 1, 1, 0.1, new Float32Array([1]), 1, new Float32Array([1]), 1, 0, c, 1);
    expect(c[0]).toBe(Math.fround(0.1));
  });
});

describe('the float32 reference', () => {
  it('rounds every step to float32, as single-precision hardware does', () => {
    // 1 + 3·2^-25 is closer to 1 + 2^-23 than to 1, but each 2^-25 added to 1 in float32
    // alone rounds away: summed step by step in float32 the answer is 1.
    const tiny = 2 ** -25;
    const c = new Float32Array(1);
    reference.sgemm(
      'N',
      'N',
      1,
      1,
      4,
      1,
      new Float32Array([1, tiny, tiny, tiny]),
      4,
      new Float32Array([1, 1, 1, 1]),
      1,
      0,
      c,
      1,
    );
    expect(c[0]).toBe(1);
    const d = new Float64Array(1);
    reference.dgemm(
      'N',
      'N',
      1,
      1,
      4,
      1,
      new Float64Array([1, tiny, tiny, tiny]),
      4,
      new Float64Array([1, 1, 1, 1]),
      1,
      0,
      d,
      1,
    );
    expect(Math.fround(d[0])).toBe(1 + 2 ** -23);
  });
});
