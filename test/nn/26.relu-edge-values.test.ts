// ReLU's loops are masked vector code in the addon; these pin them to the plain definitions
// (max(x, 0) forward, g where the output is positive else 0 backward) on every pair
// of edge values, signs of zero included.

import { describe, expect, it } from 'vitest';

import { Matrix, ReLU } from '../../dist/index.js';

const EDGES = [
  -2,
  -0,
  0,
  3,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
];

describe('ReLU on edge values', () => {
  const xs: number[] = [];
  const gs: number[] = [];
  for (const x of EDGES) {
    for (const g of EDGES) {
      xs.push(x);
      gs.push(g);
    }
  }
  const relu = new ReLU();
  const out = Array.from(relu.forward(new Matrix(1, xs.length, Float64Array.from(xs))).data);
  const grad = Array.from(relu.backward(new Matrix(1, gs.length, Float64Array.from(gs))).data);

  it('forward is max(x, 0), with +0 for negative zero and NaN kept', () => {
    xs.forEach((x, i) => {
      expect(Object.is(out[i], Math.max(x, 0)), `relu(${x}) gave ${out[i]}`).toBe(true);
    });
  });

  it('backward passes g exactly where the output is positive and +0 elsewhere, even for infinite or NaN g', () => {
    gs.forEach((g, i) => {
      const expected = Math.max(xs[i], 0) > 0 ? g : 0;
      expect(Object.is(grad[i], expected), `x = ${xs[i]}, g = ${g} gave ${grad[i]}`).toBe(true);
    });
  });
});
