// Native dgemm against the TypeScript reference: the parity battery's dgemm groups
// (test/helpers/blas-suite.mjs; tolerance explained in test/helpers/tolerance.mjs),
// and the BLAS special cases (empty sizes, alpha = 0, beta = 0) on both backends.
// test/blas/19 runs the same groups on every OpenBLAS kernel family this CPU can run.

import { describe, expect, it } from 'vitest';

import { daxpy, dgemm, dgemv, dscal, reference } from '../../dist/index.js';
import { parityGroupsOf, runParityGroup } from '../helpers/blas-suite.mjs';

const native = { dgemm, dgemv, daxpy, dscal };

describe('dgemm parity with the reference', () => {
  it.each(parityGroupsOf('dgemm'))('$name', (group) => {
    const { cases, failures } = runParityGroup(group, native, reference);
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(0);
  });

  it('accepts a and b being the same array (A·Aᵀ)', () => {
    const a = new Float64Array([1, 2, 3, 4, 5, 6]); // 2×3
    const c = new Float64Array(4);
    expect(dgemm('N', 'T', 2, 2, 3, 1, a, 3, a, 3, 0, c, 2)).toBe(c);
    expect(Array.from(c)).toEqual([14, 32, 32, 77]);
  });
});

describe.each([
  ['native', native],
  ['reference', reference],
])('dgemm BLAS semantics (%s)', (_, routines) => {
  const A = () => new Float64Array([1, 2, 3, 4]); // 2×2
  const B = () => new Float64Array([5, 6, 7, 8]);

  it('multiplies a small known product', () => {
    const c = new Float64Array(4);
    expect(Array.from(routines.dgemm('N', 'N', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2))).toEqual([19, 22, 43, 50]);
    expect(Array.from(routines.dgemm('T', 'N', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2))).toEqual([26, 30, 38, 44]);
    expect(Array.from(routines.dgemm('N', 'T', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2))).toEqual([17, 23, 39, 53]);
    expect(Array.from(routines.dgemm('T', 'T', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2))).toEqual([23, 31, 34, 46]);
  });

  it.each([
    ['m', 0, 2, 2],
    ['n', 2, 0, 2],
  ])('leaves c untouched when %s = 0', (_name, m, n, k) => {
    const c = new Float64Array([NaN, 9, -9, 0.5]);
    routines.dgemm('N', 'N', m, n, k, 1, A(), 2, B(), 2, 0, c, 2);
    expect(Array.from(c)).toEqual([NaN, 9, -9, 0.5]);
  });

  it('accepts empty arrays when every size is 0', () => {
    const empty = new Float64Array(0);
    expect(routines.dgemm('T', 'N', 0, 0, 0, 1, empty, 1, empty.slice(), 1, 0, empty.slice(), 1)).toHaveLength(0);
  });

  it('only scales c by beta when k = 0', () => {
    const none = new Float64Array(0);
    const c = new Float64Array([1, -2, 3.5, 4]);
    routines.dgemm('N', 'N', 2, 2, 0, 7, none, 1, none, 2, -0.5, c, 2);
    expect(Array.from(c)).toEqual([-0.5, 1, -1.75, -2]);
    const poisoned = new Float64Array([NaN, Infinity, -Infinity, 1]);
    routines.dgemm('N', 'N', 2, 2, 0, 7, none, 1, none, 2, 0, poisoned, 2);
    expect(Array.from(poisoned)).toEqual([0, 0, 0, 0]);
  });

  it('never reads c when beta = 0, so NaN and Infinity already in c vanish', () => {
    const c = new Float64Array([NaN, Infinity, -Infinity, NaN]);
    routines.dgemm('N', 'N', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });

  it('never reads a or b when alpha = 0, so NaN in them does not reach c', () => {
    const a = new Float64Array([NaN, 1, Infinity, 1]);
    const b = new Float64Array([1, NaN, 1, -Infinity]);
    const c = new Float64Array([1, 2, 3, 4]);
    routines.dgemm('N', 'N', 2, 2, 2, 0, a, 2, b, 2, 2, c, 2);
    expect(Array.from(c)).toEqual([2, 4, 6, 8]);
    routines.dgemm('N', 'N', 2, 2, 2, 0, a, 2, b, 2, 0, c, 2);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
  });

  it('propagates NaN from a to the rows it touches when alpha ≠ 0', () => {
    const a = new Float64Array([NaN, 0, 1, 1]);
    const c = new Float64Array(4);
    routines.dgemm('N', 'N', 2, 2, 2, 1, a, 2, B(), 2, 0, c, 2);
    expect(Array.from(c)).toEqual([NaN, NaN, 12, 14]);
  });

  it('returns c itself', () => {
    const c = new Float64Array(4);
    expect(routines.dgemm('N', 'N', 2, 2, 2, 1, A(), 2, B(), 2, 0, c, 2)).toBe(c);
  });
});
