import { expect } from 'vitest';

/**
 * Fails on the first element whose error exceeds `relative` times the larger of its
 * expected magnitude and the array's largest: errors that come from rounding scale
 * with the operands, so a tiny element next to large ones may carry the large ones'
 * absolute error.
 */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  what: string,
  relative: number,
): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i] - expected[i]);
    if (!(error <= relative * Math.max(Math.abs(expected[i]), scale))) {
      expect.fail(`${what}[${i}]: ${actual[i]}, expected ${expected[i]} (error ${error}, scale ${scale})`);
    }
  }
}
