// dgemv, daxpy and dscal: the parity battery's groups for them (test/helpers/blas-suite.mjs;
// tolerance explained in test/helpers/tolerance.mjs), their special cases, and the
// arguments they reject, on both backends.

import { describe, expect, it } from 'vitest';

import { daxpy, dgemm, dgemv, dscal, reference } from '../../dist/index.js';
import { parityGroupsOf, runParityGroup } from '../helpers/blas-suite.mjs';
import { type ArgumentErrorShape, expectArgumentError } from '../helpers/errors.js';

const native = { dgemm, dgemv, daxpy, dscal };
const backends = [
  ['native', native],
  ['reference', reference],
] as const;

describe('parity with the reference', () => {
  it.each([...parityGroupsOf('dgemv'), ...parityGroupsOf('daxpy'), ...parityGroupsOf('dscal')])('$name', (group) => {
    const { cases, failures } = runParityGroup(group, native, reference);
    expect(failures).toEqual([]);
    expect(cases).toBeGreaterThan(0);
  });
});

describe.each(backends)('BLAS semantics (%s)', (_, routines) => {
  const A = () => new Float64Array([1, 2, 3, 4, 5, 6]); // 2×3

  it('dgemv computes a small known product, either way round', () => {
    expect(
      Array.from(routines.dgemv('N', 2, 3, 1, A(), 3, new Float64Array([1, 0, -1]), 1, 0, new Float64Array(2), 1)),
    ).toEqual([-2, -2]);
    expect(
      Array.from(routines.dgemv('T', 2, 3, 2, A(), 3, new Float64Array([1, -1]), 1, 1, new Float64Array([1, 1, 1]), 1)),
    ).toEqual([-5, -5, -5]);
  });

  it('dgemv never reads y when beta = 0', () => {
    const y = new Float64Array([NaN, Infinity]);
    routines.dgemv('N', 2, 3, 1, A(), 3, new Float64Array([1, 1, 1]), 1, 0, y, 1);
    expect(Array.from(y)).toEqual([6, 15]);
  });

  it('dgemv never reads a or x when alpha = 0', () => {
    const y = new Float64Array([1, -2]);
    routines.dgemv(
      'N',
      2,
      3,
      0,
      new Float64Array([NaN, 1, 1, 1, Infinity, 1]),
      3,
      new Float64Array([NaN, 1, 1]),
      1,
      3,
      y,
      1,
    );
    expect(Array.from(y)).toEqual([3, -6]);
  });

  it.each([
    ['N', 2, 0],
    ['T', 0, 2],
  ] as const)(
    'dgemv %s with an empty inner dimension (m = %i, n = %i) scales y by beta, like dgemm with k = 0',
    (trans, m, n) => {
      const empty = new Float64Array(0);
      const y = new Float64Array([4, -6]);
      routines.dgemv(trans, m, n, 1, empty, Math.max(1, n), empty, 1, 0.5, y, 1);
      expect(Array.from(y)).toEqual([2, -3]);
      const poisoned = new Float64Array([NaN, -Infinity]);
      routines.dgemv(trans, m, n, 1, empty, Math.max(1, n), empty, 1, 0, poisoned, 1);
      expect(Array.from(poisoned)).toEqual([0, 0]);
    },
  );

  it('dgemv writes only every incy-th element of y', () => {
    const y = new Float64Array([9, 9, 9, 9]);
    routines.dgemv('N', 2, 3, 1, A(), 3, new Float64Array([1, 7, 1, 7, 1]), 2, 0, y, 3);
    expect(Array.from(y)).toEqual([6, 9, 9, 15]);
  });

  it('daxpy adds alpha·x at the given strides and leaves the elements between alone', () => {
    const y = new Float64Array([1, 5, 2, 5, 3]);
    routines.daxpy(3, -2, new Float64Array([1, 2, 3]), 1, y, 2);
    expect(Array.from(y)).toEqual([-1, 5, -2, 5, -3]);
  });

  it('daxpy never reads x when alpha = 0', () => {
    const y = new Float64Array([1, 2]);
    routines.daxpy(2, 0, new Float64Array([NaN, Infinity]), 1, y, 1);
    expect(Array.from(y)).toEqual([1, 2]);
  });

  it('dscal multiplies in place at the given stride', () => {
    const x = new Float64Array([1, 7, -2, 7, 3]);
    expect(routines.dscal(3, -0.5, x, 2)).toBe(x);
    expect(Array.from(x)).toEqual([-0.5, 7, 1, 7, -1.5]);
  });

  it('dscal with alpha = 0 is an IEEE multiplication, as in reference BLAS: NaN and Infinity give NaN', () => {
    const x = new Float64Array([NaN, Infinity, -Infinity, 3, -3]);
    routines.dscal(5, 0, x, 1);
    expect(Object.is(x[0], NaN) && Object.is(x[1], NaN) && Object.is(x[2], NaN)).toBe(true);
    expect(Object.is(x[3], 0)).toBe(true);
    expect(Object.is(x[4], -0)).toBe(true);
  });

  it('does nothing for n = 0', () => {
    const x = new Float64Array([NaN, 1]);
    routines.dscal(0, 0, x, 1);
    routines.daxpy(0, 2, new Float64Array([1]), 1, x, 1);
    expect(Array.from(x)).toEqual([NaN, 1]);
  });
});

type Row = [
  label: string,
  call: (r: typeof reference) => unknown,
  output: () => Float64Array | undefined,
  error: ArgumentErrorShape,
];

/** A fresh dgemv call for A 2×3, x of 3, y of 2, with some arguments replaced. */
function gemv(overrides: Record<string, unknown> = {}) {
  const args: Record<string, unknown> = {
    trans: 'N',
    m: 2,
    n: 3,
    alpha: 1,
    a: new Float64Array([1, 2, 3, 4, 5, 6]),
    lda: 3,
    x: new Float64Array([1, 2, 3]),
    incx: 1,
    beta: 0,
    y: new Float64Array([7, 8]),
    incy: 1,
    ...overrides,
  };
  const { trans, m, n, alpha, a, lda, x, incx, beta, y, incy } = args;
  return {
    y: y as Float64Array,
    call: (r: typeof reference) =>
      (r.dgemv as (...v: unknown[]) => unknown)(trans, m, n, alpha, a, lda, x, incx, beta, y, incy),
  };
}

function axpy(overrides: Record<string, unknown> = {}) {
  const args: Record<string, unknown> = {
    n: 3,
    alpha: 2,
    x: new Float64Array([1, 2, 3]),
    incx: 1,
    y: new Float64Array([4, 5, 6]),
    incy: 1,
    ...overrides,
  };
  const { n, alpha, x, incx, y, incy } = args;
  return {
    y: y as Float64Array,
    call: (r: typeof reference) => (r.daxpy as (...v: unknown[]) => unknown)(n, alpha, x, incx, y, incy),
  };
}

function scal(overrides: Record<string, unknown> = {}) {
  const args: Record<string, unknown> = { n: 3, alpha: 2, x: new Float64Array([1, 2, 3]), incx: 1, ...overrides };
  const { n, alpha, x, incx } = args;
  return {
    y: x as Float64Array,
    call: (r: typeof reference) => (r.dscal as (...v: unknown[]) => unknown)(n, alpha, x, incx),
  };
}

function detached(length: number): Float64Array {
  const array = new Float64Array(length);
  structuredClone(array.buffer, { transfer: [array.buffer] });
  return array;
}

function shared(...ranges: [number, number][]): Float64Array[] {
  const buffer = new Float64Array(16).map((_, i) => i + 1);
  return ranges.map(([start, end]) => buffer.subarray(start, end));
}

const row = (label: string, make: () => { y: Float64Array; call: Row[1] }, error: ArgumentErrorShape): Row => {
  const built = make();
  return [label, built.call, () => built.y, error];
};

const rows = (): Row[] => [
  row('dgemv trans "n"', () => gemv({ trans: 'n' }), { type: RangeError, name: 'trans', received: '"n"' }),
  row('dgemv trans true', () => gemv({ trans: true }), { type: TypeError, name: 'trans', received: 'true' }),
  row('dgemv m negative', () => gemv({ m: -1 }), { type: RangeError, name: 'm', received: '-1' }),
  row('dgemv n non-integer', () => gemv({ n: 1.5 }), { type: RangeError, name: 'n', received: '1.5' }),
  row('dgemv alpha NaN', () => gemv({ alpha: Number.NaN }), { type: RangeError, name: 'alpha', received: 'NaN' }),
  row('dgemv beta a string', () => gemv({ beta: '0' }), { type: TypeError, name: 'beta', received: '"0"' }),
  row('dgemv lda < n', () => gemv({ lda: 2 }), { type: RangeError, name: 'lda', received: '2' }),
  row('dgemv a short', () => gemv({ a: new Float64Array(5) }), {
    type: RangeError,
    name: 'a',
    received: 'Float64Array of length 5',
  }),
  row('dgemv a a Float32Array', () => gemv({ a: new Float32Array(6) }), {
    type: TypeError,
    name: 'a',
    received: 'Float32Array of length 6',
  }),
  row('dgemv a detached', () => gemv({ a: detached(6) }), {
    type: TypeError,
    name: 'a',
    received: 'Float64Array of length 0',
  }),
  row('dgemv x short, not transposed', () => gemv({ x: new Float64Array(2) }), {
    type: RangeError,
    name: 'x',
    received: 'Float64Array of length 2',
  }),
  row('dgemv x short, transposed', () => gemv({ trans: 'T', x: new Float64Array(1), y: new Float64Array(3) }), {
    type: RangeError,
    name: 'x',
    received: 'Float64Array of length 1',
  }),
  row('dgemv x short for its stride', () => gemv({ incx: 2, x: new Float64Array(4) }), {
    type: RangeError,
    name: 'x',
    received: 'Float64Array of length 4',
  }),
  row('dgemv y short, not transposed', () => gemv({ y: new Float64Array(1) }), {
    type: RangeError,
    name: 'y',
    received: 'Float64Array of length 1',
  }),
  row('dgemv y short, transposed', () => gemv({ trans: 'T', x: new Float64Array(2), y: new Float64Array(2) }), {
    type: RangeError,
    name: 'y',
    received: 'Float64Array of length 2',
  }),
  row('dgemv y a plain array', () => gemv({ y: [0, 0] }), {
    type: TypeError,
    name: 'y',
    received: 'Array of length 2',
  }),
  row('dgemv incx 0', () => gemv({ incx: 0 }), { type: RangeError, name: 'incx', received: '0' }),
  row('dgemv incy negative', () => gemv({ incy: -1 }), { type: RangeError, name: 'incy', received: '-1' }),
  row('dgemv incy a string', () => gemv({ incy: '1' }), { type: TypeError, name: 'incy', received: '"1"' }),
  row(
    'dgemv y overlapping x',
    () => {
      const [x, y] = shared([0, 3], [2, 4]);
      return gemv({ x, y });
    },
    { type: RangeError, name: 'y', received: 'Float64Array of length 2' },
  ),
  row(
    'dgemv y overlapping a',
    () => {
      const [a, y] = shared([0, 6], [5, 7]);
      return gemv({ a, y });
    },
    { type: RangeError, name: 'y', received: 'Float64Array of length 2' },
  ),
  row('daxpy n negative', () => axpy({ n: -1 }), { type: RangeError, name: 'n', received: '-1' }),
  row('daxpy alpha Infinity', () => axpy({ alpha: Number.POSITIVE_INFINITY }), {
    type: RangeError,
    name: 'alpha',
    received: 'Infinity',
  }),
  row('daxpy x a Float32Array', () => axpy({ x: new Float32Array(3) }), {
    type: TypeError,
    name: 'x',
    received: 'Float32Array of length 3',
  }),
  row('daxpy x short for its stride', () => axpy({ incx: 2, x: new Float64Array(4) }), {
    type: RangeError,
    name: 'x',
    received: 'Float64Array of length 4',
  }),
  row('daxpy y null', () => axpy({ y: null }), { type: TypeError, name: 'y', received: 'null' }),
  row('daxpy y short', () => axpy({ y: new Float64Array(2) }), {
    type: RangeError,
    name: 'y',
    received: 'Float64Array of length 2',
  }),
  row('daxpy incx 0', () => axpy({ incx: 0 }), { type: RangeError, name: 'incx', received: '0' }),
  row('daxpy incy non-integer', () => axpy({ incy: 1.5 }), { type: RangeError, name: 'incy', received: '1.5' }),
  row(
    'daxpy y overlapping x',
    () => {
      const [x, y] = shared([0, 3], [1, 4]);
      return axpy({ x, y });
    },
    { type: RangeError, name: 'y', received: 'Float64Array of length 3' },
  ),
  row('daxpy y detached', () => axpy({ y: detached(3) }), {
    type: TypeError,
    name: 'y',
    received: 'Float64Array of length 0',
  }),
  row('dscal n NaN', () => scal({ n: Number.NaN }), { type: RangeError, name: 'n', received: 'NaN' }),
  row('dscal n a bigint', () => scal({ n: 3n }), { type: TypeError, name: 'n', received: '3n' }),
  row('dscal alpha -Infinity', () => scal({ alpha: Number.NEGATIVE_INFINITY }), {
    type: RangeError,
    name: 'alpha',
    received: '-Infinity',
  }),
  row('dscal x undefined', () => scal({ x: undefined }), { type: TypeError, name: 'x', received: 'undefined' }),
  row('dscal x a DataView', () => scal({ x: new DataView(new ArrayBuffer(24)) }), {
    type: TypeError,
    name: 'x',
    received: 'DataView',
  }),
  row('dscal x short for its stride', () => scal({ incx: 3, x: new Float64Array(6) }), {
    type: RangeError,
    name: 'x',
    received: 'Float64Array of length 6',
  }),
  row('dscal incx 0', () => scal({ incx: 0 }), { type: RangeError, name: 'incx', received: '0' }),
  row('dscal x detached', () => scal({ x: detached(3) }), {
    type: TypeError,
    name: 'x',
    received: 'Float64Array of length 0',
  }),
];

describe.each(backends)('validation (%s)', (_, routines) => {
  it.each(rows())('rejects %s, leaving the output as it was', (_label, call, output, error) => {
    const y = output();
    const before = y instanceof Float64Array && y.length > 0 ? new Float64Array(y.buffer).slice() : undefined;
    expectArgumentError(() => call(routines), error);
    if (before !== undefined && y !== undefined) expect(new Float64Array(y.buffer)).toEqual(before);
  });

  it('accepts outputs that share a buffer with the inputs without overlapping them', () => {
    const [a, x, y] = shared([0, 6], [6, 9], [9, 11]);
    expect(Array.from(routines.dgemv('N', 2, 3, 1, a, 3, x, 1, 0, y, 1))).toEqual([7 + 16 + 27, 28 + 40 + 54]);
    const [u, v] = shared([0, 3], [3, 6]);
    expect(Array.from(routines.daxpy(3, 1, u, 1, v, 1))).toEqual([5, 7, 9]);
  });
});
