// What valgrind.sh runs under memcheck: a short training of TwoLayerRegressor (which
// drives dgemm and dgemv through every layer), every BLAS routine in every transpose
// combination on odd shapes and strided, offset views, and the addon's error paths.
// Small, because memcheck slows node down some fifty times.

import { daxpy, dgemm, dgemv, dscal } from '../../../dist/index.js';
import { smallBlasCalls, smallTrainingTask } from '../workloads.mjs';

const { model, x, y } = smallTrainingTask({ batch: 32, inputSize: 6, hiddenSize: 24, outputSize: 2 });
const first = model.evaluate(x, y).loss;
for (let step = 0; step < 200; step++) model.trainStep(x, y, 0.02);
const last = model.evaluate(x, y).loss;
if (!(last < first)) throw new Error(`training did not reduce the loss: ${first} -> ${last}`);
model.predict(x);

// Views that start part-way into a buffer and leave padding: OpenBLAS must stay
// inside each view's span.
const buffer = new Float64Array(16384).map((_, i) => Math.sin(i));
for (const [transA, transB] of [
  ['N', 'N'],
  ['N', 'T'],
  ['T', 'N'],
  ['T', 'T'],
]) {
  for (const [m, n, k] of [
    [1, 1, 1],
    [3, 5, 7],
    [17, 9, 33],
    [70, 66, 65],
  ]) {
    const lda = (transA === 'N' ? k : m) + 1;
    const ldb = (transB === 'N' ? n : k) + 2;
    const a = buffer.subarray(1, 1 + (transA === 'N' ? m : k) * lda);
    const b = buffer.subarray(1, 1 + (transB === 'N' ? k : n) * ldb);
    const c = new Float64Array((m - 1) * (n + 3) + n);
    dgemm(transA, transB, m, n, k, 0.5, a, lda, b, ldb, 0, c, n + 3);
    dgemv(transA, m, k, 1, buffer.subarray(3, 3 + m * k), k, buffer.subarray(0, 128), 1, 0.5, new Float64Array(128), 1);
  }
}
const v = new Float64Array(301).fill(1);
daxpy(100, 2, buffer.subarray(5, 305), 3, v, 3);
dscal(100, 0, v, 3);

const call = smallBlasCalls();
for (let i = 0; i < 2000; i++) call(i);
console.log(`workload done: loss ${first.toFixed(4)} -> ${last.toFixed(4)}`);
