// Job specs: what a job may carry, and the TypeError or RangeError, naming the field
// and the value, for everything it may not. submit refuses a bad spec before it adds
// anything to the queue.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../../bench/lib/redis-server.mjs';
import { EarlyStopping, Matrix, Model, StepLR } from '../../dist/index.js';
import {
  inlineMatrix,
  MAX_INLINE_VALUES,
  savedCallbacks,
  type TrainingJobSpec,
  TrainingQueue,
} from '../../dist/queue/index.js';
import { checkJobSpec, decodeInlineMatrix } from '../../dist/queue/spec.js';
import { describe as shown } from '../../dist/util/describe.js';
import { expectArgumentError } from '../helpers/errors.js';
import { networkConfig, regression } from './helpers.js';

const model = networkConfig({ inputs: 3, hidden: [4], outputs: 1, seed: 1 });
const rows = regression(1, 10, 3, 1);
const good: TrainingJobSpec = {
  model,
  data: { csv: '/shared/data.csv', targets: ['y'] },
  fit: { epochs: 2 },
};

/** `good` with `change` applied to a copy of one part. */
type Draft = Record<string, Record<string, unknown>>;
function spec(change: (s: Draft) => void): unknown {
  const copy = structuredClone(good) as unknown as Draft;
  change(copy);
  return copy;
}

/** A CSV spec whose model takes `a` and the one-hot `colour` (2 categories): 3 inputs. */
// biome-ignore lint/suspicious/noExplicitAny: a draft is changed into shapes no type allows
type TableDraft = Record<string, any>;
function tableSpec(change: (data: TableDraft) => void): unknown {
  const copy = structuredClone(good) as unknown as Draft;
  copy.data = {
    csv: '/shared/data.csv',
    targets: ['y'],
    ignore: ['id'],
    layout: {
      features: [
        { name: 'a', type: 'number' },
        { name: 'colour', type: 'category', categories: ['blue', 'red'] },
      ],
    },
  };
  change(copy.data);
  return copy;
}

const labels = { target: 'y', labels: ['x', 'y', 'z'] };

/** tableSpec for a classifier of three labels. */
function classifierSpec(change: (data: TableDraft) => void): unknown {
  const copy = tableSpec((d) => (d.layout.classes = structuredClone(labels))) as Draft;
  const network = structuredClone(model.network) as { layers: Record<string, unknown>[] };
  network.layers[network.layers.length - 1].outFeatures = 3;
  copy.model = { ...model, network, loss: { type: 'CrossEntropyLoss', reduction: 'mean' }, metrics: ['accuracy'] };
  change(copy.data);
  return copy;
}

function tableFileSpec(): unknown {
  return spec((s) => (s.data = { table: '/shared/data.table', targets: ['y'], layout: { features: [] } }));
}

const step = { type: 'StepLR', stepSize: 2, gamma: 0.1 };
const stepState = { scalars: { baseLr: 0.05, lastEpoch: 0 }, tensors: {} };

const T = TypeError;
const R = RangeError;

describe('inline matrices', () => {
  it('carry every float64 bit pattern exactly, -0 included', () => {
    const values = new Float64Array([0, -0, 1e-310, -1.5, Number.MAX_VALUE, 2 ** -1074]);
    const back = decodeInlineMatrix('m', inlineMatrix(new Matrix(2, 3, values)));
    expect([back.rows, back.cols]).toEqual([2, 3]);
    expect(Buffer.from(back.data.buffer).equals(Buffer.from(values.buffer))).toBe(true);
  });

  it('are refused when malformed', () => {
    const m = inlineMatrix(new Matrix(2, 2, new Float64Array([1, 2, 3, 4])));
    expectArgumentError(() => decodeInlineMatrix('m', 'AAAA'), { type: T, name: 'm', received: '"AAAA"' });
    expectArgumentError(() => decodeInlineMatrix('m', { ...m, rows: 1.5 }), {
      type: R,
      name: 'm.rows',
      received: '1.5',
    });
    expectArgumentError(() => decodeInlineMatrix('m', { ...m, cols: 0 }), { type: R, name: 'm.cols', received: '0' });
    expectArgumentError(() => decodeInlineMatrix('m', { ...m, rows: 3 }), {
      type: R,
      name: 'm.float64',
      received: shown(m.float64),
    });
    // Characters outside base64 are skipped by a lenient decoder: here they are refused.
    const dirty = `${m.float64.slice(0, 4)}!${m.float64.slice(4)}`;
    expectArgumentError(() => decodeInlineMatrix('m', { ...m, float64: dirty }), {
      type: R,
      name: 'm.float64',
      received: shown(dirty),
    });
    expectArgumentError(() => decodeInlineMatrix('m', { ...m, extra: 1 }), { type: R, name: 'm', received: 'object' });
    const nan = inlineMatrix(new Matrix(1, 2, new Float64Array([1, Number.NaN])));
    expectArgumentError(() => decodeInlineMatrix('m', nan), { type: R, name: 'm', received: 'Matrix object' });
    expectArgumentError(() => decodeInlineMatrix('m', { rows: MAX_INLINE_VALUES, cols: 2, float64: '' }), {
      type: R,
      name: 'm',
      received: 'object',
    });
  });

  it('inlineMatrix wants a Matrix', () => {
    expectArgumentError(() => inlineMatrix([1, 2] as never), { type: T, name: 'm', received: 'Array of length 2' });
  });
});

describe('checkJobSpec', () => {
  it('accepts CSV and inline data and returns the model the configuration describes', () => {
    const { model: built } = checkJobSpec(good);
    expect([built.inputSize, built.outputSize]).toEqual([3, 1]);
    const inline = {
      ...good,
      data: { x: inlineMatrix(rows.x), y: inlineMatrix(rows.y), shuffleRows: 3, standardise: true },
    };
    expect(checkJobSpec(inline).spec).toBe(inline);
    const table = { ...good, data: { table: '/shared/data.table', targets: ['y'] } };
    expect(checkJobSpec(table).spec).toBe(table);
  });

  it.each([
    ['not an object', 'a spec', T, 'spec', '"a spec"'],
    ['an unknown top-level key', spec((s) => (s.callbacks = {})), R, 'spec', 'object'],
    ['no model', spec((s) => delete s.model), T, 'spec.model', 'undefined'],
    [
      'metadata that JSON would change',
      spec((s) => (s.metadata = { when: new Date(0) })),
      T,
      'spec.metadata.when',
      'Date object',
    ],
    ['metadata with NaN', spec((s) => (s.metadata = { score: Number.NaN })), R, 'spec.metadata.score', 'NaN'],
    ['no fit options', spec((s) => delete s.fit), T, 'spec.fit', 'undefined'],
    ['0 epochs', spec((s) => (s.fit.epochs = 0)), R, 'spec.fit.epochs', '0'],
    ['a fractional batch size', spec((s) => (s.fit.batchSize = 2.5)), R, 'spec.fit.batchSize', '2.5'],
    ['a negative learning rate', spec((s) => (s.fit.lr = -1)), R, 'spec.fit.lr', '-1'],
    ['a string shuffle', spec((s) => (s.fit.shuffle = 'yes')), T, 'spec.fit.shuffle', '"yes"'],
    ['a split of 1', spec((s) => (s.fit.validationSplit = 1)), R, 'spec.fit.validationSplit', '1'],
    ['a seed out of range', spec((s) => (s.fit.seed = 2 ** 40)), R, 'spec.fit.seed', String(2 ** 40)],
    ['checkpointEvery 0', spec((s) => (s.fit.checkpointEvery = 0)), R, 'spec.fit.checkpointEvery', '0'],
    ['a misspelt fit option', spec((s) => (s.fit.epoch = 3)), R, 'spec.fit', 'object'],
    ['no data', spec((s) => delete s.data), T, 'spec.data', 'undefined'],
    ['data of neither kind', spec((s) => (s.data = { path: 'a.csv' })), R, 'spec.data', 'object'],
    ['an empty path', spec((s) => (s.data.csv = '')), T, 'spec.data.csv', '""'],
    [
      'a table path that is not a string',
      spec((s) => (s.data = { table: 3, targets: ['y'] })),
      T,
      'spec.data.table',
      '3',
    ],
    ['a CSV file and a table file', spec((s) => (s.data.table = 'a.table')), R, 'spec.data', 'object'],
    ['targets as a string', spec((s) => (s.data.targets = 'y')), T, 'spec.data.targets', '"y"'],
    ['too many targets', spec((s) => (s.data.targets = ['y', 'z'])), R, 'spec.data.targets', 'Array of length 2'],
    ['an empty target name', spec((s) => (s.data.targets = [''])), T, 'spec.data.targets[0]', '""'],
    ['a fractional shuffle seed', spec((s) => (s.data.shuffleRows = 0.5)), R, 'spec.data.shuffleRows', '0.5'],
    ['standardise as a number', spec((s) => (s.data.standardise = 1)), T, 'spec.data.standardise', '1'],
    ['CSV and inline at once', spec((s) => (s.data.x = inlineMatrix(rows.x))), R, 'spec.data', 'object'],
  ])('refuses %s', (_, value, type, name, received) => {
    expectArgumentError(() => checkJobSpec(value), { type, name, received });
  });

  it.each(['signal', 'checkpoint', 'resume', 'initialEpoch', 'background', 'yieldEvery', 'validationData'])(
    'refuses the local-only fit option %s, saying what to do instead',
    (option) => {
      const error = expectArgumentError(() => checkJobSpec(spec((s) => (s.fit[option] = 1))), {
        type: R,
        name: 'spec.fit',
        received: 'object',
      });
      expect(error.message).toContain(`(${option}: `);
    },
  );

  it('accepts a CSV table layout, missing values and saved training callbacks', () => {
    const withTable = tableSpec(() => {});
    expect(checkJobSpec(withTable).spec).toBe(withTable);
    const classifier = classifierSpec(() => {});
    expect(checkJobSpec(classifier).model.loss.task).toBe('classification');
  });

  it.each([
    ['ignore as a string', tableSpec((d) => (d.ignore = 'id')), T, 'spec.data.ignore', '"id"'],
    ['an ignored target', tableSpec((d) => (d.ignore = ['y'])), R, 'spec.data.ignore[0]', '"y"'],
    ['an ignored column twice', tableSpec((d) => (d.ignore = ['id', 'id'])), R, 'spec.data.ignore[1]', '"id"'],
    ['an unknown missing mode', tableSpec((d) => (d.missing = 'zero')), R, 'spec.data.missing', '"zero"'],
    ['fill values without mean', tableSpec((d) => (d.fill = [0, 0, 0])), R, 'spec.data.fill', 'Array of length 3'],
    [
      'fill values of the wrong length',
      tableSpec((d) => Object.assign(d, { missing: 'mean', fill: [0, 0] })),
      T,
      'spec.data.fill',
      'Array of length 2',
    ],
    [
      'a NaN fill value',
      tableSpec((d) => Object.assign(d, { missing: 'mean', fill: [0, Number.NaN, 0] })),
      T,
      'spec.data.fill',
      'Array of length 3',
    ],
    [
      'missing values without a layout',
      tableSpec((d) => Object.assign(d, { missing: 'drop', layout: undefined })),
      R,
      'spec.data.layout',
      'undefined',
    ],
    ['ignored columns without a layout', tableSpec((d) => delete d.layout), R, 'spec.data.layout', 'undefined'],
    ['a layout that is not an object', tableSpec((d) => (d.layout = [])), T, 'spec.data.layout', 'Array of length 0'],
    ['a stray layout key', tableSpec((d) => (d.layout.task = 'regression')), R, 'spec.data.layout', 'object'],
    ['a layout on a table file', tableFileSpec(), R, 'spec.data', 'object'],
    [
      'a feature column of an unknown type',
      tableSpec((d) => (d.layout.features[0].type = 'date')),
      T,
      'spec.data.layout.features',
      'Array of length 2',
    ],
    [
      'feature columns that do not give the inputs',
      tableSpec((d) => (d.layout.features[1].categories = ['blue', 'green', 'red'])),
      R,
      'spec.data.layout.features',
      'Array of length 2',
    ],
    [
      'a feature column that is a target',
      tableSpec((d) => (d.layout.features[0].name = 'y')),
      R,
      'spec.data.layout.features[0].name',
      '"y"',
    ],
    ['labels for a regressor', tableSpec((d) => (d.layout.classes = labels)), R, 'spec.data.layout.classes', 'object'],
    [
      'no labels for a classifier',
      classifierSpec((d) => delete d.layout.classes),
      R,
      'spec.data.layout.classes',
      'undefined',
    ],
    [
      'too few labels',
      classifierSpec((d) => (d.layout.classes.labels = ['a', 'b'])),
      T,
      'spec.data.layout.classes',
      'object',
    ],
    [
      'labels of another column',
      classifierSpec((d) => (d.layout.classes.target = 'kind')),
      R,
      'spec.data.layout.classes.target',
      '"kind"',
    ],
    ['a clip norm of 0', spec((s) => (s.fit.clipNorm = 0)), R, 'spec.fit.clipNorm', '0'],
    ['callbacks that are not an array', spec((s) => (s.fit.callbacks = {})), T, 'spec.fit.callbacks', 'object'],
    [
      'a callback that is not saved',
      spec((s) => (s.fit.callbacks = [{ type: 'StepLR', stepSize: 2 }])),
      R,
      'spec.fit.callbacks[0]',
      'object',
    ],
    [
      'a callback of an unknown type',
      spec((s) => (s.fit.callbacks = [{ config: { type: 'Nope' }, state: stepState }])),
      R,
      'spec.fit.callbacks[0].config.type',
      '"Nope"',
    ],
    [
      'a callback state that is not its own',
      spec(
        (s) => (s.fit.callbacks = [{ config: step, state: { scalars: { baseLr: -1, lastEpoch: 0 }, tensors: {} } }]),
      ),
      R,
      'spec.fit.callbacks[0].state.scalars.baseLr',
      '-1',
    ],
    [
      'a callback with a function in it',
      spec((s) => (s.fit.callbacks = [{ config: step, state: { ...stepState, onEpochEnd: () => {} } }])),
      T,
      'spec.fit.callbacks[0].state.onEpochEnd',
      'function onEpochEnd',
    ],
  ])('refuses %s', (_, value, type, name, received) => {
    expectArgumentError(() => checkJobSpec(value), { type, name, received });
  });

  it('takes callbacks as savedCallbacks gives them, and refuses a bad option of one, naming it', () => {
    const built = Model.fromConfig(model);
    const callbacks = savedCallbacks([
      new StepLR(built.optimizer, { stepSize: 2 }),
      new EarlyStopping({ patience: 1 }),
    ]);
    expect(checkJobSpec(spec((s) => (s.fit.callbacks = callbacks))).spec).toBeDefined();
    const bad = spec((s) => (s.fit.callbacks = [{ config: { ...step, stepSize: 0 }, state: stepState }]));
    expect(() => checkJobSpec(bad)).toThrow(RangeError);
    expect(() => checkJobSpec(bad)).toThrow(
      /^spec\.fit\.callbacks\[0\]\.config \(StepLR\): .* for stepSize but received 0/,
    );
    expect(() => savedCallbacks([{} as never])).toThrow(/for callbacks\[0\] but received object/);
  });

  it('refuses a model configuration that does not build, as Model.fromConfig does', () => {
    const bad = spec((s) => {
      (s.model.network as { layers: Record<string, unknown>[] }).layers[0].inFeatures = -1;
    });
    expect(() => checkJobSpec(bad)).toThrow(RangeError);
    expect(() => checkJobSpec(bad)).toThrow(/config\.network\.layers\[0\] \(Linear\).* for inFeatures but received -1/);
  });

  it('refuses inline data that does not fit the model, or is too large', () => {
    const inline = (x: Matrix, y: Matrix) => spec((s) => (s.data = { x: inlineMatrix(x), y: inlineMatrix(y) }));
    const wide = regression(1, 10, 4, 1);
    expectArgumentError(() => checkJobSpec(inline(wide.x, rows.y)), {
      type: R,
      name: 'spec.data.x',
      received: 'object',
    });
    const short = regression(1, 9, 3, 1);
    expectArgumentError(() => checkJobSpec(inline(rows.x, short.y)), {
      type: R,
      name: 'spec.data.y',
      received: 'object',
    });
    const big = regression(1, MAX_INLINE_VALUES / 4 + 1, 3, 1); // 3 + 1 values a row
    expectArgumentError(() => checkJobSpec(inline(big.x, big.y)), { type: R, name: 'spec.data', received: 'object' });
  });
});

describe('submit', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('refuses a bad spec or bad options before adding anything', async () => {
    const queue = new TrainingQueue({ connection: redis.url, name: 'specs' });
    try {
      await expect(queue.submit(spec((s) => (s.fit.epochs = -1)) as TrainingJobSpec)).rejects.toThrow(RangeError);
      await expect(queue.submit(good, { attempts: 0 })).rejects.toThrow(/for attempts but received 0/);
      await expect(queue.submit(good, { jobId: '12' })).rejects.toThrow(/for jobId but received "12"/);
      await expect(queue.submit(good, { jobId: 'a:b' })).rejects.toThrow(RangeError);
      await expect(queue.submit(good, { jobId: '..' })).rejects.toThrow(/for jobId but received "\.\."/);
      await expect(queue.submit(good, { backoff: -1 })).rejects.toThrow(/for backoff/);
      expect(await queue.list()).toEqual([]);
      // The same jobId twice adds one job.
      expect(await queue.submit(good, { jobId: 'nightly-1' })).toBe('nightly-1');
      expect(await queue.submit(good, { jobId: 'nightly-1' })).toBe('nightly-1');
      expect((await queue.list()).map((s) => [s.id, s.state])).toEqual([['nightly-1', 'waiting']]);
      expect(await queue.status('nope')).toBeUndefined();
      await expect(queue.status('' as string)).rejects.toThrow(TypeError);
    } finally {
      await queue.close();
    }
  });

  it('checks its own options', () => {
    expectArgumentError(() => new TrainingQueue({ connection: 'http://localhost' }), {
      type: R,
      name: 'connection',
      received: '"http://localhost"',
    });
    expectArgumentError(() => new TrainingQueue({ connection: 6379 as never }), {
      type: T,
      name: 'connection',
      received: '6379',
    });
    expectArgumentError(() => new TrainingQueue({ connection: redis.url, name: 'a:b' }), {
      type: R,
      name: 'name',
      received: '"a:b"',
    });
    expectArgumentError(() => new TrainingQueue(undefined as never), {
      type: T,
      name: 'options',
      received: 'undefined',
    });
  });
});
