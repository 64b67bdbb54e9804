// blasprop's building blocks composed by hand: Sequential(Linear, ReLU, Linear),
// MSELoss with the summed reduction, and SGD; in float64, or (form 'float32') in
// float32 on the data and weights rounded to it.

import { Matrix, MSELoss, SGD, setNumThreads } from '../../../dist/index.js';
import { blaspropBlas } from '../../lib/blasprop-info.mjs';
import { twoLayerNetwork } from '../../lib/blasprop-network.mjs';

export async function create(problem, { threads, form }) {
  const { N, D, O, lr } = problem;
  setNumThreads(threads);
  const dtype = form === 'float32' ? 'float32' : 'float64';
  const F = dtype === 'float32' ? Float32Array : Float64Array;
  const net = twoLayerNetwork(problem, dtype);
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
