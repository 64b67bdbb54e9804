import type { Matrix } from '../nn/matrix.js';

/**
 * The coefficient of determination, 1 − SSE / SST, of each target column, averaged
 * over the columns (scikit-learn's 'uniform_average'). 1 is a perfect fit, 0 no better
 * than predicting the mean. NaN when a column is constant and SST is zero.
 */
export function rSquared(pred: Matrix, target: Matrix): number {
  const { rows, cols } = target;
  let total = 0;
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += target.data[r * cols + c];
    mean /= rows;
    let sse = 0;
    let sst = 0;
    for (let r = 0; r < rows; r++) {
      const t = target.data[r * cols + c];
      sse += (pred.data[r * cols + c] - t) ** 2;
      sst += (t - mean) ** 2;
    }
    total += sst > 0 ? 1 - sse / sst : Number.NaN;
  }
  return total / cols;
}
