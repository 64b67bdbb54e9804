import { describe, it } from 'vitest';

import { Matrix, TwoLayerRegressor } from '../../dist/index.js';
import { expectClose } from '../helpers/expect-close.js';
import { numpyFixtures } from '../helpers/numpy-fixtures.js';

// numpy and blasprop run the same float64 operations through two different OpenBLAS
// builds (numpy's wheel bundles its own), whose kernels block and order the sums
// differently. Each GEMM then differs by a few ulps relative to the magnitude of its
// terms (about k·u with k <= 200, u = 1.1e-16, so <= ~2e-14), and up to 30 SGD steps
// carry that along without amplifying it by more than a few orders of magnitude for
// these well-conditioned, converging runs. 1e-9 relative to each array's scale leaves
// ample room for that, while any algorithmic difference (a wrong gradient, a missed
// bias, a different reduction) shows up at 1e-3 or worse within one step.
const RELATIVE = 1e-9;

describe('parity with the corrected numpy loop of the reference post', () => {
  for (const fixture of numpyFixtures()) {
    const { N, D, H, O } = fixture.sizes;
    it(`${fixture.name}: N=${N} D=${D} H=${H} O=${O}, ${fixture.reduction}, ${fixture.steps} steps`, () => {
      const model = new TwoLayerRegressor({ inputSize: D, hiddenSize: H, outputSize: O, reduction: fixture.reduction });
      model.loadStateDict({
        W1: Float64Array.from(fixture.initial.W1),
        b1: Float64Array.from(fixture.initial.b1),
        W2: Float64Array.from(fixture.initial.W2),
        b2: Float64Array.from(fixture.initial.b2),
      });
      const x = new Matrix(N, D, Float64Array.from(fixture.X));
      const y = new Matrix(N, O, Float64Array.from(fixture.y));
      const losses = Array.from({ length: fixture.steps }, () => model.trainStep(x, y, fixture.lr));
      expectClose(losses, fixture.losses, 'loss', RELATIVE);
      const state = model.stateDict();
      for (const key of ['W1', 'b1', 'W2', 'b2'] as const) expectClose(state[key], fixture.final[key], key, RELATIVE);
    });
  }
});
