import type { Matrix } from '../nn/matrix.js';
import { DataError } from './errors.js';
import { powerOfTwoAtLeast } from './power-of-two.js';

/** Per-column mean and standard deviation: z = (value − mean) / std. */
export interface Standardisation {
  mean: number[];
  std: number[];
}

/**
 * The largest magnitude a standardised column may hold: half of √(largest double),
 * about 6.7e153, so that the difference of any two such values, and its square, are
 * finite. Training and its report take differences in the data's own units and
 * square them: value − mean when standardising, and prediction − target in the MSE
 * and R² of the summary.
 */
export const MAX_STANDARDISED_MAGNITUDE = Math.sqrt(Number.MAX_VALUE) / 2;

/**
 * The statistics of each column over the first `rows` rows (the training rows, so
 * that nothing about the validation rows leaks into the model). A constant column
 * gets std 1: it becomes all zeros instead of all NaN.
 *
 * Each column is first divided by a power of two at least its largest |value| (which is
 * exact), so that neither the sum nor the squares can overflow, whatever the finite
 * values: the mean and the standard deviation come out finite, and no larger than the
 * largest |value|.
 */
export function fitStandardisation(m: Matrix, rows = m.rows): Standardisation {
  const { cols, data } = m;
  const mean = new Array<number>(cols).fill(0);
  const std = new Array<number>(cols).fill(1);
  for (let c = 0; c < cols; c++) {
    let largest = 0;
    for (let r = 0; r < rows; r++) largest = Math.max(largest, Math.abs(data[r * cols + c]));
    if (!(largest > 0)) continue; // all zeros (or no rows): mean 0, std 1
    const scale = powerOfTwoAtLeast(largest);
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += data[r * cols + c] / scale;
    const scaledMean = sum / rows;
    // Two passes rather than E[x²] − E[x]², which cancels badly for large offsets.
    let squares = 0;
    for (let r = 0; r < rows; r++) squares += (data[r * cols + c] / scale - scaledMean) ** 2;
    mean[c] = scaledMean * scale;
    std[c] = Math.sqrt(squares / rows) * scale || 1;
  }
  return { mean, std };
}

/**
 * (value − mean) / std, in place. A value beyond ±MAX_STANDARDISED_MAGNITUDE, or one
 * so far from the mean that its standardised value overflows, is a DataError naming
 * its column (`names[c]`, in a message that starts with `source`); nothing is changed then.
 */
export function standardise(m: Matrix, s: Standardisation, names: readonly string[], source: string): Matrix {
  const { rows, cols, data } = m;
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) {
      const value = data[r * cols + c];
      const refuse = (why: string) =>
        new DataError(`${source}: column "${names[c]}" cannot be standardised: it holds ${value}, ${why}`);
      if (Math.abs(value) > MAX_STANDARDISED_MAGNITUDE) {
        throw refuse(
          `beyond ±${MAX_STANDARDISED_MAGNITUDE.toPrecision(3)}, the largest magnitude whose square is finite`,
        );
      }
      if (!Number.isFinite((value - s.mean[c]) / s.std[c])) {
        throw refuse(
          `further from the training mean (${s.mean[c]}) in standard deviations (${s.std[c]}) than a double can hold`,
        );
      }
    }
  }
  for (let i = 0; i < data.length; i++) data[i] = (data[i] - s.mean[i % cols]) / s.std[i % cols];
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
