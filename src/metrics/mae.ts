import { maeSums, PAIR_SUMS } from '../kernels/metrics.js';
import type { AnyMatrix } from '../nn/matrix.js';
import type { Metric } from './metric.js';

/** Mean absolute error over every element: Σ|pred − target| / (rows · columns). */
export const meanAbsoluteError: Metric = {
  name: 'mae',
  tasks: ['regression'],
  higherIsBetter: false,
  sumsLength: () => PAIR_SUMS,
  accumulate(pred: AnyMatrix, target: AnyMatrix, batch: Float64Array, total: Float64Array): void {
    maeSums(pred.data.length, pred.data, target.data, batch, total);
  },
  value: (sums) => sums[0] / sums[1],
};
