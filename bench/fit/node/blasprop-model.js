// blasprop's Model built by hand: Sequential(Linear, ReLU, Linear), MSELoss on the
// mean, SGD, and the default metric (mae): the general API, as a user composes it.

import { Linear, Model, MSELoss, ReLU, Sequential, SGD } from '../../../dist/index.js';
import { fitPeer } from './blasprop-fit.js';

export async function create(problem, options) {
  const { D, H, O } = problem;
  const first = new Linear(D, H);
  const second = new Linear(H, O);
  const network = new Sequential(first, new ReLU(), second);
  first.weight.value.data.set(problem.W1);
  first.bias.value.data.set(problem.b1);
  second.weight.value.data.set(problem.W2);
  second.bias.value.data.set(problem.b2);
  const model = new Model(network, {
    loss: new MSELoss({ reduction: 'mean' }),
    optimizer: new SGD(network.parameters(), { lr: problem.lr }),
  });
  return fitPeer(problem, options, model);
}
