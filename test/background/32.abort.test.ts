import { describe, expect, it } from 'vitest';

import { configureTraining, trainingConfig } from '../../dist/index.js';
import { expectSameState, model, problem } from './helpers.js';

describe('aborting a background fit', () => {
  it('rejects with an AbortError mid-fit, with the weights of exactly the steps it reported', async () => {
    // Far more batches than can run before the first batch report comes back and
    // aborts: the fit is still training when the signal fires.
    const sizes = { inputSize: 256, hiddenSize: 512, outputSize: 4 };
    const { x, y } = problem(1, 256 * 8, sizes);
    const options = { epochs: 1000, batchSize: 256, lr: 0.001, seed: 4 };
    const background = model(1, sizes);
    const controller = new AbortController();
    let reported = 0;
    const error = await background
      .fit(x, y, {
        ...options,
        signal: controller.signal,
        callbacks: {
          onBatchEnd() {
            reported++;
            controller.abort();
          },
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe('AbortError');
    expect(reported).toBeGreaterThan(0);
    expect(reported).toBeLessThan(options.epochs * 8);

    // The worker reports every batch it completes before the fit settles, so the
    // weights are those of the same fit on this thread stopped after `reported` steps.
    const inThread = model(1, sizes);
    const stop = new AbortController();
    let steps = 0;
    const replay = inThread.fit(x, y, {
      ...options,
      background: false,
      signal: stop.signal,
      callbacks: { onBatchEnd: () => void (++steps === reported && stop.abort()) },
    });
    await expect(replay).rejects.toMatchObject({ name: 'AbortError' });
    expectSameState(background.stateDict(), inThread.stateDict());
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
      let busyStarted!: () => void;
      const busyReported = new Promise<void>((resolve) => {
        busyStarted = resolve;
      });
      const busy = model(1).fit(x, y, {
        ...long,
        signal: stopBusy.signal,
        callbacks: { onBatchEnd: () => busyStarted() },
      });
      const queued = model(2);
      const before = queued.stateDict();
      const controller = new AbortController();
      const run = queued.fit(x, y, { ...long, signal: controller.signal });
      // The busy fit holds the only worker until it is stopped below: the other waits in the queue.
      await busyReported;
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
