import { Matrix } from '../nn/matrix.js';
import { Random } from '../random/prng.js';
import type { Dataset } from './dataset.js';

/** Features of Friedman #1: five that shape the target and five of pure noise. */
export const FRIEDMAN1_FEATURES = 10;

/**
 * Friedman #1 regression data (J. H. Friedman, "Multivariate Adaptive Regression
 * Splines", Annals of Statistics 19(1), 1991):
 *
 *   y = 10 sin(π x1 x2) + 20 (x3 − 0.5)² + 10 x4 + 5 x5 + ε,  ε ~ N(0, noise²),  x ~ U(0, 1)^10
 *
 * x6 … x10 do not enter y at all. A standard benchmark for non-linear regression: the
 * sine of a product and the square are what a linear model cannot fit, and the noise
 * sets the best achievable R² (about 0.96 for noise 1, as Var(y) ≈ 24).
 */
export function friedman1(rows: number, seed: number, noise = 1): Dataset {
  const random = new Random(seed);
  const x = new Matrix(rows, FRIEDMAN1_FEATURES);
  const y = new Matrix(rows, 1);
  for (let i = 0; i < rows; i++) {
    const row = x.data.subarray(i * FRIEDMAN1_FEATURES, (i + 1) * FRIEDMAN1_FEATURES);
    for (let j = 0; j < FRIEDMAN1_FEATURES; j++) row[j] = random.uniform();
    const [x1, x2, x3, x4, x5] = row;
    y.data[i] = 10 * Math.sin(Math.PI * x1 * x2) + 20 * (x3 - 0.5) ** 2 + 10 * x4 + 5 * x5 + noise * random.normal();
  }
  return {
    x,
    y,
    featureNames: Array.from({ length: FRIEDMAN1_FEATURES }, (_, j) => `x${j + 1}`),
    targetNames: ['y'],
  };
}
