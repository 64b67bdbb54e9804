// blasprop's ready-made model in float32: TwoLayerRegressor.fit with dtype 'float32',
// on the mean loss, from the problem's data and initial weights rounded to float32.

import { TwoLayerRegressor } from '../../../dist/index.js';
import { fitPeer } from './blasprop-fit.js';

export async function create(problem, options) {
  const { D, H, O } = problem;
  const model = new TwoLayerRegressor({
    inputSize: D,
    hiddenSize: H,
    outputSize: O,
    reduction: 'mean',
    dtype: 'float32',
  });
  const f32 = (values) => Float32Array.from(values);
  model.loadStateDict({ W1: f32(problem.W1), b1: f32(problem.b1), W2: f32(problem.W2), b2: f32(problem.b2) });
  return fitPeer(problem, options, model);
}
