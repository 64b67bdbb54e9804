import { shuffledOrder } from '../../kernels/order.js';

/** The row order of one epoch: a function of (seed, epoch) alone, so a resumed fit repeats it. */
export function epochOrder(order: Uint32Array, seed: number, epoch: number, shuffle: boolean): void {
  shuffledOrder(order.length, (seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0, shuffle, order);
}
