// Tables as users have them: text feature columns one-hot encoded with the categories
// of the training rows, empty cells refused, dropped or filled (--missing), columns
// left out (--ignore), and new rows read with the training file's layout.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { cellKind, distinctValues, MAX_CATEGORIES } from '../../dist/data/encoding.js';
import { readTrainingTable } from '../../dist/data/training-table.js';
import { Model } from '../../dist/index.js';
import { cleanup, parseCsv, runCli, tempDir } from './run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(cleanup);

async function csv(name: string, lines: string[]): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

/** Rows whose target depends on a colour (a text column) and a number: y = 3·[red] − 2·[blue] + x. */
function colourRows(count: number, gaps: (i: number) => boolean = () => false): string[] {
  const colours = ['red', 'green', 'blue'];
  const lines = ['id,colour,x,y'];
  for (let i = 0; i < count; i++) {
    const colour = colours[i % 3];
    const x = ((i * 37) % 11) / 5;
    const y = (colour === 'red' ? 3 : colour === 'blue' ? -2 : 0) + x;
    lines.push(`item ${i},${gaps(i) ? '' : colour},${x},${y}`);
  }
  return lines;
}

const TABLE = { targets: ['y'], ignore: [], task: 'auto', missing: 'error' } as const;

describe('reading a training table', () => {
  it('tells numbers from text, and orders categories by value when they are numbers', () => {
    expect(cellKind(['1', '', '2.5e3'])).toBe('number');
    expect(cellKind(['a', '', 'b'])).toBe('text');
    expect(cellKind(['1', 'a'])).toBe('mixed');
    // Spellings of non-finite numbers are numbers (to be refused as such), not categories.
    expect(cellKind(['NaN', 'inf'])).toBe('number');
    expect(cellKind(['', ''])).toBe('empty');
    expect(distinctValues(['10', '2', '', '2', '1.5'])).toEqual(['1.5', '2', '10']);
    expect(distinctValues(['b', 'B', 'a', 'b'])).toEqual(['B', 'a', 'b']);
  });

  it('one-hot encodes a text column with the sorted categories, and reads the rest as numbers', async () => {
    const path = await csv('colours.csv', colourRows(6));
    const data = await readTrainingTable(path, { ...TABLE, ignore: ['id'] });
    expect(data.layout.features).toEqual([
      { name: 'colour', type: 'category', categories: ['blue', 'green', 'red'] },
      { name: 'x', type: 'number' },
    ]);
    expect(data.featureNames).toEqual(['colour=blue', 'colour=green', 'colour=red', 'x']);
    expect(data.x.toArray().slice(0, 3)).toEqual([
      [0, 0, 1, 0],
      [0, 1, 0, 0.8],
      [1, 0, 0, 1.6],
    ]);
    expect(data.layout.classes).toBeUndefined();
  });

  it('refuses a text column with more categories than a column may have', async () => {
    const lines = ['name,y', ...Array.from({ length: MAX_CATEGORIES + 1 }, (_, i) => `car ${i},${i}`)];
    const path = await csv('names.csv', lines);
    await expect(readTrainingTable(path, TABLE)).rejects.toThrow(
      `column "name" holds ${MAX_CATEGORIES + 1} different text values, more than the ${MAX_CATEGORIES} categories a column may have: is it an identifier or free text? Leave it out with --ignore`,
    );
  });

  it('lists a column of numbers with a stray word as bad cells, by line and column', async () => {
    const path = await csv('typo.csv', ['a,y', '1,2', 'two,3', '3,4', 'four,5']);
    await expect(readTrainingTable(path, TABLE)).rejects.toThrow(
      `${path} has 2 problems:\n  line 3, column 1 ("a"): "two" is not a number\n  line 5, column 1 ("a"): "four" is not a number`,
    );
  });
});

describe('blasprop train and predict on text columns', () => {
  it('learns from the categories, saves them with the model, and refuses an unseen one at predict time', async () => {
    const train = await csv('train.csv', colourRows(90));
    const out = join(dir, 'colours');
    const trained = await runCli([
      'train',
      '--data',
      train,
      '--target',
      'y',
      '--ignore',
      'id',
      '--epochs',
      '60',
      '--json',
      '--out',
      out,
    ]);
    expect(trained.stderr).toBe('');
    expect(trained.code).toBe(0);
    const result = JSON.parse(trained.stdout);
    expect(result.data.features).toEqual(['colour=blue', 'colour=green', 'colour=red', 'x']);
    expect(result.metrics.validation.r2).toBeGreaterThan(0.95);
    const model = await Model.load(join(out, 'model.blasprop'));
    expect(model.metadata.features).toEqual([
      { name: 'colour', type: 'category', categories: ['blue', 'green', 'red'] },
      { name: 'x', type: 'number' },
    ]);

    // Columns in another order, no target, an id the model never reads.
    const fresh = await csv('fresh.csv', ['x,colour,id', '1,red,a', '1,blue,b', '0,green,c']);
    const predicted = await runCli(['predict', '--model', join(out, 'model.blasprop'), '--data', fresh]);
    expect(predicted.code).toBe(0);
    const { header, columns } = parseCsv(predicted.stdout);
    expect(header).toEqual(['y']);
    const expected = [4, -1, 0];
    for (const [i, value] of columns[0].entries()) expect(Math.abs(value - expected[i])).toBeLessThan(0.5);

    const unseen = await csv('unseen.csv', ['x,colour', '1,red', '2,purple']);
    const refused = await runCli(['predict', '--model', join(out, 'model.blasprop'), '--data', unseen]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      `blasprop: ${unseen}, data row 2, column "colour": category "purple" was not in the training data (its categories: "blue", "green", "red")\n`,
    );
  });

  it('--ignore leaves a column unread: it may hold anything, and is no feature', async () => {
    const path = await csv('ignored.csv', ['a,junk,y', '1,,2', '2,"x,y",4', '3,,6', '4,z,8']);
    const out = join(dir, 'ignored');
    const { code, stdout } = await runCli([
      'train',
      '--data',
      path,
      '--target',
      'y',
      '--ignore',
      'junk',
      '--epochs',
      '1',
      '--json',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).data.features).toEqual(['a']);
    // Without --ignore the empty cells of the text column are missing values, refused by default.
    const refused = await runCli(['train', '--data', path, '--target', 'y', '--out', join(dir, 'never')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 2, column 2 \("junk"\): the cell is empty/);
  });
});

describe('--missing', () => {
  const gaps = (i: number) => i % 10 === 4;

  it('error (the default) lists the empty cells', async () => {
    const path = await csv('gaps.csv', colourRows(30, gaps));
    const { code, stderr } = await runCli([
      'train',
      '--data',
      path,
      '--target',
      'y',
      '--ignore',
      'id',
      '--out',
      join(dir, 'never'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `blasprop: ${path} has 3 problems:\n` +
        '  line 6, column 2 ("colour"): the cell is empty\n' +
        '  line 16, column 2 ("colour"): the cell is empty\n' +
        '  line 26, column 2 ("colour"): the cell is empty\n',
    );
  });

  it('drop leaves out the rows with a gap, and says how many', async () => {
    const path = await csv('gaps.csv', colourRows(30, gaps));
    const args = ['train', '--data', path, '--target', 'y', '--ignore', 'id', '--missing', 'drop', '--epochs', '1'];
    const { code, stdout } = await runCli([...args, '--json', '--out', join(dir, 'drop')]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.data).toMatchObject({ rows: 27, droppedRows: 3 });
    const text = await runCli([...args, '--out', join(dir, 'drop')]);
    expect(text.stdout).toMatch(/3 rows with a missing value left out\./);
    // A model trained so refuses gaps in new rows.
    const fresh = await csv('fresh-gap.csv', ['colour,x', ',1']);
    const refused = await runCli(['predict', '--model', join(dir, 'drop', 'model.blasprop'), '--data', fresh]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/line 2, column 1 \("colour"\): the cell is empty/);
  });

  it('refuses a file that keeps no row', async () => {
    const path = await csv('all-gaps.csv', ['a,b,y', '1,,2', ',2,']);
    const dropped = await runCli([
      'train',
      '--data',
      path,
      '--target',
      'y',
      '--missing',
      'drop',
      '--out',
      join(dir, 'never'),
    ]);
    expect(dropped.code).toBe(2);
    expect(dropped.stderr).toBe(
      `blasprop: ${path}: every one of its 2 rows has a missing value, so none is left (--missing mean fills in missing features)\n`,
    );
    const targets = await csv('no-targets.csv', ['a,y', '1,', '2,']);
    const mean = await runCli([
      'train',
      '--data',
      targets,
      '--target',
      'y',
      '--missing',
      'mean',
      '--out',
      join(dir, 'never'),
    ]);
    expect(mean.code).toBe(2);
    expect(mean.stderr).toBe(`blasprop: ${targets}: every one of its 2 rows lacks a target, so none is left\n`);
  });

  it('mean fills each gap with the training rows’ mean, saves it, and fills new rows with it too', async () => {
    const lines = ['a,b,y'];
    for (let i = 0; i < 40; i++) lines.push(`${i % 7 === 3 ? '' : i},${i % 2},${i % 5 === 0 ? '' : 2 * i}`);
    const path = await csv('numbers-gaps.csv', lines);
    const out = join(dir, 'mean');
    const { code, stdout, stderr } = await runCli([
      'train',
      '--data',
      path,
      '--target',
      'y',
      '--missing',
      'mean',
      '--epochs',
      '1',
      '--json',
      '--out',
      out,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    // Rows without a target (every fifth) cannot be filled: they are left out.
    expect(result.data).toMatchObject({ rows: 32, droppedRows: 8 });
    const model = await Model.load(join(out, 'model.blasprop'));
    const { mode, fill } = model.metadata.missing as { mode: string; fill: number[] };
    expect(mode).toBe('mean');
    // The fill of "a" is a mean of some of the present values 0…39 (those of the training rows).
    const present = Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 7 !== 3 && i % 5 !== 0);
    expect(fill[0]).toBeGreaterThan(Math.min(...present));
    expect(fill[0]).toBeLessThan(Math.max(...present));
    expect(fill[1]).toBeGreaterThanOrEqual(0);
    expect(fill[1]).toBeLessThanOrEqual(1);

    const fresh = await csv('fresh-mean.csv', ['a,b', ',1', `${fill[0]},1`]);
    const predicted = await runCli(['predict', '--model', join(out, 'model.blasprop'), '--data', fresh]);
    expect(predicted.code).toBe(0);
    const { columns } = parseCsv(predicted.stdout);
    // An empty cell predicts as its fill value does.
    expect(columns[0][0]).toBe(columns[0][1]);
  });
});

describe('blasprop train --demo', () => {
  it('iris trains a classifier on Fisher’s flowers, and predict takes an iris CSV file', async () => {
    const out = join(dir, 'iris');
    const { code, stdout, stderr } = await runCli(['train', '--demo', 'iris', '--json', '--out', out]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.data).toMatchObject({
      name: "Fisher's iris",
      rows: 150,
      features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
      labels: ['setosa', 'versicolor', 'virginica'],
    });
    expect(result.training.epochs).toBe(100);
    expect(result.metrics.validation.accuracy).toBeGreaterThan(0.9);
    // Rows 1, 51 and 101 of Fisher's table, one of each species.
    const flowers = await csv('flowers.csv', [
      'petal_width,petal_length,sepal_width,sepal_length',
      '0.2,1.4,3.5,5.1',
      '1.4,4.7,3.2,7.0',
      '2.5,6.0,3.3,6.3',
    ]);
    const predicted = await runCli(['predict', '--model', join(out, 'model.blasprop'), '--data', flowers]);
    expect(predicted.code).toBe(0);
    expect(
      predicted.stdout
        .split('\n')
        .slice(1, 4)
        .map((line) => line.split(',')[0]),
    ).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('friedman1 is the regression default', async () => {
    const { code, stdout } = await runCli([
      'train',
      '--demo',
      'friedman1',
      '--epochs',
      '1',
      '--json',
      '--out',
      join(dir, 'f1'),
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).data).toMatchObject({ name: 'Friedman #1', labels: null });
  });
});
