// The row order of an epoch as a kernel (native/src/kernels/order.cc): filling and
// shuffling 40,000 indices took a JavaScript loop a millisecond or more, a third of
// an epoch of a small model's native training.

import { Random } from '../random/prng.js';
import { checkInteger, checkUint32Array, typeError } from '../util/check.js';
import { defineKernel } from './define.js';

/**
 * order[i] = i for i < n, then, when `shuffle`, a Fisher–Yates shuffle drawn from
 * `new Random(seed)` (seed an integer in [0, 2^32)); returns order.
 */
export const shuffledOrder = defineKernel({
  name: 'epochOrder',
  validate(n: number, seed: number, shuffle: boolean, order: Uint32Array): void {
    const N = checkInteger('n', n, 0);
    checkInteger('seed', seed, 0, 2 ** 32 - 1);
    if (typeof shuffle !== 'boolean') throw typeError('shuffle', 'a boolean', shuffle);
    checkUint32Array('order', order, N);
  },
  reference(n: number, seed: number, shuffle: boolean, order: Uint32Array): Uint32Array {
    for (let i = 0; i < n; i++) order[i] = i;
    if (shuffle) new Random(seed).shuffle(order.subarray(0, n));
    return order;
  },
});
