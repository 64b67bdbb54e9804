import type { Matrix } from '../nn/matrix.js';
import { powerOfTwoAtLeast } from './power-of-two.js';

/**
 * The coefficient of determination, 1 − SSE / SST, of each target column, averaged
 * over the columns (scikit-learn's 'uniform_average'). 1 is a perfect fit, 0 no better
 * than predicting the mean. NaN when a column is constant and SST is zero.
 *
 * R² does not change when a column and its predictions are scaled alike, so each is
 * first divided by a power of two at least its largest magnitude (exactly): the sums
 * of squares cannot overflow, whatever the finite values.
 */
export function rSquared(pred: Matrix, target: Matrix): number {
  const { rows, cols } = target;
  let total = 0;
  for (let c = 0; c < cols; c++) {
    let largest = 0;
    for (let r = 0; r < rows; r++) {
      largest = Math.max(largest, Math.abs(target.data[r * cols + c]), Math.abs(pred.data[r * cols + c]));
    }
    const scale = largest > 0 && Number.isFinite(largest) ? powerOfTwoAtLeast(largest) : 1;
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += target.data[r * cols + c] / scale;
    mean /= rows;
    let sse = 0;
    let sst = 0;
    for (let r = 0; r < rows; r++) {
      const t = target.data[r * cols + c] / scale;
      sse += (pred.data[r * cols + c] / scale - t) ** 2;
      sst += (t - mean) ** 2;
    }
    total += sst > 0 ? 1 - sse / sst : Number.NaN;
  }
  return total / cols;
}
