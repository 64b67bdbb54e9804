// The two scales of error a training run shows — the loss of standardised targets while
// training and in the chart, the MSE in original units in the summary — are labelled
// where they appear; and a chart whose losses are all 0 still says something.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { lossChartSpec, renderLossChart } from '../../dist/cli/chart.js';
import { cleanup, FIXTURE_CSV, runCli, tempDir } from './run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(cleanup);

const curves = (loss: number[], valLoss: number[]) => ({
  title: 'Training and validation loss',
  subtitle: 'data · 2 → 4 ReLU → 1',
  lossLabel: 'MSE of standardised targets',
  epochs: loss.map((_, i) => i),
  loss,
  valLoss,
});

interface Spec {
  data: { values: { epoch: number; series: string; loss: number }[] };
  title: { subtitle: string[] };
  encoding: { y: { title: string; scale: { type: string } }; color: { scale: { domain: string[] } } };
}

describe('the loss chart', () => {
  it('labels the loss it draws, on a log scale', () => {
    const spec = lossChartSpec(curves([0.5, 0.2], [0.4, 0.3])) as unknown as Spec;
    expect(spec.encoding.y.title).toBe('MSE of standardised targets (log scale)');
    expect(spec.encoding.y.scale.type).toBe('log');
    expect(spec.title.subtitle).toEqual(['data · 2 → 4 ReLU → 1']);
  });

  it('draws losses that are all 0 on a linear scale, and says why', () => {
    const spec = lossChartSpec(curves([0, 0, 0], [0, 0, 0])) as unknown as Spec;
    expect(spec.data.values).toHaveLength(6);
    expect(spec.encoding.y.scale.type).toBe('linear');
    expect(spec.encoding.y.title).toBe('MSE of standardised targets');
    expect(spec.encoding.color.scale.domain).toEqual(['Training', 'Validation']);
    expect(spec.title.subtitle[1]).toMatch(/^Every loss is 0: the model fits these targets exactly/);
  });

  it('names the epochs whose loss of 0 a log scale cannot place', () => {
    const spec = lossChartSpec(curves([0.5, 0.1, 0, 0], [])) as unknown as Spec;
    expect(spec.encoding.y.scale.type).toBe('log');
    expect(spec.data.values.map((v) => v.epoch)).toEqual([1, 2]);
    expect(spec.title.subtitle[1]).toBe('A loss of 0 has no place on a log scale: not drawn at epochs 3, 4.');
  });

  it('renders an all-zero chart with its line, its legend and the note', async () => {
    const svg = await renderLossChart(curves([0, 0], [0, 0]));
    expect(svg).toContain('Every loss is 0');
    expect(svg).toMatch(/aria-roledescription="line mark"/);
    expect(svg).toContain('>Training</text>');
    expect(svg).toContain('>Validation</text>');
  });
});

describe.concurrent('blasprop train labels both scales', () => {
  it('in the progress lines, the summary and the JSON', async () => {
    const out = join(dir, 'labels');
    const args = ['train', '--data', FIXTURE_CSV, '--target', 'y,z', '--epochs', '3', '--out', out];
    const shown = await runCli(args);
    expect(shown.code).toBe(0);
    const lines = shown.stderr.trim().split('\n');
    expect(lines[2]).toMatch(/^epoch 3\/3 {2}standardised MSE (\S+) {2}val (\S+) /);
    const [, loss, val] = /standardised MSE (\S+) {2}val (\S+)/.exec(lines[2])!;
    expect(shown.stdout).toContain(
      "MSE and R² in the targets' original units. The loss shown while training and in the chart\n",
    );
    expect(shown.stdout).toContain(
      `is the MSE of standardised targets: ${loss} (validation ${val}) after the last epoch.\n`,
    );
    expect(readFileSync(join(out, 'loss.svg'), 'utf8')).toContain('MSE of standardised targets (log scale)');

    const json = JSON.parse((await runCli([...args, '--json'])).stdout);
    expect(json.training.lossLabel).toBe('MSE of standardised targets');
  });

  it('without standardisation (--preset post), as the summed squared error', async () => {
    const out = join(dir, 'post');
    const result = await runCli(['train', '--preset', 'post', '--epochs', '2', '--out', out]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^epoch 1\/2 {2}summed squared error \S+ /);
    expect(result.stdout).toMatch(/is the summed squared error: \S+ after the last epoch\./);
  });

  it('a constant target, whose every loss is 0: a chart with a note instead of an empty one', async () => {
    const path = join(dir, 'constant.csv');
    writeFileSync(path, `a,b,y\n${'1,2,5\n'.repeat(40)}`);
    const out = join(dir, 'constant');
    const result = await runCli(['train', '--data', path, '--target', 'y', '--epochs', '2', '--json', '--out', out]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).history.loss).toEqual([0, 0]);
    const svg = readFileSync(join(out, 'loss.svg'), 'utf8');
    expect(svg).toContain('Every loss is 0');
    expect(svg).toMatch(/aria-roledescription="line mark"/);
  });
});
