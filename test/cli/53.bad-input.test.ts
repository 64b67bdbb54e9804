import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { TwoLayerRegressor } from '../../dist/index.js';
import { cleanup, FIXTURE_CSV, filesIn, runCli, tempDir } from './run-cli.js';

let dir: string;
let goodModel: string;

/** Writes a CSV file into the test folder and returns its path. */
async function csv(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

beforeAll(async () => {
  dir = await tempDir();
  const model = new TwoLayerRegressor({ inputSize: 3, hiddenSize: 4, outputSize: 1 });
  goodModel = join(dir, 'good.blasprop');
  await model.save(goodModel);
});
afterAll(cleanup);

/** Runs the CLI and checks the contract for bad input: exit 2, one line on stderr, no stack, nothing written. */
async function expectRejected(args: string[], message: RegExp | string, outputs: string[] = []): Promise<void> {
  const { code, stdout, stderr } = await runCli(args);
  expect(stderr).toMatch(/^blasprop: [^\n]+\n$/);
  expect(stderr).toMatch(message);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  for (const output of outputs) expect(await filesIn(output)).toEqual([]);
}

/** `blasprop train` with --out in a fresh folder that must stay empty. */
async function expectTrainRejected(args: string[], message: RegExp | string): Promise<void> {
  const out = join(await tempDir(), 'out');
  await expectRejected(['train', ...args, '--out', out], message, [out]);
}

describe.concurrent('blasprop train refuses bad data', () => {
  it('a missing file', async () => {
    await expectTrainRejected(['--data', join('no', 'such.csv'), '--target', 'y'], /such\.csv: no such file/);
  });

  it('an empty file', async () => {
    await expectTrainRejected(['--data', await csv('empty.csv', ''), '--target', 'y'], /empty\.csv is empty/);
  });

  it('a header without rows', async () => {
    const path = await csv('header.csv', 'a,b,y\n');
    await expectTrainRejected(['--data', path, '--target', 'y'], /header\.csv has a header but no data rows/);
  });

  it('a header without the target column', async () => {
    await expectTrainRejected(
      ['--data', FIXTURE_CSV, '--target', 'price'],
      /has no column "price" \(its columns: "a", "b"/,
    );
  });

  it('a non-numeric cell, naming its line and column', async () => {
    const path = await csv('text.csv', 'a,b,y\n1,2,3\n4,five,6\n');
    await expectTrainRejected(
      ['--data', path, '--target', 'y'],
      /text\.csv, line 3, column 2 \("b"\): "five" is not a number/,
    );
  });

  it('a ragged row', async () => {
    const path = await csv('ragged.csv', 'a,b,y\n1,2,3\n4,5\n');
    await expectTrainRejected(
      ['--data', path, '--target', 'y'],
      /ragged\.csv, line 3: 2 cells, but the header has 3 columns/,
    );
  });

  it('NaN and Infinity cells', async () => {
    const nan = await csv('nan.csv', 'a,b,y\n1,2,3\n4,5,NaN\n');
    await expectTrainRejected(['--data', nan, '--target', 'y'], /line 3, column 3 \("y"\): NaN is not a finite number/);
    const inf = await csv('inf.csv', 'a,b,y\n1,-Infinity,3\n');
    await expectTrainRejected(
      ['--data', inf, '--target', 'y'],
      /line 2, column 2 \("b"\): -Infinity is not a finite number/,
    );
  });
});

describe.concurrent('blasprop train refuses bad options', () => {
  it('--epochs 0', async () => {
    await expectTrainRejected(['--epochs', '0'], 'Expected an integer in [1, 1000000] for --epochs but received 0');
  });

  it('negative values', async () => {
    await expectTrainRejected(['--epochs', '-3'], /for --epochs but received -3$/m);
    await expectTrainRejected(['--lr', '-0.1'], 'Expected a finite number > 0 for --lr but received -0.1');
  });

  it('a non-numeric value', async () => {
    await expectTrainRejected(['--lr', 'fast'], 'for --lr but received "fast"');
  });

  it('an unknown option and a missing value', async () => {
    await expectTrainRejected(['--fast'], 'unknown option --fast for blasprop train');
    await expectTrainRejected(['--epochs'], '--epochs needs a value');
  });

  it('an unknown command', async () => {
    await expectRejected(['fit'], 'unknown command "fit"');
  });
});

describe.concurrent('blasprop predict refuses bad input', () => {
  it('a missing model file', async () => {
    const out = join(dir, 'missing-model.csv');
    await expectRejected(
      ['predict', '--model', join(dir, 'none.blasprop'), '--data', FIXTURE_CSV, '--out', out],
      /none\.blasprop: no such file/,
    );
    expect(await filesIn(dir)).not.toContain('missing-model.csv');
  });

  it('a truncated model file', async () => {
    const bytes = await readFile(goodModel);
    const truncated = join(dir, 'truncated.blasprop');
    await writeFile(truncated, bytes.subarray(0, bytes.length - 40));
    await expectRejected(['predict', '--model', truncated, '--data', FIXTURE_CSV], /truncated or corrupted/);
  });

  it('a file of the wrong format', async () => {
    await expectRejected(['predict', '--model', FIXTURE_CSV, '--data', FIXTURE_CSV], /not a blasprop model file/);
  });

  it('data without the model’s features, leaving no output file', async () => {
    const out = join(dir, 'never.csv');
    const data = await csv('two-columns.csv', 'a,b\n1,2\n');
    await expectRejected(
      ['predict', '--model', goodModel, '--data', data, '--out', out],
      'has 2 columns, but the model takes 3 features',
    );
    expect(await filesIn(dir)).not.toContain('never.csv');
  });

  it('bad data rows', async () => {
    const data = await csv('bad-rows.csv', 'a,b,c\n1,2,3\n1,2,x\n');
    await expectRejected(
      ['predict', '--model', goodModel, '--data', data],
      /line 3, column 3 \("c"\): "x" is not a number/,
    );
  });
});
