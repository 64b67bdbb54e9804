import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { TwoLayerRegressor } from '../../dist/index.js';
import { cleanup, FIXTURE_CSV, filesIn, parseCsv, r2, runCli, tempDir } from './run-cli.js';

afterAll(cleanup);

describe('blasprop train on the default data set', () => {
  it('trains for two epochs and reports one JSON result with falling, finite losses', async () => {
    const out = await tempDir();
    const { code, stdout, stderr } = await runCli(['train', '--epochs', '2', '--json', '--out', out]);
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

    const model = await TwoLayerRegressor.load(join(out, 'model.blasprop'));
    expect(model.config).toMatchObject({ inputSize: 10, hiddenSize: 64, outputSize: 1 });
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
    expect(result.model).toMatchObject({ inputSize: 100, hiddenSize: 200, outputSize: 10, reduction: 'sum' });
    expect(result.training).toMatchObject({ epochs: 200, batchSize: 32, standardised: false });
    expect(result.metrics.validation).toBeNull();
    const { loss } = result.history;
    expect(loss).toHaveLength(200);
    expect(loss[199]).toBeLessThan(loss[0] * 1e-6);
  });
});

describe('blasprop train that diverges', () => {
  it('ends with one line naming the batch, exit code 1 and no model file', async () => {
    const out = await tempDir();
    const { code, stdout, stderr } = await runCli(['train', '--lr', '50', '--out', out]);
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
