// blasprop's Model built by hand: Sequential(Linear, ReLU, Linear), MSELoss on the
// mean, SGD, and the default metric (mae): the general API, as a user composes it.

import { Model, MSELoss, SGD } from '../../../dist/index.js';
import { twoLayerNetwork } from '../../lib/blasprop-network.mjs';
import { fitPeer } from './blasprop-fit.js';

export async function create(problem, options) {
  const network = twoLayerNetwork(problem);
  const model = new Model(network, {
    loss: new MSELoss({ reduction: 'mean' }),
    optimizer: new SGD(network.parameters(), { lr: problem.lr }),
  });
  return fitPeer(problem, options, model);
}
