// Classification on the command line, end to end: a column of labels trains a softmax
// classifier; predict writes labels and probabilities, evaluate scores them, and the
// label set travels in the model file.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { classificationReport } from '../../dist/data/classification-metrics.js';
import { Model } from '../../dist/index.js';
import { cleanup, runCli, tempDir } from './run-cli.js';

let dir: string;
let trainPath: string;
let newPath: string;
let model: string;

const LABELS = ['north', 'south', 'west'];

/**
 * Three well-separated classes in the plane, 40 rows each, in a fixed order, with an id
 * column of text that the model must not read and a notes column it is told to ignore.
 */
/** `blasprop train` on the training file's label column, without its id and free-text columns. */
function trainOnDirection(): string[] {
  return ['train', '--data', trainPath, '--target', 'direction', '--ignore', 'id,notes'];
}

function rows(count: number, offset: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    const angle = (2 * Math.PI * label) / 3;
    // A deterministic wobble, so that the classes are not points.
    const wobble = Math.sin(7.3 * (i + offset)) * 0.6;
    const a = (4 * Math.cos(angle) + wobble).toFixed(3);
    const b = (4 * Math.sin(angle) - wobble).toFixed(3);
    lines.push(`r${i + offset},${a},${b},${LABELS[label]},free text ${i}`);
  }
  return lines;
}

beforeAll(async () => {
  dir = await tempDir();
  trainPath = join(dir, 'train.csv');
  newPath = join(dir, 'new.csv');
  await writeFile(trainPath, ['id,a,b,direction,notes', ...rows(120, 0)].join('\n'));
  // Columns in another order, with the label column present (evaluate) and extra text.
  await writeFile(
    newPath,
    ['notes,direction,b,a,id', ...rows(30, 500).map((l) => l.split(',').reverse().join(','))].join('\n'),
  );
  model = join(dir, 'out', 'model.blasprop');
});
afterAll(cleanup);

describe('blasprop train on a column of labels', () => {
  it('trains a classifier and reports accuracy, per-class scores and the confusion matrix', async () => {
    const { code, stdout, stderr } = await runCli([
      ...trainOnDirection(),
      '--epochs',
      '40',
      '--json',
      '--out',
      join(dir, 'out'),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.data).toMatchObject({ features: ['a', 'b'], targets: ['direction'], labels: LABELS });
    expect(result.model).toMatchObject({ network: '2 → 64 ReLU → 3', loss: 'CrossEntropyLoss' });
    const validation = result.metrics.validation;
    expect(validation.rows).toBe(24);
    expect(validation.accuracy).toBeGreaterThan(0.95);
    expect(validation.classes.map((c: { label: string }) => c.label)).toEqual(LABELS);
    // The confusion matrix holds every validation row once, by true class (rows) and prediction (columns).
    const confusion: number[][] = validation.confusion;
    expect(confusion.flat().reduce((a, b) => a + b, 0)).toBe(24);
    const supports = validation.classes.map((c: { support: number }) => c.support);
    expect(confusion.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(supports);
    const correct = confusion.reduce((sum, row, i) => sum + row[i], 0);
    expect(correct / 24).toBeCloseTo(validation.accuracy, 12);

    // The label set is saved with the model.
    const saved = await Model.load(model);
    expect(saved.metadata).toMatchObject({
      classes: { target: 'direction', labels: LABELS },
      targetNames: ['direction'],
    });
    expect(saved.outputSize).toBe(3);
  });

  it('prints the scores as a summary', async () => {
    const { code, stdout } = await runCli([...trainOnDirection(), '--epochs', '3', '--out', join(dir, 'summary')]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/validation\s+24\s+\d+\.\d%/);
    expect(stdout).toMatch(/class\s+rows\s+precision\s+recall/);
    expect(stdout).toMatch(/true \\ predicted\s+north\s+south\s+west/);
  });

  it('predict writes the label and one probability per class, summing to 1', async () => {
    const { code, stdout, stderr } = await runCli(['predict', '--model', model, '--data', newPath]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [header, ...lines] = stdout.trim().split('\n');
    expect(header).toBe('direction,P(north),P(south),P(west)');
    expect(lines).toHaveLength(30);
    let right = 0;
    lines.forEach((line, i) => {
      const [label, ...p] = line.split(',');
      const probabilities = p.map(Number);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      // The label is the most probable class.
      expect(label).toBe(LABELS[probabilities.indexOf(Math.max(...probabilities))]);
      if (label === LABELS[i % 3]) right++;
    });
    expect(right).toBeGreaterThanOrEqual(28);
  });

  it('evaluate reports accuracy and the confusion matrix', async () => {
    const { code, stdout } = await runCli(['evaluate', '--model', model, '--data', newPath, '--json']);
    expect(code).toBe(0);
    const evaluation = JSON.parse(stdout);
    expect(evaluation.targets).toBeNull();
    expect(evaluation.classification.target).toBe('direction');
    expect(evaluation.classification.accuracy).toBeGreaterThan(0.9);
    expect(evaluation.classification.confusion.flat().reduce((a: number, b: number) => a + b, 0)).toBe(30);
    const text = await runCli(['evaluate', '--model', model, '--data', newPath]);
    expect(text.stdout).toMatch(/accuracy \d+\.\d% \(direction\)/);
  });

  it('evaluate refuses a label the model was not trained on, naming it and the file', async () => {
    const path = join(dir, 'unseen.csv');
    await writeFile(path, 'a,b,direction\n1,2,north\n3,4,east\n');
    const { code, stdout, stderr } = await runCli(['evaluate', '--model', model, '--data', path]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      `blasprop: ${path}, data row 2, column "direction": label "east" is not one the model was trained on (its labels: "north", "south", "west")\n`,
    );
  });

  it('--task classification takes integer labels; --task regression refuses text', async () => {
    const path = join(dir, 'integers.csv');
    const lines = rows(60, 0).map((l) => {
      const cells = l.split(',');
      return `${cells[1]},${cells[2]},${LABELS.indexOf(cells[3]) * 10}`;
    });
    await writeFile(path, ['a,b,zone', ...lines].join('\n'));
    const out = join(dir, 'integers');
    const trained = await runCli([
      'train',
      '--data',
      path,
      '--target',
      'zone',
      '--task',
      'classification',
      '--epochs',
      '2',
      '--json',
      '--out',
      out,
    ]);
    expect(trained.code).toBe(0);
    // Numeric labels in numeric order.
    expect(JSON.parse(trained.stdout).data.labels).toEqual(['0', '10', '20']);
    const regression = await runCli([
      'train',
      '--data',
      path,
      '--target',
      'zone',
      '--epochs',
      '1',
      '--json',
      '--out',
      join(dir, 'r'),
    ]);
    expect(JSON.parse(regression.stdout).data.labels).toBeNull();

    const refused = await runCli([
      'train',
      '--data',
      trainPath,
      '--target',
      'direction',
      '--task',
      'regression',
      '--out',
      join(dir, 'never'),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/column 4 \("direction"\): "north" is not a number/);
  });

  it('refuses a regression loss for labels, one label only, and several label columns', async () => {
    const loss = await runCli([...trainOnDirection(), '--loss', 'mse', '--out', join(dir, 'never')]);
    expect(loss.code).toBe(2);
    expect(loss.stderr).toBe(
      'blasprop: --loss mse is a regression loss, but the target holds labels: a classifier trains with cross-entropy\n',
    );
    const one = join(dir, 'one.csv');
    await writeFile(one, 'a,label\n1,x\n2,x\n3,x\n');
    const single = await runCli(['train', '--data', one, '--target', 'label', '--out', join(dir, 'never')]);
    expect(single.code).toBe(2);
    expect(single.stderr).toMatch(/column "label" holds one label only \("x"\); a classifier needs at least two\n$/);
    const two = await runCli([
      'train',
      '--data',
      trainPath,
      '--target',
      'direction,notes',
      '--out',
      join(dir, 'never'),
    ]);
    expect(two.code).toBe(2);
    expect(two.stderr).toMatch(/a classifier predicts one column of labels, but 2 targets were given/);
  });
});

describe('classificationReport', () => {
  it('counts by true class and prediction; a class never predicted has no precision', () => {
    const report = classificationReport([0, 0, 1, 1, 0], [0, 1, 1, 2, 0], ['a', 'b', 'c']);
    expect(report.confusion).toEqual([
      [2, 0, 0],
      [1, 1, 0],
      [0, 1, 0],
    ]);
    expect(report.accuracy).toBe(3 / 5);
    expect(report.classes).toEqual([
      { label: 'a', support: 2, precision: 2 / 3, recall: 1 },
      { label: 'b', support: 2, precision: 1 / 2, recall: 1 / 2 },
      { label: 'c', support: 1, precision: null, recall: 0 },
    ]);
  });
});

describe('a classifier with rows of its own to validate on', () => {
  it('reads --validation-data with the training labels, and info lists them', async () => {
    const validation = join(dir, 'validation.csv');
    await writeFile(
      validation,
      [
        'direction,b,a',
        ...rows(15, 900).map((l) => {
          const [, a, b, label] = l.split(',');
          return `${label},${b},${a}`;
        }),
      ].join('\n'),
    );
    const out = join(dir, 'validated');
    const args = ['train', '--data', trainPath, '--target', 'direction', '--ignore', 'id,notes', '--epochs', '20'];
    const { code, stdout } = await runCli([...args, '--validation-data', validation, '--json', '--out', out]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).metrics.validation.rows).toBe(15);
    const info = await runCli(['info', '--model', join(out, 'model.blasprop')]);
    expect(info.stdout).toMatch(/Labels: north, south, west\n/);
    expect(info.stdout).toMatch(/Standardised: features, with statistics of the training rows\n/);

    const unseen = join(dir, 'validation-unseen.csv');
    await writeFile(unseen, 'direction,a,b\nnorth,1,2\nup,2,3\n');
    const refused = await runCli([...args, '--validation-data', unseen, '--out', join(dir, 'never')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /validation-unseen\.csv, data row 2, column "direction": label "up" is not one the model was trained on/,
    );
  });
});
