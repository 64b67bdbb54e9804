// Table files: the rows of a CSV file in the model file's container, read back exactly;
// every unusable file is a DataError naming it.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../dist/data/errors.js';
import { readTrainingCsv } from '../../dist/data/table.js';
import { Matrix, TwoLayerRegressor } from '../../dist/index.js';
import { readTableFile, writeTableFile } from '../../dist/queue/index.js';
import { expectArgumentError } from '../helpers/errors.js';
import { regression, writeCsv } from './helpers.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'blasprop-table-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('table files', () => {
  it('hold what a CSV file holds, bit for bit, -0 and subnormals included', async () => {
    const { x, y } = regression(3, 25, 4, 2);
    const csv = join(dir, 'rows.csv');
    const columns = await writeCsv(csv, x, y);
    const fromCsv = await readTrainingCsv(csv, columns);
    fromCsv.x.data[0] = -0;
    fromCsv.x.data[1] = 5e-324;
    const names = [...fromCsv.featureNames, ...fromCsv.targetNames];
    const rows = new Matrix(25, names.length);
    for (let r = 0; r < 25; r++) {
      rows.data.set(fromCsv.x.data.subarray(r * 4, r * 4 + 4), r * names.length);
      rows.data.set(fromCsv.y.data.subarray(r * 2, r * 2 + 2), r * names.length + 4);
    }
    const path = join(dir, 'rows.table');
    await writeTableFile(path, names, rows);
    const back = await readTableFile(path);
    expect(back.header).toEqual(['x1', 'x2', 'x3', 'x4', ...columns]);
    expect(back.rows).toBe(25);
    expect(back.source).toBe(path);
    back.columns.forEach((column, c) => {
      const expected = Float64Array.from({ length: 25 }, (_, r) => rows.data[r * names.length + c]);
      expect(column.type).toBe('number');
      expect(
        Buffer.from((column.values as Float64Array).buffer).equals(Buffer.from(expected.buffer)),
        column.name,
      ).toBe(true);
    });
  });

  it('are refused with a DataError naming the file when they cannot be used', async () => {
    const path = join(dir, 'good.table');
    await writeTableFile(path, ['a', 'b'], new Matrix(2, 2, new Float64Array([1, 2, 3, 4])));
    const bytes = await readFile(path);
    const damaged = join(dir, 'damaged.table');
    await writeFile(damaged, bytes.subarray(0, bytes.length - 1));
    const model = join(dir, 'model.blasprop');
    await new TwoLayerRegressor({ inputSize: 2, hiddenSize: 2, outputSize: 1 }).save(model);
    const text = join(dir, 'text.table');
    await writeFile(text, 'a,b\n1,2\n');
    const cases: [string, RegExp][] = [
      [join(dir, 'missing.table'), /missing\.table: no such file or directory \(ENOENT\)$/],
      [damaged, /damaged\.table: .*it is truncated or corrupted$/],
      [model, /model\.blasprop is a blasprop file but not a table file/],
      [text, /text\.table: not a blasprop table file/],
    ];
    for (const [file, message] of cases) {
      const error = await readTableFile(file).catch((e: unknown) => e as Error);
      expect(error).toBeInstanceOf(DataError);
      expect(error.message).toMatch(message);
    }
  });

  it('are written only from usable rows', async () => {
    const m = new Matrix(2, 2, new Float64Array([1, 2, 3, 4]));
    const path = join(dir, 'never.table');
    const refused = async (call: () => Promise<void>, shape: Parameters<typeof expectArgumentError>[1]) => {
      const error = await call().catch((e: unknown) => e);
      expectArgumentError(() => {
        throw error;
      }, shape);
    };
    await refused(() => writeTableFile('', ['a', 'b'], m), { type: TypeError, name: 'path', received: '""' });
    await refused(() => writeTableFile(path, ['a'], m), {
      type: RangeError,
      name: 'columns',
      received: 'Array of length 1',
    });
    await refused(() => writeTableFile(path, ['a', 'a'], m), { type: RangeError, name: 'columns[1]', received: '"a"' });
    await refused(() => writeTableFile(path, ['a', 2 as never], m), {
      type: TypeError,
      name: 'columns[1]',
      received: '2',
    });
    await refused(() => writeTableFile(path, ['a', 'b'], [1, 2] as never), {
      type: TypeError,
      name: 'rows',
      received: 'Array of length 2',
    });
    const nan = new Matrix(1, 2, new Float64Array([1, Number.NaN]));
    await refused(() => writeTableFile(path, ['a', 'b'], nan), {
      type: RangeError,
      name: 'rows',
      received: 'Matrix object',
    });
    await expect(readFile(path)).rejects.toThrow(/ENOENT/);
  });
});
