// Fits of the same model one after another in the background. A worker takes the
// model of its last fit again when the next job describes it to the last bit, and
// builds it afresh otherwise: either way every fit must give what the same sequence
// gives on the calling thread, whatever happened to the model in between.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  Adam,
  configureTraining,
  Dropout,
  type History,
  L1Loss,
  Linear,
  type Matrix,
  Model,
  MSELoss,
  ReLU,
  Sequential,
  SGD,
  trainingConfig,
} from '../../dist/index.js';
import { model, outcome, problem } from './helpers.js';

const { x, y } = problem(4, 300);
const options = { epochs: 2, batchSize: 16, lr: 0.02, seed: 3 };

// One worker, so that every fit lands on the worker of the one before.
let configured: ReturnType<typeof trainingConfig>;
beforeAll(() => {
  configured = trainingConfig();
  configureTraining({ maxWorkers: 1 });
});
afterAll(() => {
  configureTraining({ maxWorkers: configured.maxWorkers });
});

/** A model with state between steps (Adam's moments) and, with `dropout`, random draws. */
function adam(dropout: boolean): Model {
  const network = new Sequential(
    new Linear(6, 12),
    new ReLU(),
    ...(dropout ? [new Dropout({ p: 0.2 })] : []),
    new Linear(12, 2),
  );
  return new Model(network, { loss: new MSELoss(), optimizer: new Adam(network.parameters(), { lr: 0.01 }) });
}

/** The training state, every array in hex: the parameters, and the optimizer's buffers and numbers. */
function stateBits(m: Model) {
  const hex = (values: Float64Array | Float32Array) =>
    Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('hex');
  const { parameters, optimizer } = m.trainingState();
  return {
    parameters: Object.entries(parameters).map(([name, values]) => [name, hex(values)]),
    buffers: Object.entries(optimizer.buffers).flatMap(([name, named]) =>
      Object.entries(named).map(([buffer, values]) => [name, buffer, hex(values)]),
    ),
    scalars: Object.entries(optimizer.scalars).map(([name, value]) => [name, Object.is(value, -0) ? '-0' : value]),
  };
}

type Step = (m: Model, background: boolean) => Promise<unknown>;

/** Runs the same steps on two twins, one in the background, one on this thread, and compares after each step. */
async function expectSameSequence(make: () => Model, steps: Step[]): Promise<void> {
  const inBackground = make();
  const inThread = make();
  for (const [i, step] of steps.entries()) {
    const ours = await step(inBackground, true);
    const theirs = await step(inThread, false);
    expect(ours, `step ${i}`).toEqual(theirs);
    expect(stateBits(inBackground), `step ${i}`).toEqual(stateBits(inThread));
  }
}

const fitStep =
  (extra: object = {}): Step =>
  (m, background) =>
    m.fit(x, y, { ...options, ...extra, background }).then((history: History) => history.history);

describe('fits of one model one after another in the background', () => {
  it('match the same fits on the calling thread, with nothing changed between them', async () => {
    await expectSameSequence(() => model(1), [fitStep(), fitStep(), fitStep({ epochs: 1 })]);
    await expectSameSequence(() => adam(true), [fitStep(), fitStep(), fitStep({ seed: 4 })]);
  });

  it('match them when the weights, the learning rate or the optimizer state change between fits', async () => {
    const bx: Matrix = x.rowRange(0, 16);
    const by: Matrix = y.rowRange(0, 16);
    await expectSameSequence(
      () => adam(false),
      [
        fitStep(),
        async (m) => m.loadStateDict(adam(false).stateDict()),
        fitStep(),
        async (m) => {
          m.optimizer.lr = 0.003;
        },
        fitStep({ lr: undefined }),
        // A step on this thread moves both the weights and Adam's moments.
        async (m) => m.trainStep(bx, by),
        fitStep(),
      ],
    );
  });

  it('match them after a fit that failed', async () => {
    const settled =
      (extra: object): Step =>
      (m, background) =>
        outcome(m.fit(x, y, { ...options, ...extra, background })).then(({ name, fields }) => ({ name, fields }));
    await expectSameSequence(
      () => model(2),
      [
        fitStep(),
        settled({ lr: 1e308 }),
        // The weights kept from before the bad batch are finite but huge: this fails too.
        settled({}),
        async (m) => m.loadStateDict(model(3).stateDict()),
        fitStep(),
        fitStep(),
      ],
    );
  });

  it('keep two models of the same configuration apart, fitted in turns', async () => {
    const first = model(5);
    const second = model(5);
    second.loadStateDict(model(6).stateDict());
    const firstTwin = model(5);
    const secondTwin = model(5);
    secondTwin.loadStateDict(model(6).stateDict());
    for (let round = 0; round < 2; round++) {
      for (const [m, twin] of [
        [first, firstTwin],
        [second, secondTwin],
      ] as const) {
        const history = await m.fit(x, y, options);
        expect(history).toEqual(await twin.fit(x, y, { ...options, background: false }));
        expect(stateBits(m)).toEqual(stateBits(twin));
      }
    }
    expect(stateBits(first)).not.toEqual(stateBits(second));
  });

  it('build the model afresh when only its configuration changed: the same state, another loss', async () => {
    // SGD without momentum keeps no buffers: the second model's state is the first's, bit for bit.
    const sgd = (loss: MSELoss | L1Loss) => {
      const network = new Sequential(new Linear(6, 12), new ReLU(), new Linear(12, 2));
      return new Model(network, { loss, optimizer: new SGD(network.parameters(), { lr: 0.02 }) });
    };
    const first = sgd(new MSELoss());
    await first.fit(x, y, options);
    const [second, twin] = [sgd(new L1Loss()), sgd(new L1Loss())];
    second.loadStateDict(first.stateDict());
    twin.loadStateDict(first.stateDict());
    expect(stateBits(second)).toEqual(stateBits(first));
    expect(await second.fit(x, y, options)).toEqual(await twin.fit(x, y, { ...options, background: false }));
    expect(stateBits(second)).toEqual(stateBits(twin));
  });
});
