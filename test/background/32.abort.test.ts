import { describe, expect, it } from 'vitest';

import { configureTraining, type StateDict, trainingConfig } from '../../dist/index.js';
import { expectSameState, model, problem, sameState } from './helpers.js';

describe('aborting a background fit', () => {
  it('rejects with an AbortError within about one batch, with the weights of the last completed step', async () => {
    // Batches of a few milliseconds each, so that one batch is a measurable time.
    const sizes = { inputSize: 256, hiddenSize: 512, outputSize: 4 };
    const { x, y } = problem(1, 256 * 8, sizes);
    const options = { epochs: 3, batchSize: 256, lr: 0.001, seed: 4 };

    // Every step's weights, and how long a batch takes, from the same fit on this thread.
    const steps: StateDict[] = [];
    const batchMs: number[] = [];
    const inThread = model(1, sizes);
    let last = performance.now();
    await inThread.fit(x, y, {
      ...options,
      background: false,
      callbacks: {
        onBatchEnd() {
          steps.push(inThread.stateDict());
          batchMs.push(performance.now() - last);
          last = performance.now();
        },
      },
    });
    const background = model(1, sizes);
    const controller = new AbortController();
    let reported = 0;
    let abortedAt = 0;
    const run = background.fit(x, y, {
      ...options,
      signal: controller.signal,
      callbacks: {
        onBatchEnd() {
          reported++;
          if (abortedAt === 0) {
            abortedAt = performance.now();
            controller.abort();
          }
        },
      },
    });
    const error = await run.catch((e: unknown) => e);
    const latency = performance.now() - abortedAt;

    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    const completed = steps.findIndex((state) => sameState(state, background.stateDict())) + 1;
    expect(completed, 'the weights are those after some whole step').toBeGreaterThan(0);
    expect(completed).toBeGreaterThanOrEqual(reported);
    expect(completed).toBeLessThan(steps.length);
    const typicalBatch = batchMs.sort((a, b) => a - b)[batchMs.length >> 1];
    expect(latency).toBeLessThan(2 * typicalBatch + 50);
  });

  it('stops exactly after an epoch when aborted from onEpochEnd', async () => {
    const { x, y } = problem(2, 200);
    const options = { epochs: 6, batchSize: 16, lr: 0.02, seed: 1 };
    const controller = new AbortController();
    const background = model();
    const error = await background
      .fit(x, y, {
        ...options,
        signal: controller.signal,
        callbacks: { onEpochEnd: (epoch) => void (epoch === 1 && controller.abort()) },
      })
      .catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    const twoEpochs = model();
    await twoEpochs.fit(x, y, { ...options, epochs: 2, background: false });
    expectSameState(background.stateDict(), twoEpochs.stateDict());
  });

  it('takes a queued fit out of the queue, leaving its weights alone', async () => {
    const { maxWorkers } = trainingConfig();
    configureTraining({ maxWorkers: 1 });
    try {
      const { x, y } = problem(3, 2000);
      const long = { epochs: 1000, batchSize: 8, lr: 0.001 };
      const stopBusy = new AbortController();
      const busy = model(1).fit(x, y, { ...long, signal: stopBusy.signal });
      const queued = model(2);
      const before = queued.stateDict();
      const controller = new AbortController();
      const run = queued.fit(x, y, { ...long, signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      await expect(run).rejects.toMatchObject({ name: 'AbortError' });
      expectSameState(queued.stateDict(), before);
      stopBusy.abort();
      await expect(busy).rejects.toMatchObject({ name: 'AbortError' });
    } finally {
      configureTraining({ maxWorkers });
    }
  });
});
