// The benchmarks' two-layer network built from blasprop's layers, as a user composes
// it: Sequential(Linear, ReLU, Linear) in `dtype`, starting from the problem file's
// weights (Linear stores its weight inFeatures × outFeatures, as the file does; a
// float32 layer rounds them as it takes them).

import { Linear, ReLU, Sequential } from '../../dist/index.js';

export function twoLayerNetwork(problem, dtype = 'float64') {
  const { D, H, O } = problem;
  const first = new Linear(D, H, { dtype });
  const second = new Linear(H, O, { dtype });
  first.weight.value.data.set(problem.W1);
  first.bias.value.data.set(problem.b1);
  second.weight.value.data.set(problem.W2);
  second.bias.value.data.set(problem.b2);
  return new Sequential(first, new ReLU({ dtype }), second);
}
