import type { Matrix } from '../nn/matrix.js';
import type { Metric } from './metric.js';

/** Mean absolute error over every element: Σ|pred − target| / (rows · columns). */
export const meanAbsoluteError: Metric = {
  name: 'mae',
  sumsLength: () => 2,
  accumulate(pred: Matrix, target: Matrix, sums: Float64Array): void {
    const p = pred.data;
    const t = target.data;
    let total = 0;
    for (let i = 0; i < p.length; i++) total += Math.abs(p[i] - t[i]);
    sums[0] += total;
    sums[1] += p.length;
  },
  value: (sums) => sums[0] / sums[1],
};
