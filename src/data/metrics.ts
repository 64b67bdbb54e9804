import type { Matrix } from '../nn/matrix.js';
import { powerOfTwoAtLeast } from './power-of-two.js';

/** How far predictions are from one target column, in its own units. */
export interface ColumnErrors {
  /** Mean squared error. */
  mse: number;
  /** Mean absolute error. */
  mae: number;
  /** Coefficient of determination, 1 − SSE / SST: 1 is a perfect fit, 0 no better than the mean; NaN for a constant column. */
  r2: number;
}

/**
 * MSE, MAE and R² of each target column. Each column and its predictions are first
 * divided by a power of two at least their largest magnitude (exactly): the sums of
 * squares cannot overflow, whatever the finite values, and R² does not change; MSE
 * and MAE are scaled back (an MSE that exceeds the largest double is Infinity).
 */
export function columnErrors(pred: Matrix, target: Matrix): ColumnErrors[] {
  const { rows, cols } = target;
  return Array.from({ length: cols }, (_, c) => {
    let largest = 0;
    for (let r = 0; r < rows; r++) {
      largest = Math.max(largest, Math.abs(target.data[r * cols + c]), Math.abs(pred.data[r * cols + c]));
    }
    const scale = largest > 0 && Number.isFinite(largest) ? powerOfTwoAtLeast(largest) : 1;
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += target.data[r * cols + c] / scale;
    mean /= rows;
    let sse = 0;
    let sae = 0;
    let sst = 0;
    for (let r = 0; r < rows; r++) {
      const t = target.data[r * cols + c] / scale;
      const error = pred.data[r * cols + c] / scale - t;
      sse += error * error;
      sae += Math.abs(error);
      sst += (t - mean) ** 2;
    }
    return { mse: (sse / rows) * scale * scale, mae: (sae / rows) * scale, r2: sst > 0 ? 1 - sse / sst : Number.NaN };
  });
}

/** R² averaged over the target columns (scikit-learn's 'uniform_average'). */
export function rSquared(pred: Matrix, target: Matrix): number {
  const columns = columnErrors(pred, target);
  return columns.reduce((sum, c) => sum + c.r2, 0) / columns.length;
}
