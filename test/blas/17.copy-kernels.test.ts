// The kernels that only move values (gatherRows, repeatRow, fill): native and
// reference must agree bit for bit — there is no arithmetic to round — on edge
// values, odd sizes and subarray views, must write nothing outside their output, and
// must reject the same arguments with the same errors. The gather and the bias copy
// take Float32Arrays too, one dtype per call.

import { describe, expect, it } from 'vitest';

import { fill, gatherRows, repeatRow } from '../../dist/kernels/copy.js';
import { EDGE_VALUES } from '../helpers/cases.mjs';
import { expectArgumentError } from '../helpers/errors.js';
import { Random as SeededRandom } from '../helpers/random.mjs';

const backends = [
  ['native', { gatherRows, repeatRow, fill }],
  ['reference', { gatherRows: gatherRows.reference, repeatRow: repeatRow.reference, fill: fill.reference }],
] as const;

/** Values with every edge value among them, from a seed. */
function values(rng: SeededRandom, length: number): Float64Array {
  return Float64Array.from({ length }, () => (rng.chance(0.3) ? rng.pick(EDGE_VALUES) : 2 * rng.next() - 1));
}

/** An output view with poison on both sides, to see that nothing outside it is written. */
function guarded(length: number): { whole: Float64Array; view: Float64Array } {
  const whole = new Float64Array(length + 6).fill(-7.5);
  return { whole, view: whole.subarray(3, 3 + length) };
}

function expectSameBits(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Object.is(actual[i], expected[i]), `at ${i}`).toBe(true);
}

describe('copy kernels', () => {
  it('gatherRows copies the ordered rows, native as the reference, nothing outside the output', () => {
    const rng = new SeededRandom(11);
    for (const [count, cols, rows] of [
      [0, 3, 4],
      [1, 1, 1],
      [33, 1, 40],
      [5, 3, 9],
      [32, 8, 40],
      [7, 0, 2],
      [3, 17, 3],
    ]) {
      const src = values(rng, rows * cols + 2).subarray(1, 1 + rows * cols);
      const start = rng.int(0, 3);
      const order = Uint32Array.from({ length: start + count + 2 }, () => rng.int(0, Math.max(rows - 1, 0)));
      const native = guarded(count * cols);
      const reference = guarded(count * cols);
      gatherRows(count, cols, src, order, start, native.view);
      gatherRows.reference(count, cols, src, order, start, reference.view);
      expectSameBits(native.whole, reference.whole);
      for (let r = 0; r < count; r++) {
        expectSameBits(
          native.view.subarray(r * cols, (r + 1) * cols),
          src.subarray(order[start + r] * cols, (order[start + r] + 1) * cols),
        );
      }
      expect(native.whole[2]).toBe(-7.5);
      expect(native.whole[3 + count * cols]).toBe(-7.5);
    }
  });

  it('repeatRow and fill write their output exactly, native as the reference', () => {
    const rng = new SeededRandom(12);
    for (const [rows, cols] of [
      [0, 4],
      [1, 1],
      [33, 1],
      [32, 16],
      [7, 3],
      [4, 0],
    ]) {
      const row = values(rng, cols);
      const native = guarded(rows * cols);
      const reference = guarded(rows * cols);
      repeatRow(rows, cols, row, native.view);
      repeatRow.reference(rows, cols, row, reference.view);
      expectSameBits(native.whole, reference.whole);
      for (let r = 0; r < rows; r++) expectSameBits(native.view.subarray(r * cols, (r + 1) * cols), row);
    }
    for (const value of EDGE_VALUES) {
      for (const n of [0, 1, 5, 33]) {
        const native = guarded(n);
        const reference = guarded(n);
        fill(n, value, native.view);
        fill.reference(n, value, reference.view);
        expectSameBits(native.whole, reference.whole);
        expect(native.view.every((v) => Object.is(v, value))).toBe(true);
      }
    }
  });

  for (const [label, kernels] of backends) {
    it(`reject bad arguments, writing nothing (${label})`, () => {
      const src = new Float64Array(12);
      const out = new Float64Array(8);
      const order = Uint32Array.of(0, 1, 2, 3);
      expectArgumentError(() => kernels.gatherRows(2, 3, src, order, 3, out), {
        type: RangeError,
        name: 'order',
        received: 'Uint32Array of length 4',
      });
      expectArgumentError(() => kernels.gatherRows(2, 3, src, Uint32Array.of(1, 4), 0, new Float64Array(6)), {
        type: RangeError,
        name: 'order[1]',
        received: '4',
      });
      expectArgumentError(() => kernels.gatherRows(2, 4, src, order, 0, new Float64Array(7)), {
        type: RangeError,
        name: 'dst',
        received: 'Float64Array of length 7',
      });
      expectArgumentError(() => kernels.gatherRows(2, 3, src, [0, 1] as never, 0, out), {
        type: TypeError,
        name: 'order',
        received: 'Array of length 2',
      });
      expectArgumentError(() => kernels.gatherRows(1.5, 3, src, order, 0, out), {
        type: RangeError,
        name: 'count',
        received: '1.5',
      });
      expectArgumentError(() => kernels.gatherRows(2, 3, src, order, -1, out), {
        type: RangeError,
        name: 'start',
        received: '-1',
      });
      expectArgumentError(() => kernels.gatherRows(2, 3, src, order, 0, src.subarray(6)), {
        type: RangeError,
        name: 'dst',
        received: 'Float64Array of length 6',
      });
      const detached = new Float64Array(6);
      structuredClone(detached.buffer, { transfer: [detached.buffer] });
      expectArgumentError(() => kernels.gatherRows(1, 3, detached, order, 0, out), {
        type: TypeError,
        name: 'src',
        received: 'Float64Array of length 0',
      });
      expectArgumentError(() => kernels.repeatRow(3, 3, new Float64Array(2), out), {
        type: RangeError,
        name: 'row',
        received: 'Float64Array of length 2',
      });
      expectArgumentError(() => kernels.repeatRow(3, 3, new Float64Array(3), out), {
        type: RangeError,
        name: 'out',
        received: 'Float64Array of length 8',
      });
      expectArgumentError(() => kernels.repeatRow(2, 3, out.subarray(0, 3), out), {
        type: RangeError,
        name: 'out',
        received: 'Float64Array of length 8',
      });
      expectArgumentError(() => kernels.fill(9, 0, out), {
        type: RangeError,
        name: 'x',
        received: 'Float64Array of length 8',
      });
      expectArgumentError(() => kernels.fill(2, '0' as never, out), {
        type: TypeError,
        name: 'value',
        received: '"0"',
      });
      expect(out.every((v) => v === 0)).toBe(true);
    });
  }

  // The native copies change strategy with a row's width in bytes (fixed-size moves up
  // to 64 bytes, one value per row, a call per row) and copy repeated rows in doubling
  // blocks: every width from 1 to 20 values of either dtype, and row counts around the
  // powers of two, against the plain definition, with nothing written past the output.
  it.each([
    ['float64', Float64Array],
    ['float32', Float32Array],
  ] as const)('gatherRows and repeatRow copy rows of every width in %s, touching nothing else', (_, Type) => {
    const rng = new SeededRandom(31);
    for (let cols = 1; cols <= 20; cols++) {
      for (const count of [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 32, 33]) {
        const rows = count + 3;
        const src = Type.from(values(rng, rows * cols));
        const order = Uint32Array.from({ length: count + 1 }, () => rng.int(0, rows - 1));
        const whole = new Type(count * cols + 2).fill(-7.5);
        const out = whole.subarray(1, 1 + count * cols);
        gatherRows(count, cols, src, order, 1, out);
        for (let r = 0; r < count; r++) {
          expect([...out.subarray(r * cols, (r + 1) * cols)], `gather ${count}×${cols}, row ${r}`).toEqual([
            ...src.subarray(order[1 + r] * cols, (order[1 + r] + 1) * cols),
          ]);
        }
        whole.fill(-7.5);
        const row = src.subarray(cols, 2 * cols);
        repeatRow(count, cols, row, out);
        for (let r = 0; r < count; r++) {
          expect([...out.subarray(r * cols, (r + 1) * cols)], `repeat ${count}×${cols}, row ${r}`).toEqual([...row]);
        }
        expect([whole[0], whole[whole.length - 1]]).toEqual([-7.5, -7.5]);
      }
    }
  });

  it('gatherRows and repeatRow copy float32 rows, native as the reference, and refuse a mixed dtype', () => {
    const rng = new SeededRandom(12);
    const [count, cols, rows] = [9, 5, 13];
    const src = Float32Array.from(values(rng, rows * cols));
    const order = Uint32Array.from({ length: count }, () => rng.int(0, rows - 1));
    const native = new Float32Array(count * cols);
    const reference = new Float32Array(count * cols);
    gatherRows(count, cols, src, order, 0, native);
    gatherRows.reference(count, cols, src, order, 0, reference);
    for (let i = 0; i < native.length; i++) expect(Object.is(native[i], reference[i]), `at ${i}`).toBe(true);
    for (let r = 0; r < count; r++) {
      expect([...native.subarray(r * cols, (r + 1) * cols)]).toEqual([
        ...src.subarray(order[r] * cols, (order[r] + 1) * cols),
      ]);
    }
    const row = src.subarray(0, cols);
    const repeated = new Float32Array(4 * cols);
    repeatRow(4, cols, row, repeated);
    for (let r = 0; r < 4; r++) expect([...repeated.subarray(r * cols, (r + 1) * cols)]).toEqual([...row]);
    expectArgumentError(() => gatherRows(count, cols, src, order, 0, new Float64Array(count * cols)), {
      type: TypeError,
      name: 'dst',
      received: `Float64Array of length ${count * cols}`,
    });
    expectArgumentError(() => repeatRow(4, cols, new Float64Array(cols), repeated), {
      type: TypeError,
      name: 'out',
      received: `Float32Array of length ${4 * cols}`,
    });
  });
});
