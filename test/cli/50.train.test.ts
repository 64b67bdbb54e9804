import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { Model, TwoLayerRegressor } from '../../dist/index.js';
import { cleanup, FIXTURE_CSV, filesIn, parseCsv, r2, runCli, tempDir } from './run-cli.js';

afterAll(cleanup);

describe('blasprop train on the default data set', () => {
  it('trains in float32 with --dtype float32, saving a float32 model that predict reads', async () => {
    const out = await tempDir();
    const args = ['train', '--dtype', 'float32', '--data', FIXTURE_CSV, '--target', 'y', '--epochs', '3'];
    const { code, stdout, stderr } = await runCli([...args, '--json', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.model.dtype).toBe('float32');
    expect(result.history.loss.at(-1)).toBeLessThan(result.history.loss[0]);
    const model = await Model.load(join(out, 'model.blasprop'));
    expect(model.dtype).toBe('float32');
    const predicted = await runCli(['predict', '--model', join(out, 'model.blasprop'), '--data', FIXTURE_CSV]);
    expect(predicted.code).toBe(0);
    const { columns } = parseCsv(predicted.stdout);
    expect(columns[0].every(Number.isFinite)).toBe(true);
  });

  it('trains for two epochs and reports one JSON result with falling, finite losses', async () => {
    const out = await tempDir();
    const { code, stdout, stderr } = await runCli([
      'train',
      '--optimizer',
      'sgd',
      '--epochs',
      '2',
      '--json',
      '--out',
      out,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const result = JSON.parse(stdout);

    expect(result.data).toMatchObject({ name: 'Friedman #1', rows: 40_000, targets: ['y'] });
    expect(result.data.features).toHaveLength(10);
    const { loss, valLoss } = result.history;
    expect(loss).toHaveLength(2);
    expect(valLoss).toHaveLength(2);
    for (const v of [...loss, ...valLoss]) expect(Number.isFinite(v)).toBe(true);
    expect(loss[1]).toBeLessThan(loss[0]);
    expect(valLoss[1]).toBeLessThan(valLoss[0]);
    // Two epochs already explain most of the variance that the noise leaves.
    expect(result.metrics.validation.rows).toBe(8_000);
    expect(result.metrics.validation.r2).toBeGreaterThan(0.8);
    expect(result.metrics.validation.r2).toBeLessThan(0.97);
    expect(result.samplesPerSecond).toBeGreaterThan(0);
    expect(result.blas.threads).toBeGreaterThanOrEqual(1);
    expect(result.interrupted).toBe(false);

    expect((await filesIn(out)).sort()).toEqual(['loss.svg', 'model.blasprop']);
    const svg = await readFile(join(out, 'loss.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Training and validation loss');
    expect(svg).toContain('Epoch');

    // One hidden layer by default: the file is the reference network's, so the preset reads it.
    const model = await TwoLayerRegressor.load(join(out, 'model.blasprop'));
    expect(model.config).toMatchObject({ inputSize: 10, hiddenSize: 64, outputSize: 1 });
    expect(result.model).toMatchObject({
      inputSize: 10,
      layers: [64],
      outputSize: 1,
      network: '10 → 64 ReLU → 1',
      parameters: 769,
    });
    // Standardised with statistics of U(0, 1) features: mean 1/2, sd 1/√12.
    const { x } = (model.metadata as { standardisation: { x: { mean: number[]; std: number[] } } }).standardisation;
    for (const m of x.mean) expect(m).toBeCloseTo(0.5, 1);
    for (const s of x.std) expect(s).toBeCloseTo(1 / Math.sqrt(12), 2);
  });

  it('runs the reference post’s experiment with --preset post until the loss has nearly vanished', async () => {
    const out = await tempDir();
    const { code, stdout } = await runCli(['train', '--preset', 'post', '--json', '--out', out]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.model).toMatchObject({ inputSize: 100, layers: [200], outputSize: 10, reduction: 'sum' });
    expect(result.training).toMatchObject({ epochs: 200, batchSize: 32, standardised: false });
    expect(result.metrics.validation).toBeNull();
    const { loss } = result.history;
    expect(loss).toHaveLength(200);
    expect(loss[199]).toBeLessThan(loss[0] * 1e-6);
  });
});

describe('blasprop train with deeper networks, momentum and chosen validation rows', () => {
  it('trains --layers 16,8 with --momentum into a model that Model.load and info --model read', async () => {
    const out = await tempDir();
    const args = [
      'train',
      '--data',
      FIXTURE_CSV,
      '--target',
      'y,z',
      '--layers',
      '16,8',
      '--optimizer',
      'sgd',
      '--momentum',
      '0.9',
    ];
    const { code, stdout } = await runCli([...args, '--epochs', '20', '--lr', '0.01', '--json', '--out', out]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.model).toMatchObject({ layers: [16, 8], momentum: 0.9, network: '3 → 16 ReLU → 8 ReLU → 2' });
    const model = await Model.load(join(out, 'model.blasprop'));
    expect(model.toConfig().optimizer).toEqual({ type: 'SGD', lr: 0.01, momentum: 0.9, weightDecay: 0 });
    expect(model.network.namedParameters().map(([name]) => name)).toEqual([
      '0.weight',
      '0.bias',
      '2.weight',
      '2.bias',
      '4.weight',
      '4.bias',
    ]);
    const info = await runCli(['info', '--model', join(out, 'model.blasprop')]);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/2 \(Linear\(16 → 8\)\)\s+N × 8\s+136/);
    expect(info.stdout).toContain('Targets: y, z');
    const json = JSON.parse((await runCli(['info', '--model', join(out, 'model.blasprop'), '--json'])).stdout);
    expect(json).toMatchObject({ parameters: 3 * 16 + 16 + 16 * 8 + 8 + 8 * 2 + 2, targetNames: ['y', 'z'] });
  });

  it('with --validation-split 0 trains on every row and reports no validation', async () => {
    const out = await tempDir();
    const { code, stdout } = await runCli([
      'train',
      ...['--data', FIXTURE_CSV, '--target', 'y,z', '--validation-split', '0', '--epochs', '2', '--json', '--out', out],
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.metrics.training.rows).toBe(200);
    expect(result.metrics.validation).toBeNull();
    expect(result.history.valLoss).toEqual([]);
  });

  it('validates on --validation-data, standardised with the training rows, and evaluate agrees', async () => {
    const out = await tempDir();
    const { header, columns } = parseCsv(await readFile(FIXTURE_CSV, 'utf8'));
    const column = (name: string) => columns[header.indexOf(name)];
    // The same columns in another order, and a column the model does not use.
    const validation = join(out, 'validation.csv');
    const order = ['z', 'c', 'y', 'b', 'a'];
    const lines = [
      'z,note,c,y,b,a',
      ...Array.from({ length: 50 }, (_, r) =>
        [order[0], 'n/a', ...order.slice(1)].map((n) => (n === 'n/a' ? n : column(n)[r])).join(','),
      ),
    ];
    await writeFile(validation, `${lines.join('\n')}\n`);
    const { code, stdout } = await runCli([
      'train',
      ...['--data', FIXTURE_CSV, '--target', 'y,z', '--validation-data', validation, '--epochs', '30'],
      ...['--batch-size', '16', '--lr', '0.05', '--json', '--out', out],
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.metrics.training.rows).toBe(200);
    expect(result.metrics.validation.rows).toBe(50);
    expect(result.history.valLoss).toHaveLength(30);
    const evaluation = await runCli([
      'evaluate',
      '--model',
      join(out, 'model.blasprop'),
      '--data',
      validation,
      '--json',
    ]);
    expect(evaluation.code).toBe(0);
    const report = JSON.parse(evaluation.stdout);
    expect(report.rows).toBe(50);
    expect(report.loss).toBeCloseTo(result.history.valLoss.at(-1), 12);
    expect(report.targets.map((t: { name: string }) => t.name)).toEqual(['y', 'z']);
    // The summary's validation MSE is the mean over both targets of evaluate's per-target MSE.
    const meanMse = (report.targets[0].mse + report.targets[1].mse) / 2;
    expect(meanMse).toBeCloseTo(result.metrics.validation.mse, 10);
    const text = await runCli(['evaluate', '--model', join(out, 'model.blasprop'), '--data', validation]);
    expect(text.stdout).toMatch(/50 rows of .*validation.csv/);
    expect(text.stdout).toMatch(/^\s+z\s+\S+\s+\S+\s+0\.\d{4}$/m);
  });

  it('refuses what makes no sense, in one line with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['train', '--layers', '8,0'], /Expected an integer in \[1, 100000\] for --layers but received 0/],
      [['train', '--layers', '8,,4'], /--layers takes integers separated by commas/],
      [['train', '--hidden', '8', '--layers', '8'], /--hidden N is short for --layers N/],
      [['train', '--momentum', '-0.1'], /for --momentum but received -0.1/],
      [['train', '--validation-split', '1'], /a number in \[0, 1\) for --validation-split but received 1\n/],
      [['train', '--validation-data', FIXTURE_CSV], /--validation-data needs --data/],
      [['evaluate', '--model', FIXTURE_CSV], /evaluate needs --data/],
      [['evaluate', '--data', FIXTURE_CSV, '--model', FIXTURE_CSV], /Cannot load model file/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await runCli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(message);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  });
});

describe('blasprop train that diverges', () => {
  it('ends with one line naming the batch, exit code 1 and no model file', async () => {
    const out = await tempDir();
    const { code, stdout, stderr } = await runCli(['train', '--optimizer', 'sgd', '--lr', '50', '--out', out]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^blasprop: training diverged in epoch 1, batch \d+ \(the loss became \S+\); try a smaller --lr than 50\n$/,
    );
    expect(await filesIn(out)).toEqual([]);
  });
});

describe('blasprop train --data and blasprop predict', () => {
  it('trains on a CSV file, shows progress lines and a summary, and predicts the targets back', async () => {
    const out = await tempDir();
    const args = ['--data', FIXTURE_CSV, '--target', 'y,z', '--epochs', '40', '--batch-size', '16', '--lr', '0.05'];
    const trained = await runCli(['train', ...args, '--out', out]);
    expect(trained.code).toBe(0);
    // Not a terminal: one plain line per epoch.
    const lines = trained.stderr.trim().split('\n');
    expect(lines).toHaveLength(40);
    expect(lines[0]).toMatch(/^epoch {1,2}1\/40 {2}standardised MSE \S+ {2}val \S+ {2}[\d,]+ samples\/s {2}.+ left$/);
    expect(trained.stdout).toContain('3 → 64 ReLU → 2');
    expect(trained.stdout).toMatch(/validation +40 /);
    expect(trained.stdout).toContain(join(out, 'model.blasprop'));

    const model = join(out, 'model.blasprop');
    const predictions = join(out, 'predictions.csv');
    const predicted = await runCli(['predict', '--model', model, '--data', FIXTURE_CSV, '--out', predictions]);
    expect(predicted).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const written = await readFile(predictions, 'utf8');

    // Without --out the same CSV goes to standard output.
    const toStdout = await runCli(['predict', '--model', model, '--data', FIXTURE_CSV]);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout).toBe(written);

    const pred = parseCsv(written);
    const truth = parseCsv(await readFile(FIXTURE_CSV, 'utf8'));
    expect(pred.header).toEqual(['y', 'z']);
    expect(pred.columns[0]).toHaveLength(200);
    expect(r2(pred.columns[0], truth.columns[truth.header.indexOf('y')])).toBeGreaterThan(0.9);
    expect(r2(pred.columns[1], truth.columns[truth.header.indexOf('z')])).toBeGreaterThan(0.8);
  });
});

describe('blasprop info and help', () => {
  it('shows the OpenBLAS in use and where the addon was loaded from', async () => {
    const { code, stdout } = await runCli(['info']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^OpenBLAS +\d+\.\d+\.\d+$/m);
    expect(stdout).toMatch(/^loaded from +\S+\.node$/m);
  });

  it('shows the CPU beside the kernel family OpenBLAS runs on it, and who chose that family', async () => {
    const { blasInfo } = await import('../../dist/index.js');
    const chosen = await runCli(['info'], { env: { OPENBLAS_CORETYPE: undefined } });
    expect(chosen.stdout).toContain(`\nCPU          ${blasInfo().cpu ?? '–'}\n`);
    expect(chosen.stdout).toMatch(/^kernel {7}\S+ \(OpenBLAS's kernel family for this CPU\)$/m);
    const family = blasInfo().corename;
    const forced = await runCli(['info'], { env: { OPENBLAS_CORETYPE: family ?? '' } });
    expect(forced.stdout).toContain(`\nkernel       ${family} (OPENBLAS_CORETYPE=${family})\n`);
    const unknown = await runCli(['info'], { env: { OPENBLAS_CORETYPE: 'NoSuchFamily' } });
    expect(unknown.stdout).toMatch(
      /^kernel {7}\S+ \(OpenBLAS's own choice: OPENBLAS_CORETYPE=NoSuchFamily names no family it offers\)$/m,
    );
    const json = JSON.parse((await runCli(['info', '--json'])).stdout);
    expect(json).toMatchObject({ cpu: blasInfo().cpu, corename: blasInfo().corename });
  });

  it('prints help for a command on stdout', async () => {
    const { code, stdout } = await runCli(['train', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: blasprop train');
    expect(stdout).toContain('--batch-size');
  });
});
