// blasprop's Model over Sequential(Linear, ReLU, Linear), MSELoss with the summed
// reduction and SGD: the general API, which replays its recorded step after the
// first (src/plan/).

import { Linear, Matrix, Model, MSELoss, ReLU, Sequential, SGD, setNumThreads } from '../../../dist/index.js';
import { blaspropBlas } from '../../lib/blasprop-info.mjs';

export async function create(problem, { threads }) {
  const { N, D, H, O, lr } = problem;
  setNumThreads(threads);
  const first = new Linear(D, H);
  const second = new Linear(H, O);
  const network = new Sequential(first, new ReLU(), second);
  // Linear stores its weight inFeatures × outFeatures, as the shared file does.
  first.weight.value.data.set(problem.W1);
  first.bias.value.data.set(problem.b1);
  second.weight.value.data.set(problem.W2);
  second.bias.value.data.set(problem.b2);
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
