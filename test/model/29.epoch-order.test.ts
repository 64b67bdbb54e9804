// The epoch order kernel: native and reference must give the same permutation, for
// any seed, length and epoch, and the reference is the library's generator itself
// (Random.shuffle), so an order does not depend on which one ran.

import { describe, expect, it } from 'vitest';

import { Random } from '../../dist/index.js';
import { shuffledOrder } from '../../dist/kernels/order.js';
import { epochOrder } from '../../dist/model/fit/epoch-order.js';
import { expectArgumentError } from '../helpers/errors.js';

describe('epoch order', () => {
  it('is Random(seed).shuffle of 0 … n−1, natively as in the reference', () => {
    for (const seed of [0, 1, 7, 0x9e3779b1, 2 ** 31, 2 ** 32 - 1]) {
      for (const n of [0, 1, 2, 3, 17, 1000, 40_000]) {
        const native = shuffledOrder(n, seed, true, new Uint32Array(n));
        const reference = shuffledOrder.reference(n, seed, true, new Uint32Array(n));
        const expected = new Random(seed).shuffle(Uint32Array.from({ length: n }, (_, i) => i));
        expect(native).toEqual(expected);
        expect(reference).toEqual(expected);
      }
    }
  });

  it('leaves the order alone without shuffling, and writes only the first n entries', () => {
    const order = new Uint32Array(8).fill(99);
    shuffledOrder(5, 3, false, order);
    expect([...order]).toEqual([0, 1, 2, 3, 4, 99, 99, 99]);
    shuffledOrder(5, 3, true, order);
    expect([...order.subarray(5)]).toEqual([99, 99, 99]);
    expect([...order.subarray(0, 5)].sort()).toEqual([0, 1, 2, 3, 4]);
  });

  it('depends on the seed and the epoch only', () => {
    const a = new Uint32Array(100);
    const b = new Uint32Array(100);
    epochOrder(a, -5, 3, true);
    epochOrder(b, -5, 3, true);
    expect(a).toEqual(b);
    epochOrder(b, -5, 4, true);
    expect(a).not.toEqual(b);
  });

  it('rejects bad arguments', () => {
    const order = new Uint32Array(4);
    expectArgumentError(() => shuffledOrder(5, 0, true, order), {
      type: RangeError,
      name: 'order',
      received: 'Uint32Array of length 4',
    });
    expectArgumentError(() => shuffledOrder(4, -1, true, order), { type: RangeError, name: 'seed', received: '-1' });
    expectArgumentError(() => shuffledOrder(4, 2 ** 32, true, order), {
      type: RangeError,
      name: 'seed',
      received: '4294967296',
    });
    expectArgumentError(() => shuffledOrder(4, 0, 1 as never, order), {
      type: TypeError,
      name: 'shuffle',
      received: '1',
    });
    expectArgumentError(() => shuffledOrder(4, 0, true, new Float64Array(4) as never), {
      type: TypeError,
      name: 'order',
      received: 'Float64Array of length 4',
    });
  });
});
