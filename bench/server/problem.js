// The data the server benchmarks train on: standard normal inputs and smooth targets,
// built straight into shared memory (sharedMatrix), as a server that trains in the
// background should, so that handing them to a worker copies nothing.

import { Random, sharedMatrix, TwoLayerRegressor } from '../../dist/index.js';

/** Learning rate for the default 'mean' reduction and He initialisation: stable at every size here. */
export const LR = 0.01;

export function problem({ D, O }, rows, seed = 1) {
  const random = new Random(seed);
  const x = sharedMatrix(rows, D);
  random.fillNormal(x.data);
  const y = sharedMatrix(rows, O);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < O; o++)
      y.data[r * O + o] = Math.tanh(x.data[r * D + (o % D)] + 0.5 * x.data[r * D + ((o + 1) % D)]);
  }
  return { x, y };
}

export function regressor({ D, H, O }, seed = 1) {
  return new TwoLayerRegressor({ inputSize: D, hiddenSize: H, outputSize: O, seed });
}
