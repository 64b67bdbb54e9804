import type { Matrix } from '../nn/matrix.js';

/** Per-column mean and standard deviation: z = (value − mean) / std. */
export interface Standardisation {
  mean: number[];
  std: number[];
}

/**
 * The statistics of each column over the first `rows` rows (the training rows, so
 * that nothing about the validation rows leaks into the model). A constant column
 * gets std 1: it becomes all zeros instead of all NaN.
 */
export function fitStandardisation(m: Matrix, rows = m.rows): Standardisation {
  const mean = new Array<number>(m.cols).fill(0);
  const std = new Array<number>(m.cols).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < m.cols; c++) mean[c] += m.data[r * m.cols + c];
  for (let c = 0; c < m.cols; c++) mean[c] /= rows;
  // Two passes rather than E[x²] − E[x]², which cancels badly for large offsets.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < m.cols; c++) std[c] += (m.data[r * m.cols + c] - mean[c]) ** 2;
  }
  for (let c = 0; c < m.cols; c++) std[c] = Math.sqrt(std[c] / rows) || 1;
  return { mean, std };
}

/** (value − mean) / std, in place. */
export function standardise(m: Matrix, s: Standardisation): Matrix {
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) m.data[r * m.cols + c] = (m.data[r * m.cols + c] - s.mean[c]) / s.std[c];
  }
  return m;
}

/** z · std + mean, in place: back to the original units. */
export function unstandardise(m: Matrix, s: Standardisation): Matrix {
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) m.data[r * m.cols + c] = m.data[r * m.cols + c] * s.std[c] + s.mean[c];
  }
  return m;
}

/** Whether a value read back from a model's metadata is a usable standardisation of `cols` columns. */
export function isStandardisation(value: unknown, cols: number): value is Standardisation {
  if (typeof value !== 'object' || value === null) return false;
  const { mean, std } = value as Partial<Standardisation>;
  const finiteList = (list: unknown) =>
    Array.isArray(list) && list.length === cols && list.every((v) => typeof v === 'number' && Number.isFinite(v));
  return finiteList(mean) && finiteList(std) && std!.every((v) => v > 0);
}
