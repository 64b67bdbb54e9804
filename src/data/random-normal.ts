import { Matrix } from '../nn/matrix.js';
import { Random } from '../random/prng.js';
import type { Dataset } from './dataset.js';

/** Features and targets that are all independent standard normal noise, as in the reference post's experiment. */
export function randomNormalDataset(rows: number, features: number, targets: number, seed: number): Dataset {
  const random = new Random(seed);
  const x = new Matrix(rows, features, random.fillNormal(new Float64Array(rows * features)));
  const y = new Matrix(rows, targets, random.fillNormal(new Float64Array(rows * targets)));
  const names = (prefix: string, count: number) => Array.from({ length: count }, (_, j) => `${prefix}${j + 1}`);
  return { x, y, featureNames: names('x', features), targetNames: names('y', targets) };
}
