import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { Matrix, Model } from '../../dist/index.js';
import { cleanup, filesIn, runCli, tempDir } from './run-cli.js';

afterAll(cleanup);

describe('Ctrl-C during blasprop train', () => {
  it('stops after the current batch, saves the model so far and exits with 130', async () => {
    const out = await tempDir();
    let signalled = false;
    const { code, stdout, stderr } = await runCli(['train', '--epochs', '100000', '--out', out], {
      onStderr(text, child) {
        // Wait for a finished epoch, so there is something to save.
        if (!signalled && text.includes('epoch      1/100000')) {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(signalled).toBe(true);
    expect(code).toBe(130);
    expect(stderr).toMatch(/blasprop: interrupted during epoch \d+ of 100000; the model trained so far is saved in /);
    expect(stdout).toMatch(/of 100000 epochs \(interrupted\)/);
    // The model and the chart, and no temporary file.
    expect((await filesIn(out)).sort()).toEqual(['loss.svg', 'model.blasprop']);

    const model = await Model.load(join(out, 'model.blasprop'));
    expect(model).toMatchObject({ inputSize: 10, outputSize: 1 });
    // It has learnt something: standardised predictions for two different rows differ
    // in the direction of Friedman #1 (y grows with x4, the strongest linear term).
    const low = new Matrix(1, 10, new Float64Array(10).fill(0));
    const high = new Matrix(1, 10, new Float64Array(10).fill(0));
    high.data[3] = 1.5;
    low.data[3] = -1.5;
    expect(model.predict(high).data[0]).toBeGreaterThan(model.predict(low).data[0] + 1);
  });
});
