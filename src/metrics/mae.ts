import { maeSums } from '../kernels/loss.js';
import type { Matrix } from '../nn/matrix.js';
import type { Metric } from './metric.js';

/** Mean absolute error over every element: Σ|pred − target| / (rows · columns). */
export const meanAbsoluteError: Metric = {
  name: 'mae',
  sumsLength: () => 2,
  accumulate(pred: Matrix, target: Matrix, sums: Float64Array): void {
    maeSums(pred.data.length, pred.data, target.data, sums);
  },
  value: (sums) => sums[0] / sums[1],
};
