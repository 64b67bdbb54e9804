// blasprop's building blocks composed by hand: Sequential(Linear, ReLU, Linear),
// MSELoss with the summed reduction, and SGD; in float64, or (form 'float32') in
// float32 on the data and weights rounded to it.

import { Linear, Matrix, MSELoss, ReLU, Sequential, SGD, setNumThreads } from '../../../dist/index.js';
import { blaspropBlas } from '../../lib/blasprop-info.mjs';

export async function create(problem, { threads, form }) {
  const { N, D, H, O, lr } = problem;
  setNumThreads(threads);
  const dtype = form === 'float32' ? 'float32' : 'float64';
  const F = dtype === 'float32' ? Float32Array : Float64Array;
  const first = new Linear(D, H, { dtype });
  const second = new Linear(H, O, { dtype });
  const net = new Sequential(first, new ReLU({ dtype }), second);
  // Linear stores its weight inFeatures × outFeatures, as the shared file does.
  first.weight.value.data.set(problem.W1);
  first.bias.value.data.set(problem.b1);
  second.weight.value.data.set(problem.W2);
  second.bias.value.data.set(problem.b2);
  const lossFn = new MSELoss({ reduction: 'sum' });
  const optimizer = new SGD(net.parameters(), { lr });
  const x = new Matrix(N, D, F.from(problem.X));
  const y = new Matrix(N, O, F.from(problem.Y));
  return {
    step() {
      optimizer.zeroGrad();
      const loss = lossFn.forward(net.forward(x), y);
      // The network's input needs no gradient: skip the GEMM that would compute it.
      net.backward(lossFn.backward(), { inputGrad: false });
      optimizer.step();
      return loss;
    },
    blas: blaspropBlas(),
  };
}
