// The loops of MSELoss and the mae metric (mseLoss, maeSums): native and reference
// must agree bit for bit — both sum left to right — on edge values, odd sizes and
// subarray views, must write nothing outside their outputs, and must reject the
// same arguments with the same errors, writing nothing.

import { describe, expect, it } from 'vitest';

import { maeSums, mseLoss } from '../../dist/kernels/loss.js';
import { EDGE_VALUES } from '../helpers/cases.mjs';
import { expectArgumentError } from '../helpers/errors.js';
import { Random as SeededRandom } from '../helpers/random.mjs';

const backends = [
  ['native', { mseLoss, maeSums }],
  ['reference', { mseLoss: mseLoss.reference, maeSums: maeSums.reference }],
] as const;

function values(rng: SeededRandom, length: number): Float64Array {
  return Float64Array.from({ length }, () => (rng.chance(0.2) ? rng.pick(EDGE_VALUES) : 4 * rng.next() - 2));
}

/** A view with poison on both sides, to see that nothing outside it is written. */
function guarded(length: number, fill = -7.5): { whole: Float64Array; view: Float64Array } {
  const whole = new Float64Array(length + 4).fill(fill);
  return { whole, view: whole.subarray(2, 2 + length) };
}

function expectSameBits(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Object.is(actual[i], expected[i]), `at ${i}`).toBe(true);
}

describe('loss kernels', () => {
  it('mseLoss: the loss and its gradient in one pass, native as the reference', () => {
    const rng = new SeededRandom(21);
    for (const n of [0, 1, 2, 7, 32, 333]) {
      for (const scale of [1, 1 / Math.max(n, 1), 0.3]) {
        const pred = values(rng, n + 1).subarray(1);
        const target = values(rng, n);
        const native = { grad: guarded(n), loss: guarded(1) };
        const reference = { grad: guarded(n), loss: guarded(1) };
        mseLoss(n, scale, pred, target, native.grad.view, native.loss.view);
        mseLoss.reference(n, scale, pred, target, reference.grad.view, reference.loss.view);
        expectSameBits(native.grad.whole, reference.grad.whole);
        expectSameBits(native.loss.whole, reference.loss.whole);
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const d = pred[i] - target[i];
          sum += d * d;
        }
        expect(Object.is(native.loss.view[0], sum * scale)).toBe(true);
      }
    }
  });

  it('maeSums adds to the sums it is given, native as the reference', () => {
    const rng = new SeededRandom(22);
    for (const n of [0, 1, 3, 32, 257]) {
      const pred = values(rng, n);
      const target = values(rng, n + 3).subarray(3);
      const native = guarded(2, 0.25);
      const reference = guarded(2, 0.25);
      maeSums(n, pred, target, native.view);
      maeSums.reference(n, pred, target, reference.view);
      expectSameBits(native.whole, reference.whole);
      expect(native.view[1]).toBe(0.25 + n);
    }
  });

  for (const [label, kernels] of backends) {
    it(`reject bad arguments, writing nothing (${label})`, () => {
      const pred = new Float64Array(6).fill(1);
      const target = new Float64Array(6).fill(2);
      const grad = new Float64Array(6);
      const loss = new Float64Array(1);
      const sums = new Float64Array(2);
      expectArgumentError(() => kernels.mseLoss(-1, 1, pred, target, grad, loss), {
        type: RangeError,
        name: 'n',
        received: '-1',
      });
      expectArgumentError(() => kernels.mseLoss(2.5, 1, pred, target, grad, loss), {
        type: RangeError,
        name: 'n',
        received: '2.5',
      });
      expectArgumentError(() => kernels.mseLoss(6, Number.NaN, pred, target, grad, loss), {
        type: RangeError,
        name: 'scale',
        received: 'NaN',
      });
      expectArgumentError(() => kernels.mseLoss(6, '1' as never, pred, target, grad, loss), {
        type: TypeError,
        name: 'scale',
        received: '"1"',
      });
      expectArgumentError(() => kernels.mseLoss(6, 1, pred, target.subarray(1), grad, loss), {
        type: RangeError,
        name: 'target',
        received: 'Float64Array of length 5',
      });
      expectArgumentError(() => kernels.mseLoss(6, 1, pred, target, grad, new Float32Array(1) as never), {
        type: TypeError,
        name: 'loss',
        received: 'Float32Array of length 1',
      });
      expectArgumentError(() => kernels.mseLoss(6, 1, pred, target, pred, loss), {
        type: RangeError,
        name: 'grad',
        received: 'Float64Array of length 6',
      });
      expectArgumentError(() => kernels.mseLoss(5, 1, pred, target, grad, grad.subarray(4)), {
        type: RangeError,
        name: 'loss',
        received: 'Float64Array of length 2',
      });
      const detached = new Float64Array(6);
      structuredClone(detached.buffer, { transfer: [detached.buffer] });
      expectArgumentError(() => kernels.mseLoss(6, 1, detached, target, grad, loss), {
        type: TypeError,
        name: 'pred',
        received: 'Float64Array of length 0',
      });
      expectArgumentError(() => kernels.maeSums(6, pred, target, new Float64Array(1)), {
        type: RangeError,
        name: 'sums',
        received: 'Float64Array of length 1',
      });
      expectArgumentError(() => kernels.maeSums(6, pred, target, target.subarray(4)), {
        type: RangeError,
        name: 'sums',
        received: 'Float64Array of length 2',
      });
      expectArgumentError(() => kernels.maeSums(7, pred, target, sums), {
        type: RangeError,
        name: 'pred',
        received: 'Float64Array of length 6',
      });
      expect(grad.every((v) => v === 0)).toBe(true);
      expect(loss[0]).toBe(0);
      expect(sums.every((v) => v === 0)).toBe(true);
      expect(pred.every((v) => v === 1) && target.every((v) => v === 2)).toBe(true);
    });
  }
});
