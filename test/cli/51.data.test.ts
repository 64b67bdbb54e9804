import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type ColumnChoice, formatCsv, readCsv } from '../../dist/data/csv.js';
import { shuffleRows } from '../../dist/data/dataset.js';
import { DataError } from '../../dist/data/errors.js';
import { friedman1 } from '../../dist/data/friedman.js';
import { rSquared } from '../../dist/data/metrics.js';
import { fitStandardisation, standardise, unstandardise } from '../../dist/data/standardise.js';
import { datasetFromTable, numberColumns, selectColumns } from '../../dist/data/table.js';
import { Matrix, MSELoss } from '../../dist/index.js';
import { cleanup, tempDir } from './run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});
afterAll(cleanup);

/** Every column, as numbers. */
const allNumbers: ColumnChoice = (header) => numberColumns(header);

async function read(text: string, choose = allNumbers) {
  const path = join(dir, `t${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(path, text);
  return readCsv(path, choose);
}

/** The table's number columns as rows of values. */
async function values(text: string, choose = allNumbers): Promise<number[][]> {
  const table = await read(text, choose);
  return selectColumns(
    table,
    table.columns.map((c) => c.name),
  ).toArray();
}

async function readError(text: string, choose = allNumbers): Promise<string> {
  const error = await read(text, choose).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return (error as Error).message;
}

describe('readCsv', () => {
  it('reads quoted names, a byte-order mark, CRLF and blank lines', async () => {
    const table = await read('\ufeff"a,1",b\r\n1.5,-2e3\r\n\r\n.25,+7\r\n');
    expect(table.header).toEqual(['a,1', 'b']);
    expect(table.rows).toBe(2);
    expect(await values('\ufeff"a,1",b\r\n1.5,-2e3\r\n\r\n.25,+7\r\n')).toEqual([
      [1.5, -2000],
      [0.25, 7],
    ]);
  });

  it('refuses what Number() would quietly accept or turn into NaN', async () => {
    expect(await readError('a,b\n1,\n')).toMatch(/line 2, column 2 \("b"\): the cell is empty/);
    expect(await readError('a,b\n1,0x10\n')).toMatch(/"0x10" is not a number/);
    expect(await readError('a,b\n1,1e999\n')).toMatch(/1e999 is too large for a 64-bit float/);
    expect(await readError('a,b\n1,inf\n')).toMatch(/inf is not a finite number/);
  });

  it('refuses a header with an empty or repeated name', async () => {
    expect(await readError('a,,c\n1,2,3\n')).toMatch(/line 1: column 2 of the header has no name/);
    expect(await readError('a,b,a\n1,2,3\n')).toMatch(/column "a" appears twice/);
  });

  it('reads a column as text or as numbers, as asked, and leaves the others unparsed', async () => {
    const table = await read('id,x,note,y\nr1, 1.5 ,anything,2\n"r,2",-3,,4\n', () => [
      { name: 'y', type: 'number' },
      { name: 'id', type: 'text' },
      { name: 'x', type: 'number' },
    ]);
    expect(table.header).toEqual(['id', 'x', 'note', 'y']);
    expect(table.columns.map((c) => [c.name, c.type, Array.from(c.values)])).toEqual([
      ['y', 'number', [2, 4]],
      ['id', 'text', ['r1', 'r,2']],
      ['x', 'number', [1.5, -3]],
    ]);
  });

  it('names a column asked for that the header lacks, or has twice', async () => {
    expect(await readError('a,b\n1,2\n', () => numberColumns(['c']))).toMatch(
      /has no column "c" \(its columns: "a", "b"\)/,
    );
    // A repeated name in a column nobody asked for does not matter.
    expect(await values('a,b,a\n1,2,3\n', () => numberColumns(['b']))).toEqual([[2]]);
    expect(await readError('a,b,a\n1,2,3\n', () => numberColumns(['a']))).toMatch(/column "a" appears twice/);
  });

  it('reports malformed quoting as a DataError', async () => {
    expect(await readError('a,b\n1,"2\n')).toMatch(/\.csv: /);
  });
});

describe('formatCsv', () => {
  it('writes numbers that read back exactly', async () => {
    const m = new Matrix(2, 2, new Float64Array([0.1 + 0.2, -1e-300, 12345678.9, Math.PI]));
    const table = await read(formatCsv(['p', 'q'], m));
    expect(table.header).toEqual(['p', 'q']);
    expect(selectColumns(table, ['p', 'q']).data).toEqual(m.data);
  });
});

describe('datasetFromTable', () => {
  it('takes the named targets and every other column as features', async () => {
    const data = datasetFromTable(await read('a,y,b\n1,2,3\n4,5,6\n'), ['y']);
    expect(data.featureNames).toEqual(['a', 'b']);
    expect(data.x.toArray()).toEqual([
      [1, 3],
      [4, 6],
    ]);
    expect(data.y.toArray()).toEqual([[2], [5]]);
  });

  it('needs at least one feature', async () => {
    expect(() =>
      datasetFromTable(
        {
          source: 'f.csv',
          header: ['y'],
          rows: 1,
          columns: [{ name: 'y', type: 'number', values: new Float64Array([1]) }],
        },
        ['y'],
      ),
    ).toThrow(/no feature columns/);
  });
});

describe('friedman1', () => {
  it('follows Friedman’s formula exactly when noise is 0, with uniform features', () => {
    const { x, y } = friedman1(2000, 5, 0);
    let sum = 0;
    for (let i = 0; i < x.rows; i++) {
      const [x1, x2, x3, x4, x5] = x.data.subarray(i * 10, i * 10 + 5);
      const expected = 10 * Math.sin(Math.PI * x1 * x2) + 20 * (x3 - 0.5) ** 2 + 10 * x4 + 5 * x5;
      expect(y.data[i]).toBeCloseTo(expected, 12);
      for (let j = 0; j < 10; j++) sum += x.data[i * 10 + j];
    }
    expect(sum / x.data.length).toBeCloseTo(0.5, 1);
    expect(Math.min(...x.data)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x.data)).toBeLessThan(1);
  });

  it('is reproducible from its seed and adds noise of the given size', () => {
    expect(friedman1(100, 1).y.data).toEqual(friedman1(100, 1).y.data);
    const clean = friedman1(20_000, 3, 0).y;
    const noisy = friedman1(20_000, 3, 1).y;
    expect(new MSELoss().forward(noisy, clean)).toBeCloseTo(1, 1);
  });
});

describe('shuffleRows', () => {
  it('moves x and y rows together', () => {
    const x = new Matrix(
      50,
      2,
      Float64Array.from({ length: 100 }, (_, i) => i),
    );
    const y = new Matrix(
      50,
      1,
      Float64Array.from({ length: 50 }, (_, i) => i * 2),
    );
    const shuffled = shuffleRows({ x, y, featureNames: ['a', 'b'], targetNames: ['t'] }, 9);
    expect(Array.from(shuffled.x.data)).not.toEqual(Array.from(x.data));
    for (let r = 0; r < 50; r++) expect(shuffled.x.get(r, 0)).toBe(shuffled.y.get(r, 0));
    expect(Array.from(shuffled.y.data).sort((a, b) => a - b)).toEqual(Array.from(y.data));
  });
});

describe('standardisation', () => {
  it('uses only the first rows, maps them to mean 0 and sd 1, and inverts exactly enough', () => {
    const m = new Matrix(4, 2, new Float64Array([1, 5, 3, 5, 100, -7, 200, 9]));
    const s = fitStandardisation(m, 2);
    const names = ['a', 'b'];
    expect(s.mean).toEqual([2, 5]);
    // A constant column gets sd 1 rather than a division by zero.
    expect(s.std).toEqual([1, 1]);
    const copy = m.clone();
    standardise(copy, s, names, 'm');
    expect(copy.toArray()).toEqual([
      [-1, 0],
      [1, 0],
      [98, -12],
      [198, 4],
    ]);
    unstandardise(copy, s);
    expect(copy.toArray()).toEqual(m.toArray());
  });
});

describe('rSquared', () => {
  it('is 1 for a perfect fit, 0 for the mean, and averages over columns', () => {
    const truth = new Matrix(4, 2, new Float64Array([1, 10, 2, 20, 3, 30, 4, 40]));
    expect(rSquared(truth, truth)).toBe(1);
    const mean = new Matrix(4, 2, new Float64Array([2.5, 25, 2.5, 25, 2.5, 25, 2.5, 25]));
    expect(rSquared(mean, truth)).toBe(0);
    const half = new Matrix(4, 2, new Float64Array([1, 25, 2, 25, 3, 25, 4, 25]));
    expect(rSquared(half, truth)).toBe(0.5);
  });
});
