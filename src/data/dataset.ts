import { gatherRows, Matrix } from '../nn/matrix.js';
import { Random } from '../random/prng.js';

/** Rows of features and targets, with the names of their columns. */
export interface Dataset {
  /** N × D features. */
  x: Matrix;
  /** N × O targets. */
  y: Matrix;
  featureNames: string[];
  targetNames: string[];
}

/** A copy of the data set with its rows in a seeded random order (the same for x and y). */
export function shuffleRows(data: Dataset, seed: number): Dataset {
  const order = new Random(seed).shuffle(Uint32Array.from({ length: data.x.rows }, (_, i) => i));
  return { ...data, x: permuteRows(data.x, order), y: permuteRows(data.y, order) };
}

function permuteRows(m: Matrix, order: Uint32Array): Matrix {
  const out = new Matrix(m.rows, m.cols);
  gatherRows(m, order, 0, order.length, out.data);
  return out;
}
