// The element-wise ReLU kernels: native and reference must agree bit for bit (there is
// no rounding in a comparison and a select), on edge values, random data, lengths
// that exercise the vectorised loop's remainder, and subarray views; and both must
// reject the same arguments.

import { describe, expect, it } from 'vitest';

import { reference, reluBackward, reluForward } from '../../dist/blas/index.js';
import { expectArgumentError } from '../helpers/errors.js';
import { Random } from '../helpers/random.mjs';

const native = { reluForward, reluBackward };
const backends = [
  ['native', native],
  ['reference', reference],
] as const;

const EDGES = [-2, -0, 0, 3, Number.NaN, Infinity, -Infinity, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE];

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

describe('reluForward and reluBackward', () => {
  it('follow max(x, 0) and the output mask on every pair of edge values', () => {
    const x = Float64Array.from(EDGES.flatMap((v) => EDGES.map(() => v)));
    const g = Float64Array.from(EDGES.flatMap(() => EDGES));
    const y = reluForward(x.length, x, new Float64Array(x.length));
    const dx = reluBackward(x.length, y, g, new Float64Array(x.length));
    x.forEach((v, i) => {
      expect(Object.is(y[i], Math.max(v, 0)), `relu(${v}) = ${y[i]}`).toBe(true);
      expect(Object.is(dx[i], y[i] > 0 ? g[i] : 0), `grad at ${v}, g = ${g[i]}: ${dx[i]}`).toBe(true);
    });
  });

  it('agree with the reference bit for bit on random data, odd lengths and offset views', () => {
    const random = new Random(17);
    for (let trial = 0; trial < 200; trial++) {
      const n = random.int(0, 70);
      const offset = random.int(0, 3);
      const x = random.values(n + offset).subarray(offset);
      const g = random.values(n + offset).subarray(offset);
      const ys = [new Float64Array(n + 2).fill(7), new Float64Array(n + 2).fill(7)];
      native.reluForward(n, x, ys[0]);
      reference.reluForward(n, x, ys[1]);
      expect(sameBits(ys[0], ys[1]), `forward, n = ${n}`).toBe(true);
      expect([ys[0][n], ys[0][n + 1]], 'elements past n are untouched').toEqual([7, 7]);
      const dxs = [new Float64Array(n), new Float64Array(n)];
      native.reluBackward(n, ys[0], g, dxs[0]);
      reference.reluBackward(n, ys[0], g, dxs[1]);
      expect(sameBits(dxs[0], dxs[1]), `backward, n = ${n}`).toBe(true);
    }
  });

  for (const [label, routines] of backends) {
    it(`reject bad arguments (${label})`, () => {
      const a = new Float64Array(4);
      const b = new Float64Array(4);
      expectArgumentError(() => routines.reluForward(5, a, b), {
        type: RangeError,
        name: 'x',
        received: 'Float64Array of length 4',
      });
      expectArgumentError(() => routines.reluForward(-1, a, b), { type: RangeError, name: 'n', received: '-1' });
      expectArgumentError(() => routines.reluForward(1.5, a, b), { type: RangeError, name: 'n', received: '1.5' });
      expectArgumentError(() => routines.reluForward(4, a, new Float32Array(4) as never), {
        type: TypeError,
        name: 'y',
        received: 'Float32Array of length 4',
      });
      expectArgumentError(() => routines.reluForward(4, a, a.subarray(1) as never), {
        type: RangeError,
        name: 'y',
        received: 'Float64Array of length 3',
      });
      const shared = new Float64Array(8);
      expectArgumentError(() => routines.reluForward(4, shared, shared.subarray(2)), {
        type: RangeError,
        name: 'y',
        received: 'Float64Array of length 6',
      });
      expectArgumentError(() => routines.reluBackward(4, a, b, b), {
        type: RangeError,
        name: 'dx',
        received: 'Float64Array of length 4',
      });
      expectArgumentError(() => routines.reluBackward(4, a, [0, 0, 0, 0] as never, b), {
        type: TypeError,
        name: 'dy',
        received: 'Array of length 4',
      });
      // Views of one buffer that do not intersect are fine.
      expect(Array.from(routines.reluForward(4, shared.subarray(0, 4), shared.subarray(4)))).toEqual([0, 0, 0, 0]);
    });
  }
});
