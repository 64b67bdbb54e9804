// blasprop's ready-made model: TwoLayerRegressor.trainStep with the summed loss, in
// float64 or (form 'float32') float32.

import { Matrix, setNumThreads, TwoLayerRegressor } from '../../../dist/index.js';
import { blaspropBlas } from '../../lib/blasprop-info.mjs';

/** `form` 'float32' runs the model in float32, on the data and weights rounded to it. */
export async function create(problem, { threads, form }) {
  const { N, D, H, O, lr } = problem;
  setNumThreads(threads);
  const dtype = form === 'float32' ? 'float32' : 'float64';
  const F = dtype === 'float32' ? Float32Array : Float64Array;
  const model = new TwoLayerRegressor({ inputSize: D, hiddenSize: H, outputSize: O, reduction: 'sum', dtype });
  model.loadStateDict({
    W1: F.from(problem.W1),
    b1: F.from(problem.b1),
    W2: F.from(problem.W2),
    b2: F.from(problem.b2),
  });
  const x = new Matrix(N, D, F.from(problem.X));
  const y = new Matrix(N, O, F.from(problem.Y));
  return {
    step: () => model.trainStep(x, y, lr),
    blas: blaspropBlas(),
  };
}
