// The options that choose the network and its training: parsed into what network.ts
// builds, and every bad value refused as one line naming the option and the value.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { UsageError } from '../../dist/cli/errors.js';
import { buildModel, trainingCallbacks, trainingPlan } from '../../dist/cli/network.js';
import { parseTrainOptions } from '../../dist/cli/train-options.js';
import { EarlyStopping, Model, StepLR } from '../../dist/index.js';
import { cleanup, FIXTURE_CSV, filesIn, runCli, tempDir } from './run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(cleanup);

function rejection(args: string[]): string {
  try {
    parseTrainOptions(args);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${args.join(' ')}`);
}

const SHAPE = { rows: 100, inputSize: 3, outputSize: 1, classes: undefined };

describe('network and training options', () => {
  it('build the network, loss, optimizer and callbacks they name', () => {
    const options = parseTrainOptions([
      '--layers',
      '8,4',
      '--activation',
      'tanh',
      '--dropout',
      '0.25',
      '--loss',
      'huber',
      '--optimizer',
      'rmsprop',
      '--momentum',
      '0.5',
      '--weight-decay',
      '0.01',
      '--schedule',
      'step:3:0.5',
      '--clip-norm',
      '2',
      '--early-stopping',
      '4',
    ])!;
    const plan = trainingPlan(options, SHAPE);
    const model = buildModel(plan.network);
    expect(model.toConfig()).toMatchObject({
      network: {
        layers: [
          { type: 'Linear', inFeatures: 3, outFeatures: 8, init: 'xavier' },
          { type: 'Tanh' },
          { type: 'Dropout', p: 0.25 },
          { type: 'Linear', inFeatures: 8, outFeatures: 4 },
          { type: 'Tanh' },
          { type: 'Dropout', p: 0.25 },
          { type: 'Linear', inFeatures: 4, outFeatures: 1, init: 'xavier' },
        ],
      },
      loss: { type: 'HuberLoss' },
      optimizer: { type: 'RMSprop', momentum: 0.5, weightDecay: 0.01 },
    });
    expect(plan.fit.clipNorm).toBe(2);
    const callbacks = trainingCallbacks(model, plan.callbacks);
    expect(callbacks[0]).toBeInstanceOf(StepLR);
    expect(callbacks[1]).toBeInstanceOf(EarlyStopping);
    expect(callbacks[1]).toMatchObject({ patience: 4, restoreBestWeights: true });
  });

  it('default to Adam, ReLU, MSE and no clipping; a classifier to cross-entropy', () => {
    const options = parseTrainOptions([])!;
    const model = buildModel(trainingPlan(options, SHAPE).network);
    expect(model.toConfig()).toMatchObject({
      loss: { type: 'MSELoss' },
      optimizer: { type: 'Adam', lr: 1e-3, weightDecay: 0 },
    });
    expect(trainingPlan(options, SHAPE).fit.clipNorm).toBeUndefined();
    const classifier = buildModel(trainingPlan(options, { ...SHAPE, classes: 4 }).network);
    expect(classifier.toConfig().loss.type).toBe('CrossEntropyLoss');
    expect(classifier.outputSize).toBe(4);
    // AdamW keeps its own decay unless one is given.
    const adamw = buildModel(trainingPlan(parseTrainOptions(['--optimizer', 'adamw'])!, SHAPE).network);
    expect(adamw.toConfig().optimizer).toMatchObject({ type: 'AdamW', weightDecay: 0.01 });
  });

  it('one hidden ReLU layer is still the reference network of the same seed', async () => {
    const options = parseTrainOptions(['--optimizer', 'sgd', '--seed', '5'])!;
    const model = buildModel(trainingPlan(options, SHAPE).network);
    const again = Model.fromConfig(model.toConfig());
    expect(again.network.parameters().map((p) => Array.from(p.value.data))).toEqual(
      model.network.parameters().map((p) => Array.from(p.value.data)),
    );
  });

  it('parse each schedule', () => {
    const schedule = (text: string) => parseTrainOptions(['--schedule', text])!.schedule;
    expect(schedule('step:10')).toEqual({ type: 'step', stepSize: 10, gamma: 0.1 });
    expect(schedule('exponential:0.9')).toEqual({ type: 'exponential', gamma: 0.9 });
    expect(schedule('cosine')).toEqual({ type: 'cosine' });
    expect(schedule('plateau')).toEqual({ type: 'plateau', patience: 5 });
    expect(schedule('plateau:2')).toEqual({ type: 'plateau', patience: 2 });
    expect(schedule('warmup:3')).toEqual({ type: 'warmup', epochs: 3 });
  });

  it('refuse bad values, naming the option and the value', () => {
    expect(rejection(['--activation', 'swish'])).toBe(
      '--activation takes one of relu, leaky-relu, gelu, tanh, sigmoid but received "swish"',
    );
    expect(rejection(['--loss', 'hinge'])).toMatch(
      /^--loss takes one of mse, l1, huber, cross-entropy but received "hinge"$/,
    );
    expect(rejection(['--optimizer', 'lbfgs'])).toMatch(/^--optimizer takes one of sgd, adam, adamw, rmsprop/);
    expect(rejection(['--optimizer', 'adam', '--momentum', '0.9'])).toBe(
      '--momentum is for --optimizer sgd or rmsprop; adam takes none',
    );
    expect(rejection(['--weight-decay', '-1'])).toBe(
      'Expected a finite number >= 0 for --weight-decay but received -1',
    );
    expect(rejection(['--weight-decay', 'lots'])).toMatch(/for --weight-decay but received "lots"$/);
    expect(rejection(['--dropout', '1'])).toBe('Expected a number in [0, 1) for --dropout but received 1');
    expect(rejection(['--dropout', 'NaN'])).toMatch(/for --dropout but received "NaN"$/);
    expect(rejection(['--clip-norm', '0'])).toBe('Expected a finite number > 0 for --clip-norm but received 0');
    expect(rejection(['--early-stopping', '2.5'])).toBe(
      'Expected an integer in [0, 1000000] for --early-stopping but received 2.5',
    );
    expect(rejection(['--early-stopping', '-1'])).toMatch(/for --early-stopping but received -1$/);
    expect(rejection(['--schedule', 'linear'])).toMatch(/^--schedule takes .* but "linear" is no schedule$/);
    expect(rejection(['--schedule', 'step'])).toMatch(/"step" has 0 arguments$/);
    expect(rejection(['--schedule', 'step:0'])).toMatch(
      /"step:0" needs a number of epochs, an integer in \[1, 1000000\]$/,
    );
    expect(rejection(['--schedule', 'exponential:1'])).toMatch(/"exponential:1" needs a factor in \(0, 1\)$/);
    expect(rejection(['--schedule', 'cosine:3'])).toMatch(/"cosine:3" has 1 argument$/);
    expect(rejection(['--task', 'ranking', '--data', 'a.csv', '--target', 'y'])).toBe(
      '--task takes one of auto, regression, classification but received "ranking"',
    );
    expect(rejection(['--missing', 'zero', '--data', 'a.csv', '--target', 'y'])).toBe(
      '--missing takes one of error, drop, mean but received "zero"',
    );
    expect(rejection(['--missing', 'drop'])).toBe('--missing needs --data FILE.csv');
    expect(rejection(['--ignore', 'a'])).toBe('--ignore needs --data FILE.csv');
    expect(rejection(['--data', 'a.csv', '--target', 'y', '--ignore', 'a,,b'])).toMatch(
      /--ignore has an empty column name/,
    );
    expect(rejection(['--data', 'a.csv', '--target', 'y', '--ignore', 'y'])).toBe(
      'column "y" is given to both --target and --ignore',
    );
    expect(rejection(['--demo', 'mnist'])).toBe('--demo takes one of friedman1, iris but received "mnist"');
    expect(rejection(['--demo', 'iris', '--data', 'a.csv', '--target', 'y'])).toMatch(
      /--demo iris brings its own data/,
    );
  });

  it('refuse a regression loss for labels and cross-entropy for numbers', () => {
    const options = parseTrainOptions(['--loss', 'cross-entropy'])!;
    expect(() => trainingPlan(options, SHAPE)).toThrow(/--loss cross-entropy is for a target of labels/);
  });
});

describe.concurrent('the command line refuses each bad value as one line, exit 2, writing nothing', () => {
  const cases: [string[], RegExp][] = [
    [['--activation', 'swish'], /--activation takes one of/],
    [['--loss', 'hinge'], /--loss takes one of/],
    [['--optimizer', 'lbfgs'], /--optimizer takes one of/],
    [['--weight-decay', '-0.5'], /for --weight-decay but received -0.5/],
    [['--schedule', 'step:x'], /--schedule takes/],
    [['--clip-norm', '-1'], /for --clip-norm but received -1/],
    [['--dropout', '1.5'], /for --dropout but received 1.5/],
    [['--early-stopping', 'soon'], /for --early-stopping but received "soon"/],
    [['--data', FIXTURE_CSV, '--target', 'y', '--ignore', 'nope'], /has no column "nope" to ignore/],
    [['--data', FIXTURE_CSV, '--target', 'y', '--task', 'other'], /--task takes one of/],
    [['--data', FIXTURE_CSV, '--target', 'y', '--missing', 'fill'], /--missing takes one of/],
    [['--demo', 'spirals'], /--demo takes one of friedman1, iris/],
    [
      ['--data', FIXTURE_CSV, '--target', 'y', '--loss', 'cross-entropy'],
      /--loss cross-entropy is for a target of labels/,
    ],
  ];
  for (const [args, message] of cases) {
    it(args.filter((a) => a.startsWith('--')).join(' '), async () => {
      const out = join(dir, `never-${args.join('').replace(/\W/g, '')}`);
      const { code, stdout, stderr } = await runCli(['train', ...args, '--out', out]);
      expect(stderr).toMatch(/^blasprop: [^\n]+\n$/);
      expect(stderr).toMatch(message);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(await filesIn(out)).toEqual([]);
    });
  }
});

describe('the options train as they say', () => {
  it('early stopping keeps the best epoch; a schedule and clipping run; the summary says so', async () => {
    const path = join(dir, 'rows.csv');
    const lines = ['a,b,y'];
    for (let i = 0; i < 200; i++) lines.push(`${Math.sin(i)},${Math.cos(3 * i)},${Math.sin(i) * 2 + Math.cos(3 * i)}`);
    await writeFile(path, lines.join('\n'));
    const args = [
      'train',
      '--data',
      path,
      '--target',
      'y',
      '--epochs',
      '60',
      '--early-stopping',
      '2',
      '--optimizer',
      'sgd',
      '--lr',
      '0.05',
    ];
    const more = [
      '--schedule',
      'cosine',
      '--clip-norm',
      '1',
      '--activation',
      'gelu',
      '--dropout',
      '0.1',
      '--out',
      join(dir, 'es'),
    ];
    const { code, stdout, stderr } = await runCli([...args, ...more, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    const { earlyStopping } = result.training;
    expect(result.training).toMatchObject({ clipNorm: 1, schedule: { type: 'cosine' } });
    expect(result.model).toMatchObject({ activation: 'gelu', dropout: 0.1, optimizer: 'SGD' });
    expect(earlyStopping.patience).toBe(2);
    expect(earlyStopping.bestEpoch).not.toBeNull();
    const valLoss: number[] = result.history.valLoss;
    // The best epoch is the one of the lowest validation loss, and its weights are the ones saved.
    expect(valLoss[earlyStopping.bestEpoch]).toBe(Math.min(...valLoss));
    if (earlyStopping.stoppedEpoch !== null) expect(valLoss).toHaveLength(earlyStopping.stoppedEpoch + 1);
    const evaluated = await runCli([
      'evaluate',
      '--model',
      join(dir, 'es', 'model.blasprop'),
      '--data',
      path,
      '--json',
    ]);
    expect(evaluated.code).toBe(0);
    const text = await runCli([...args, ...more]);
    expect(text.stdout).toMatch(
      /early stopping \(patience 2\): (stopped after epoch \d+|ran every epoch); kept the weights of epoch \d+/,
    );
    expect(text.stdout).toMatch(/SGD lr 0\.05 · clip norm 1/);
  });
});
