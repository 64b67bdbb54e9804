// blasprop's ready-made model: TwoLayerRegressor.fit, on the mean loss.

import { TwoLayerRegressor } from '../../../dist/index.js';
import { fitPeer } from './blasprop-fit.js';

export async function create(problem, options) {
  const { D, H, O } = problem;
  const model = new TwoLayerRegressor({ inputSize: D, hiddenSize: H, outputSize: O, reduction: 'mean' });
  model.loadStateDict({ W1: problem.W1, b1: problem.b1, W2: problem.W2, b2: problem.b2 });
  return fitPeer(problem, options, model);
}
