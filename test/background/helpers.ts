import { expect } from 'vitest';

import { Matrix, Random, type StateDict, TwoLayerRegressor } from '../../dist/index.js';

export const SIZES = { inputSize: 6, hiddenSize: 24, outputSize: 2 };

/** A smooth regression problem: y depends on x through sines, so training makes progress. */
export function problem(seed: number, rows: number, sizes = SIZES): { x: Matrix; y: Matrix } {
  const random = new Random(seed);
  const x = new Matrix(rows, sizes.inputSize, random.fillNormal(new Float64Array(rows * sizes.inputSize)));
  const y = new Matrix(rows, sizes.outputSize);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < sizes.outputSize; o++)
      y.set(r, o, Math.sin(x.get(r, o) + o) + 0.3 * x.get(r, sizes.inputSize - 1));
  }
  return { x, y };
}

export function model(seed = 1, sizes = SIZES): TwoLayerRegressor {
  return new TwoLayerRegressor({ ...sizes, seed });
}

export function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

export function sameState(a: StateDict, b: StateDict): boolean {
  return (['W1', 'b1', 'W2', 'b2'] as const).every((key) => sameBits(a[key], b[key]));
}

export function expectSameState(a: StateDict, b: StateDict): void {
  for (const key of ['W1', 'b1', 'W2', 'b2'] as const) expect(sameBits(a[key], b[key]), key).toBe(true);
}

/** How a promise settled, in the terms a caller's `catch` sees. */
export async function outcome(promise: Promise<unknown>) {
  try {
    await promise;
    return { settled: 'resolved' as const };
  } catch (error) {
    const e = error as Error & Record<string, unknown>;
    return {
      settled: 'rejected' as const,
      class: e.constructor,
      name: e.name,
      message: e.message,
      fields: { epoch: e.epoch, batch: e.batch, loss: e.loss, path: e.path },
    };
  }
}
