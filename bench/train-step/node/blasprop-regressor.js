// blasprop's ready-made model: TwoLayerRegressor.trainStep with the summed loss.

import { Matrix, setNumThreads, TwoLayerRegressor } from '../../../dist/index.js';
import { blaspropBlas } from '../../lib/blasprop-info.mjs';

export async function create(problem, { threads }) {
  const { N, D, H, O, lr } = problem;
  setNumThreads(threads);
  const model = new TwoLayerRegressor({ inputSize: D, hiddenSize: H, outputSize: O, reduction: 'sum' });
  model.loadStateDict({ W1: problem.W1, b1: problem.b1, W2: problem.W2, b2: problem.b2 });
  const x = new Matrix(N, D, problem.X);
  const y = new Matrix(N, O, problem.Y);
  return {
    step: () => model.trainStep(x, y, lr),
    blas: blaspropBlas(),
  };
}
