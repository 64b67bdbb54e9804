// Numeric CSV files: a header of column names, then one row of numbers per line.
// Parsing is csv-parse's (quoting, BOM, CRLF); what makes a cell a number, and the
// messages for every way a file can be unusable, are decided here.

import { createReadStream } from 'node:fs';

import { CsvError, parse } from 'csv-parse';

import type { Matrix } from '../nn/matrix.js';
import { parseDecimal } from './decimal.js';
import { DataError } from './errors.js';
import type { NumericTable } from './table.js';

const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

export async function readNumericCsv(path: string): Promise<NumericTable> {
  const parser = parse({ bom: true, info: true, skip_empty_lines: true, trim: true, relax_column_count: true });
  const source = createReadStream(path);
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  let columns: string[] | undefined;
  let values = new Float64Array(1024);
  let length = 0;
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (columns === undefined) {
        columns = checkHeader(path, record);
        continue;
      }
      const where = `${path}, line ${info.lines}`;
      if (record.length !== columns.length) {
        throw new DataError(`${where}: ${record.length} cells, but the header has ${columns.length} columns`);
      }
      if (length + record.length > values.length) {
        const grown = new Float64Array(Math.max(values.length * 2, length + record.length));
        grown.set(values.subarray(0, length));
        values = grown;
      }
      for (let c = 0; c < record.length; c++) {
        values[length++] = parseCell(record[c], () => `${where}, column ${c + 1} ("${columns![c]}")`);
      }
      rows++;
    }
  } catch (error) {
    throw asDataError(path, error);
  }
  if (columns === undefined) throw new DataError(`${path} is empty`);
  if (rows === 0) throw new DataError(`${path} has a header but no data rows`);
  return { source: path, columns, rows, values: values.slice(0, length) };
}

/** CSV text: a header line, then one line per matrix row, each number written so that it reads back exactly. */
export function formatCsv(header: readonly string[], m: Matrix): string {
  const lines = [header.map(quoteIfNeeded).join(',')];
  for (let r = 0; r < m.rows; r++) lines.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)).join(','));
  return `${lines.join('\n')}\n`;
}

function checkHeader(path: string, header: string[]): string[] {
  const seen = new Set<string>();
  header.forEach((name, i) => {
    if (name === '') throw new DataError(`${path}, line 1: column ${i + 1} of the header has no name`);
    if (seen.has(name)) throw new DataError(`${path}, line 1: column "${name}" appears twice in the header`);
    seen.add(name);
  });
  return header;
}

function parseCell(text: string, where: () => string): number {
  const value = parseDecimal(text);
  if (value !== undefined) {
    if (Number.isFinite(value)) return value;
    throw new DataError(`${where()}: ${text} is too large for a 64-bit float`);
  }
  if (NON_FINITE.test(text)) throw new DataError(`${where()}: ${text} is not a finite number`);
  if (text === '') throw new DataError(`${where()}: the cell is empty`);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  throw new DataError(`${where()}: ${JSON.stringify(shown)} is not a number`);
}

function asDataError(path: string, error: unknown): Error {
  if (error instanceof DataError) return error;
  if (error instanceof CsvError) return new DataError(`${path}: ${error.message}`);
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DataError(`${path}: no such file`);
  if (code === 'EISDIR') return new DataError(`${path} is a folder, not a CSV file`);
  if (code === 'EACCES') return new DataError(`${path}: permission denied`);
  return error as Error;
}

function quoteIfNeeded(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
