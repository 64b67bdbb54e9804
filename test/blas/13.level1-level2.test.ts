// gemv, axpy and scal in both precisions (s- on Float32Arrays, d- on Float64Arrays):
// the parity battery's groups for them (test/helpers/blas-suite.mjs; tolerance
// explained in test/helpers/tolerance.mjs), their special cases, and the arguments
// they reject, on both backends.

import { describe, expect, it } from 'vitest';

import { daxpy, dgemm, dgemv, dscal, reference, saxpy, sgemm, sgemv, sscal } from '../../dist/index.js';
import { parityGroupsOf, runParityGroup } from '../helpers/blas-suite.mjs';
import { type ArgumentErrorShape, expectArgumentError } from '../helpers/errors.js';

const native = { sgemm, sgemv, saxpy, sscal, dgemm, dgemv, daxpy, dscal };
const backends = [
  ['native', native],
  ['reference', reference],
] as const;

type Routines = typeof reference;
type AnyArray = Float32Array | Float64Array;
type AnyRoutine = (...args: unknown[]) => AnyArray;

/** One precision: its routines' prefix, its array, and the array of the other one. */
const PRECISIONS = [
  { p: 's', F: Float32Array, Other: Float64Array },
  { p: 'd', F: Float64Array, Other: Float32Array },
] as const;

/** `routines`' routine `name` in precision `p`, untyped so that bad arguments can be passed. */
const routine = (routines: Routines, p: string, name: string) =>
  (routines as unknown as Record<string, AnyRoutine>)[`${p}${name}`];

describe('parity with the reference', () => {
  it.each(PRECISIONS.flatMap(({ p }) => ['gemv', 'axpy', 'scal'].flatMap((name) => parityGroupsOf(`${p}${name}`))))(
    '$name',
    (group) => {
      const { cases, failures } = runParityGroup(group, native, reference);
      expect(failures).toEqual([]);
      expect(cases).toBeGreaterThan(0);
    },
  );
});

describe.each(backends.flatMap(([backend, routines]) => PRECISIONS.map(({ p, F }) => ({ backend, routines, p, F }))))(
  'BLAS semantics ($p-routines, $backend)',
  ({ routines: all, p, F }) => {
    const [gemv, axpy, scal] = [routine(all, p, 'gemv'), routine(all, p, 'axpy'), routine(all, p, 'scal')];
    const A = () => new F([1, 2, 3, 4, 5, 6]); // 2×3

    it('gemv computes a small known product, either way round', () => {
      expect(Array.from(gemv('N', 2, 3, 1, A(), 3, new F([1, 0, -1]), 1, 0, new F(2), 1))).toEqual([-2, -2]);
      expect(Array.from(gemv('T', 2, 3, 2, A(), 3, new F([1, -1]), 1, 1, new F([1, 1, 1]), 1))).toEqual([-5, -5, -5]);
    });

    it('gemv never reads y when beta = 0', () => {
      const y = new F([NaN, Infinity]);
      gemv('N', 2, 3, 1, A(), 3, new F([1, 1, 1]), 1, 0, y, 1);
      expect(Array.from(y)).toEqual([6, 15]);
    });

    it('gemv never reads a or x when alpha = 0', () => {
      const y = new F([1, -2]);
      gemv('N', 2, 3, 0, new F([NaN, 1, 1, 1, Infinity, 1]), 3, new F([NaN, 1, 1]), 1, 3, y, 1);
      expect(Array.from(y)).toEqual([3, -6]);
    });

    it.each([
      ['N', 2, 0],
      ['T', 0, 2],
    ] as const)(
      'gemv %s with an empty inner dimension (m = %i, n = %i) scales y by beta, like gemm with k = 0',
      (trans, m, n) => {
        const empty = new F(0);
        const y = new F([4, -6]);
        gemv(trans, m, n, 1, empty, Math.max(1, n), empty, 1, 0.5, y, 1);
        expect(Array.from(y)).toEqual([2, -3]);
        const poisoned = new F([NaN, -Infinity]);
        gemv(trans, m, n, 1, empty, Math.max(1, n), empty, 1, 0, poisoned, 1);
        expect(Array.from(poisoned)).toEqual([0, 0]);
      },
    );

    it('gemv writes only every incy-th element of y', () => {
      const y = new F([9, 9, 9, 9]);
      gemv('N', 2, 3, 1, A(), 3, new F([1, 7, 1, 7, 1]), 2, 0, y, 3);
      expect(Array.from(y)).toEqual([6, 9, 9, 15]);
    });

    it('axpy adds alpha·x at the given strides and leaves the elements between alone', () => {
      const y = new F([1, 5, 2, 5, 3]);
      axpy(3, -2, new F([1, 2, 3]), 1, y, 2);
      expect(Array.from(y)).toEqual([-1, 5, -2, 5, -3]);
    });

    it('axpy never reads x when alpha = 0', () => {
      const y = new F([1, 2]);
      axpy(2, 0, new F([NaN, Infinity]), 1, y, 1);
      expect(Array.from(y)).toEqual([1, 2]);
    });

    it('scal multiplies in place at the given stride', () => {
      const x = new F([1, 7, -2, 7, 3]);
      expect(scal(3, -0.5, x, 2)).toBe(x);
      expect(Array.from(x)).toEqual([-0.5, 7, 1, 7, -1.5]);
    });

    it('scal with alpha = 0 is an IEEE multiplication, as in reference BLAS: NaN and Infinity give NaN', () => {
      const x = new F([NaN, Infinity, -Infinity, 3, -3]);
      scal(5, 0, x, 1);
      expect(Object.is(x[0], NaN) && Object.is(x[1], NaN) && Object.is(x[2], NaN)).toBe(true);
      expect(Object.is(x[3], 0)).toBe(true);
      expect(Object.is(x[4], -0)).toBe(true);
    });

    it('does nothing for n = 0', () => {
      const x = new F([NaN, 1]);
      scal(0, 0, x, 1);
      axpy(0, 2, new F([1]), 1, x, 1);
      expect(Array.from(x)).toEqual([NaN, 1]);
    });
  },
);

type Row = [
  label: string,
  call: (r: typeof reference) => unknown,
  output: () => AnyArray | undefined,
  error: ArgumentErrorShape,
];

/** Rejected calls of one precision's routines, each with the output it must leave alone. */
function rows(
  p: string,
  F: typeof Float32Array | typeof Float64Array,
  Other: typeof Float32Array | typeof Float64Array,
): Row[] {
  /** A fresh gemv call for A 2×3, x of 3, y of 2, with some arguments replaced. */
  function gemv(overrides: Record<string, unknown> = {}) {
    const args: Record<string, unknown> = {
      trans: 'N',
      m: 2,
      n: 3,
      alpha: 1,
      a: new F([1, 2, 3, 4, 5, 6]),
      lda: 3,
      x: new F([1, 2, 3]),
      incx: 1,
      beta: 0,
      y: new F([7, 8]),
      incy: 1,
      ...overrides,
    };
    const { trans, m, n, alpha, a, lda, x, incx, beta, y, incy } = args;
    return {
      y: y as AnyArray,
      call: (r: Routines) => routine(r, p, 'gemv')(trans, m, n, alpha, a, lda, x, incx, beta, y, incy),
    };
  }

  function axpy(overrides: Record<string, unknown> = {}) {
    const args: Record<string, unknown> = {
      n: 3,
      alpha: 2,
      x: new F([1, 2, 3]),
      incx: 1,
      y: new F([4, 5, 6]),
      incy: 1,
      ...overrides,
    };
    const { n, alpha, x, incx, y, incy } = args;
    return {
      y: y as AnyArray,
      call: (r: Routines) => routine(r, p, 'axpy')(n, alpha, x, incx, y, incy),
    };
  }

  function scal(overrides: Record<string, unknown> = {}) {
    const args: Record<string, unknown> = { n: 3, alpha: 2, x: new F([1, 2, 3]), incx: 1, ...overrides };
    const { n, alpha, x, incx } = args;
    return {
      y: x as AnyArray,
      call: (r: Routines) => routine(r, p, 'scal')(n, alpha, x, incx),
    };
  }

  function detached(length: number): AnyArray {
    const array = new F(length);
    structuredClone(array.buffer, { transfer: [array.buffer] });
    return array;
  }

  function shared(...ranges: [number, number][]): AnyArray[] {
    const buffer = new F(16).map((_, i) => i + 1);
    return ranges.map(([start, end]) => buffer.subarray(start, end));
  }

  const row = (label: string, make: () => { y: AnyArray; call: Row[1] }, error: ArgumentErrorShape): Row => {
    const built = make();
    return [label.replace(/^d/, p), built.call, () => built.y, error];
  };

  return [
    row('dgemv trans "n"', () => gemv({ trans: 'n' }), { type: RangeError, name: 'trans', received: '"n"' }),
    row('dgemv trans true', () => gemv({ trans: true }), { type: TypeError, name: 'trans', received: 'true' }),
    row('dgemv m negative', () => gemv({ m: -1 }), { type: RangeError, name: 'm', received: '-1' }),
    row('dgemv n non-integer', () => gemv({ n: 1.5 }), { type: RangeError, name: 'n', received: '1.5' }),
    row('dgemv alpha NaN', () => gemv({ alpha: Number.NaN }), { type: RangeError, name: 'alpha', received: 'NaN' }),
    row('dgemv beta a string', () => gemv({ beta: '0' }), { type: TypeError, name: 'beta', received: '"0"' }),
    row('dgemv lda < n', () => gemv({ lda: 2 }), { type: RangeError, name: 'lda', received: '2' }),
    row('dgemv a short', () => gemv({ a: new F(5) }), {
      type: RangeError,
      name: 'a',
      received: `${F.name} of length 5`,
    }),
    row("dgemv a the other precision's array", () => gemv({ a: new Other(6) }), {
      type: TypeError,
      name: 'a',
      received: `${Other.name} of length 6`,
    }),
    row('dgemv a detached', () => gemv({ a: detached(6) }), {
      type: TypeError,
      name: 'a',
      received: `${F.name} of length 0`,
    }),
    row('dgemv x short, not transposed', () => gemv({ x: new F(2) }), {
      type: RangeError,
      name: 'x',
      received: `${F.name} of length 2`,
    }),
    row('dgemv x short, transposed', () => gemv({ trans: 'T', x: new F(1), y: new F(3) }), {
      type: RangeError,
      name: 'x',
      received: `${F.name} of length 1`,
    }),
    row('dgemv x short for its stride', () => gemv({ incx: 2, x: new F(4) }), {
      type: RangeError,
      name: 'x',
      received: `${F.name} of length 4`,
    }),
    row('dgemv y short, not transposed', () => gemv({ y: new F(1) }), {
      type: RangeError,
      name: 'y',
      received: `${F.name} of length 1`,
    }),
    row('dgemv y short, transposed', () => gemv({ trans: 'T', x: new F(2), y: new F(2) }), {
      type: RangeError,
      name: 'y',
      received: `${F.name} of length 2`,
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
      { type: RangeError, name: 'y', received: `${F.name} of length 2` },
    ),
    row(
      'dgemv y overlapping a',
      () => {
        const [a, y] = shared([0, 6], [5, 7]);
        return gemv({ a, y });
      },
      { type: RangeError, name: 'y', received: `${F.name} of length 2` },
    ),
    row('daxpy n negative', () => axpy({ n: -1 }), { type: RangeError, name: 'n', received: '-1' }),
    row('daxpy alpha Infinity', () => axpy({ alpha: Number.POSITIVE_INFINITY }), {
      type: RangeError,
      name: 'alpha',
      received: 'Infinity',
    }),
    row("daxpy x the other precision's array", () => axpy({ x: new Other(3) }), {
      type: TypeError,
      name: 'x',
      received: `${Other.name} of length 3`,
    }),
    row('daxpy x short for its stride', () => axpy({ incx: 2, x: new F(4) }), {
      type: RangeError,
      name: 'x',
      received: `${F.name} of length 4`,
    }),
    row('daxpy y null', () => axpy({ y: null }), { type: TypeError, name: 'y', received: 'null' }),
    row('daxpy y short', () => axpy({ y: new F(2) }), {
      type: RangeError,
      name: 'y',
      received: `${F.name} of length 2`,
    }),
    row('daxpy incx 0', () => axpy({ incx: 0 }), { type: RangeError, name: 'incx', received: '0' }),
    row('daxpy incy non-integer', () => axpy({ incy: 1.5 }), { type: RangeError, name: 'incy', received: '1.5' }),
    row(
      'daxpy y overlapping x',
      () => {
        const [x, y] = shared([0, 3], [1, 4]);
        return axpy({ x, y });
      },
      { type: RangeError, name: 'y', received: `${F.name} of length 3` },
    ),
    row('daxpy y detached', () => axpy({ y: detached(3) }), {
      type: TypeError,
      name: 'y',
      received: `${F.name} of length 0`,
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
    row('dscal x short for its stride', () => scal({ incx: 3, x: new F(6) }), {
      type: RangeError,
      name: 'x',
      received: `${F.name} of length 6`,
    }),
    row('dscal incx 0', () => scal({ incx: 0 }), { type: RangeError, name: 'incx', received: '0' }),
    row('dscal x detached', () => scal({ x: detached(3) }), {
      type: TypeError,
      name: 'x',
      received: `${F.name} of length 0`,
    }),
  ];
}

describe.each(
  backends.flatMap(([backend, routines]) => PRECISIONS.map(({ p, F, Other }) => ({ backend, routines, p, F, Other }))),
)('validation ($p-routines, $backend)', ({ routines, p, F, Other }) => {
  it.each(rows(p, F, Other))('rejects %s, leaving the output as it was', (_label, call, output, error) => {
    const y = output();
    const before = y instanceof F && y.length > 0 ? new F(y.buffer).slice() : undefined;
    expectArgumentError(() => call(routines), error);
    if (before !== undefined && y !== undefined) expect(new F(y.buffer)).toEqual(before);
  });

  it('accepts outputs that share a buffer with the inputs without overlapping them', () => {
    const buffer = new F(16).map((_, i) => i + 1);
    const [a, x, y] = [buffer.subarray(0, 6), buffer.subarray(6, 9), buffer.subarray(9, 11)];
    const gemv = routine(routines, p, 'gemv');
    expect(Array.from(gemv('N', 2, 3, 1, a, 3, x, 1, 0, y, 1))).toEqual([7 + 16 + 27, 28 + 40 + 54]);
    const [u, v] = [buffer.subarray(0, 3), buffer.subarray(3, 6)];
    expect(Array.from(routine(routines, p, 'axpy')(3, 1, u, 1, v, 1))).toEqual([5, 7, 9]);
  });
});
