// blasprop's Model over Sequential(Linear, ReLU, Linear), MSELoss with the summed
// reduction and SGD: the general API, which replays its recorded step after the
// first (src/plan/).

import { Matrix, Model, MSELoss, SGD, setNumThreads } from '../../../dist/index.js';
import { blaspropBlas } from '../../lib/blasprop-info.mjs';
import { twoLayerNetwork } from '../../lib/blasprop-network.mjs';

export async function create(problem, { threads }) {
  const { N, D, O, lr } = problem;
  setNumThreads(threads);
  const network = twoLayerNetwork(problem);
  const model = new Model(network, {
    loss: new MSELoss({ reduction: 'sum' }),
    optimizer: new SGD(network.parameters(), { lr }),
    metrics: [],
  });
  const x = new Matrix(N, D, problem.X);
  const y = new Matrix(N, O, problem.Y);
  return {
    step: () => model.trainStep(x, y),
    blas: blaspropBlas(),
  };
}
