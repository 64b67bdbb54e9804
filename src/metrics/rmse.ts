import { PAIR_SUMS, squaredErrorSums } from '../kernels/metrics.js';
import type { AnyMatrix } from '../nn/matrix.js';
import type { Metric } from './metric.js';

/** Root-mean-square error over every element: √(Σ(pred − target)² / (rows · columns)). */
export const rootMeanSquaredError: Metric = {
  name: 'rmse',
  tasks: ['regression'],
  higherIsBetter: false,
  sumsLength: () => PAIR_SUMS,
  accumulate(pred: AnyMatrix, target: AnyMatrix, batch: Float64Array, total: Float64Array): void {
    squaredErrorSums(pred.data.length, pred.data, target.data, batch, total);
  },
  value: (sums) => Math.sqrt(sums[0] / sums[1]),
};
