// A job for a float32 model: the worker reads and prepares the rows in float64, as for
// any job, then hands the model a copy in its dtype, made once, so that its fit (which
// never converts) takes them.

import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { TwoLayerRegressor } from '../../dist/index.js';
import { prepareJobData } from '../../dist/queue/data.js';

const CSV = fileURLToPath(new URL('../fixtures/regression.csv', import.meta.url));

describe('a job’s data for a float32 model', () => {
  it('is prepared as for float64, then converted once to float32', async () => {
    const data = { csv: CSV, targets: ['y'], shuffleRows: 3, standardise: true };
    const single = new TwoLayerRegressor({ inputSize: 4, hiddenSize: 3, outputSize: 1, dtype: 'float32' });
    const double = new TwoLayerRegressor({ inputSize: 4, hiddenSize: 3, outputSize: 1 });
    const fit = { epochs: 1, validationSplit: 0.2 };
    const [p32, p64] = [await prepareJobData(data, single, fit), await prepareJobData(data, double, fit)];
    expect([p32.x.dtype, p32.y.dtype, p64.x.dtype]).toEqual(['float32', 'float32', 'float64']);
    expect(p32.x.data).toEqual(Float32Array.from(p64.x.data));
    expect(p32.metadata).toEqual(p64.metadata);
    const history = await single.fit(p32.x, p32.y, { ...fit, background: false });
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
  });
});
