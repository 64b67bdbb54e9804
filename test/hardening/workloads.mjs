// Workloads shared by the soak, valgrind and crash-safety scripts: a synthetic
// regression task for TwoLayerRegressor, and a stream of small BLAS calls that
// touches every routine, transpose combination and error path of the addon.

import { daxpy, dgemm, dgemv, dscal, Matrix, TwoLayerRegressor } from '../../dist/index.js';
import { loadBinding } from '../../dist/native/binding.js';
import { Random } from '../helpers/random.mjs';

/** y = sin(x·w) + noise for `rows` rows of `inputSize` features, as Matrices. */
export function regressionData({ rows, inputSize, outputSize = 1, seed = 1 }) {
  const random = new Random(seed);
  const x = new Matrix(rows, inputSize, random.values(rows * inputSize));
  const w = random.values(inputSize * outputSize);
  const y = new Matrix(rows, outputSize);
  for (let i = 0; i < rows; i++) {
    for (let o = 0; o < outputSize; o++) {
      let dot = 0;
      for (let d = 0; d < inputSize; d++) dot += x.data[i * inputSize + d] * w[d * outputSize + o];
      y.data[i * outputSize + o] = Math.sin(dot) + 0.01 * random.values(1)[0];
    }
  }
  return { x, y };
}

/** A small model and a batch to train it on. */
export function smallTrainingTask({ batch = 64, inputSize = 8, hiddenSize = 32, outputSize = 1, seed = 1 } = {}) {
  const model = new TwoLayerRegressor({ inputSize, hiddenSize, outputSize, seed });
  const { x, y } = regressionData({ rows: batch, inputSize, outputSize, seed });
  return { model, x, y };
}

const TRANSPOSES = [
  ['N', 'N'],
  ['N', 'T'],
  ['T', 'N'],
  ['T', 'T'],
];

/**
 * Returns `call(i)`, which makes the i-th small BLAS call of a fixed rotation: dgemm
 * in every transpose combination on 1…8-sized square operands (reused arrays, and a
 * fresh output every 8th call), plus the vector routines, a validation error and a
 * wrong-type call into the raw addon (the C++ exception path) now and then.
 */
export function smallBlasCalls() {
  const raw = loadBinding().binding;
  const random = new Random(7);
  const operands = Array.from({ length: 9 }, (_, n) => ({
    a: random.values(n * n),
    b: random.values(n * n),
    c: new Float64Array(n * n),
  }));
  const x = random.values(64);
  const y = new Float64Array(64);
  return function call(i) {
    const n = 1 + (i % 8);
    const [transA, transB] = TRANSPOSES[(i >> 3) & 3];
    const { a, b } = operands[n];
    const c = i % 8 === 0 ? new Float64Array(n * n) : operands[n].c;
    dgemm(transA, transB, n, n, n, 1, a, n, b, n, 0.5, c, n);
    if (i % 16 === 0) {
      dgemv(transA, n, n, 1, a, n, x, 1, 0, y, 1);
      daxpy(n, 0.5, x, 1, y, 1);
      dscal(n, 0.999, y, 1);
    }
    if (i % 64 === 0) {
      try {
        dgemm('N', 'N', n, n, n, 1, a, n, b, n, 0, new Float64Array(0), n);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
      }
    }
    if (i % 64 === 32) {
      try {
        raw.dgemm(true, false, n, n, n, 1, a, n, 'not an array', n, 0, c, n);
      } catch (error) {
        if (!(error instanceof Error)) throw error;
      }
    }
  };
}
