// Reading CSV: only the columns a command uses are parsed; binary files are refused at
// once; mixed line endings and semicolon-separated files are read; several bad cells
// are reported together.

import { execFileSync } from 'node:child_process';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MAX_REPORTED_PROBLEMS, readCsv } from '../../dist/data/csv.js';
import { DataError } from '../../dist/data/errors.js';
import { numberColumns } from '../../dist/data/table.js';
import { cleanup, FIXTURE_CSV, parseCsv, runCli, tempDir } from './run-cli.js';

let dir: string;
let model: string;
const fixture = parseCsv(readFileSync(FIXTURE_CSV, 'utf8'));

beforeAll(async () => {
  dir = await tempDir();
  const trained = await runCli(['train', '--data', FIXTURE_CSV, '--target', 'y,z', '--epochs', '2', '--out', dir]);
  expect(trained.code).toBe(0);
  model = join(dir, 'model.blasprop');
});
afterAll(cleanup);

function csvFile(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The fixture's rows, with `transform` applied to each line's cells (header first). */
function fixtureText(transform: (cells: string[], line: number) => string[], eol = '\n'): string {
  const lines = readFileSync(FIXTURE_CSV, 'utf8').trim().split('\n');
  return lines.map((line, i) => transform(line.split(','), i).join(',')).join(eol) + eol;
}

async function predictFrom(path: string) {
  return runCli(['predict', '--model', model, '--data', path]);
}

describe.concurrent('blasprop predict reads only the model’s feature columns', () => {
  it('ignores a text id column and an empty target column, and predicts what it predicts without them', async () => {
    const reference = await predictFrom(FIXTURE_CSV);
    expect(reference.code).toBe(0);
    const withExtras = csvFile(
      'extras.csv',
      fixtureText((cells, line) => {
        const y = fixture.header.indexOf('y');
        const out = [...cells];
        out[y] = line === 0 ? 'y' : '';
        return [line === 0 ? 'id' : `row-${line}`, ...out, line === 0 ? 'note' : 'free text; with punctuation'];
      }),
    );
    const result = await predictFrom(withExtras);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(reference.stdout);
  });

  it('still refuses a bad cell in a feature column', async () => {
    const bad = csvFile(
      'bad-feature.csv',
      fixtureText((cells, line) => (line === 3 ? ['oops', ...cells.slice(1)] : cells)),
    );
    const result = await predictFrom(bad);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/bad-feature\.csv, line 4, column 1 \("a"\): "oops" is not a number\n$/);
  });
});

describe.concurrent('CSV files that are not quite what the reader expected', () => {
  it('a header ending in CRLF followed by rows ending in LF', async () => {
    const lines = readFileSync(FIXTURE_CSV, 'utf8').trim().split('\n');
    const mixed = csvFile('mixed.csv', `${lines[0]}\r\n${lines.slice(1).join('\n')}\n`);
    const result = await predictFrom(mixed);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe((await predictFrom(FIXTURE_CSV)).stdout);
  });

  it('a semicolon-separated file, read as such', async () => {
    const semicolons = csvFile('semicolons.csv', readFileSync(FIXTURE_CSV, 'utf8').replaceAll(',', ';'));
    const result = await predictFrom(semicolons);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe((await predictFrom(FIXTURE_CSV)).stdout);
    // Tabs too.
    const tabs = csvFile('tabs.tsv', readFileSync(FIXTURE_CSV, 'utf8').replaceAll(',', '\t'));
    expect((await predictFrom(tabs)).stdout).toBe(result.stdout);
  });

  it('decimal commas, with a hint', async () => {
    const path = csvFile('decimal-commas.csv', 'a;b;c\n1,5;2;3\n');
    const result = await predictFrom(path);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /line 2, column 1 \("a"\): "1,5" is not a number \(write decimals with a point: 1\.5, not 1,5\)\n$/,
    );
  });

  it('rows separated differently from the header, with a hint', async () => {
    const path = csvFile('header-commas.csv', 'a,b,c\n1;2;3\n');
    const result = await predictFrom(path);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /line 2: 1 cells, but the header has 3 columns \(the header is separated by ",", this row seems to be by ";"\)\n$/,
    );
  });

  it('a gigabyte of zero bytes: refused at its first byte, as binary', async () => {
    const path = join(dir, 'zeros.csv');
    writeFileSync(path, '');
    truncateSync(path, 2 ** 30); // sparse: no disk space, and a reader that reads it all needs 1 GiB
    const result = await runCli(['train', '--data', path, '--target', 'y', '--out', join(dir, 'never')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`blasprop: ${path} is not a text file (byte 0 is zero): is it really CSV?\n`);
  });

  it('UTF-16 text, and a FIFO or /dev/zero given as data', async () => {
    const utf16 = csvFile('utf16.csv', Buffer.from(`\ufeff${readFileSync(FIXTURE_CSV, 'utf8')}`, 'utf16le'));
    expect((await predictFrom(utf16)).stderr).toMatch(/utf16\.csv is UTF-16 text: save it as UTF-8\n$/);
    const fifo = join(dir, 'data-fifo');
    execFileSync('mkfifo', [fifo]);
    expect((await predictFrom(fifo)).stderr).toMatch(/data-fifo: it is a FIFO \(named pipe\), not a regular file\n$/);
    expect((await predictFrom('/dev/zero')).stderr).toMatch(
      /\/dev\/zero: it is a character device, not a regular file\n$/,
    );
  });
});

describe('bad cells are reported together', () => {
  it(`lists up to ${MAX_REPORTED_PROBLEMS}, one per line, and says when there are more`, async () => {
    const rows = Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? `${i},x${i},1` : `${i},2,3`));
    const path = csvFile('many-bad.csv', `a,b,y\n${rows.join('\n')}\n`);
    const error = await readCsv(path, (header) => numberColumns(header)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataError);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toBe(`${path} has 7 problems:`);
    expect(lines.slice(1)).toEqual(
      [0, 2, 4, 6, 8, 10, 12].map((i) => `  line ${i + 2}, column 2 ("b"): "x${i}" is not a number`),
    );

    const more = csvFile('more-bad.csv', `a,b\n${Array.from({ length: 30 }, (_, i) => `${i},`).join('\n')}\n`);
    const result = await runCli(['train', '--data', more, '--target', 'b', '--out', join(dir, 'never')]);
    expect(result.code).toBe(2);
    const reported = result.stderr.trim().split('\n');
    expect(reported[0]).toBe(
      `blasprop: ${more} has more than ${MAX_REPORTED_PROBLEMS} problems; the first ${MAX_REPORTED_PROBLEMS}:`,
    );
    expect(reported).toHaveLength(1 + MAX_REPORTED_PROBLEMS);
    expect(reported[1]).toBe('  line 2, column 2 ("b"): the cell is empty');
  });

  it('a ragged row and a bad cell in one list', async () => {
    const path = csvFile('ragged-and-bad.csv', 'a,b,y\n1,2\n1,nan,3\n');
    const result = await runCli(['train', '--data', path, '--target', 'y', '--out', join(dir, 'never')]);
    expect(result.stderr).toBe(
      `blasprop: ${path} has 2 problems:\n  line 2: 2 cells, but the header has 3 columns\n  line 3, column 2 ("b"): nan is not a finite number\n`,
    );
  });
});
