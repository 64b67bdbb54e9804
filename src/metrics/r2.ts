import { r2Sums, r2SumsLength } from '../kernels/metrics.js';
import type { AnyMatrix } from '../nn/matrix.js';
import type { Metric } from './metric.js';

/**
 * The coefficient of determination 1 − Σ(pred − target)² / Σ(target − mean)² of each
 * target column, averaged over the columns (scikit-learn's 'uniform_average'); NaN when
 * a column's targets are all equal. The mean and the spread merge across batches with
 * Chan's update, so an epoch's R² is that of all its rows, not an average of batches'.
 */
export const rSquared: Metric = {
  name: 'r2',
  tasks: ['regression'],
  higherIsBetter: true,
  sumsLength: r2SumsLength,
  accumulate(pred: AnyMatrix, target: AnyMatrix, batch: Float64Array, total: Float64Array): void {
    r2Sums(pred.rows, pred.cols, pred.data, target.data, batch, total);
  },
  value(sums) {
    const cols = (sums.length - 1) / 3;
    let total = 0;
    for (let c = 0; c < cols; c++) {
      const spread = sums[2 + 3 * c];
      total += spread > 0 ? 1 - sums[3 + 3 * c] / spread : Number.NaN;
    }
    return total / cols;
  },
};
