// CSV files with a header row, read as a stream. The caller decides from the header
// which columns to read, each as numbers or as text; the others are never parsed, so
// a text id column or an empty target column does not stop a prediction. Parsing is
// csv-parse's (quoting, BOM); what makes a cell a number, how the delimiter is found,
// and the messages for every way a file can be unusable are decided here.

import { Readable } from 'node:stream';

import { CsvError, parse } from 'csv-parse';

import { fileErrorReason } from '../io/errors.js';
import { openRegularFile, type RegularFile, readChunks, readExactly } from '../io/read-file.js';
import type { Matrix } from '../nn/matrix.js';
import { parseDecimal } from './decimal.js';
import { DataError } from './errors.js';

export type ColumnType = 'number' | 'text';

/** A column to read, by header name. */
export interface ColumnRequest {
  readonly name: string;
  readonly type: ColumnType;
}

/** A column read as numbers. */
export interface NumberColumn {
  /** Its name in the header row. */
  readonly name: string;
  /** Always 'number'. */
  readonly type: 'number';
  /** One finite value per row. */
  readonly values: Float64Array;
}

/** A column read as text. */
export interface TextColumn {
  /** Its name in the header row. */
  readonly name: string;
  /** Always 'text'. */
  readonly type: 'text';
  /** One cell per row, trimmed. */
  readonly values: readonly string[];
}

/** A column of a table, as numbers or as text. */
export type CsvColumn = NumberColumn | TextColumn;

/** Rows read from a CSV or table file: the header, the row count and the columns asked for. */
export interface CsvTable {
  /** Where it came from, for messages (the path). */
  readonly source: string;
  /** Every name of the header row, in file order. */
  readonly header: readonly string[];
  /** The number of data rows (the header row not counted). */
  readonly rows: number;
  /** The columns asked for, in the order asked. */
  readonly columns: readonly CsvColumn[];
}

/**
 * Chooses the columns to read once the header is known; it may throw a DataError (a
 * column missing, say), which ends the read before any row is parsed.
 */
export type ColumnChoice = (header: readonly string[], source: string) => readonly ColumnRequest[];

/** Problems (bad cells, ragged rows) listed in one error before reading stops. */
export const MAX_REPORTED_PROBLEMS = 10;
/** A row longer than this many characters is refused: the file is not the CSV it claims to be. */
export const MAX_ROW_CHARS = 16 * 1024 * 1024;

const CHUNK_BYTES = 64 * 1024;
/** The header row is looked for within the first this many bytes, to pick the delimiter. */
const HEADER_SEARCH_BYTES = 1024 * 1024;
const DELIMITERS = [',', ';', '\t'] as const;
const NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;
const DECIMAL_COMMA = /^[+-]?\d*,\d+$/;

export async function readCsv(path: string, choose: ColumnChoice): Promise<CsvTable> {
  let file: RegularFile;
  try {
    file = await openRegularFile(path);
  } catch (error) {
    throw new DataError(`${path}: ${fileErrorReason(error)}`);
  }
  try {
    return await parseFile(file, choose);
  } catch (error) {
    throw asDataError(path, error);
  } finally {
    await file.handle.close();
  }
}

async function parseFile(file: RegularFile, choose: ColumnChoice): Promise<CsvTable> {
  const path = file.path;
  const head = await readHead(file);
  const delimiter = detectDelimiter(head.toString('utf8'));
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    trim: true,
    relax_column_count: true,
    delimiter,
    // Every line ending, whichever comes first: a header saved with CRLF may be followed by rows with LF.
    record_delimiter: ['\r\n', '\n', '\r'],
    max_record_size: MAX_ROW_CHARS,
  });
  const source = Readable.from(textChunks(file, head));
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  let header: string[] | undefined;
  let readers: ColumnReader[] = [];
  // The same, in file order, so that a row's problems are listed left to right.
  let inFileOrder: ColumnReader[] = [];
  const problems = new Problems(path);
  let rows = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header === undefined) {
        header = record;
        readers = choose(header, path).map((request) => columnReader(request, header!, path));
        inFileOrder = [...readers].sort((a, b) => a.index - b.index);
        continue;
      }
      const line = `line ${info.lines}`;
      if (record.length !== header.length) {
        problems.add(
          `${line}: ${record.length} cells, but the header has ${header.length} columns${delimiterHint(record.join(''), delimiter)}`,
        );
        continue;
      }
      for (const reader of inFileOrder) {
        const problem = reader.push(record[reader.index]);
        if (problem)
          problems.add(
            `${line}, column ${reader.index + 1} ("${reader.name}"): ${problem}${cellHint(record[reader.index], delimiter)}`,
          );
      }
      rows++;
    }
  } catch (error) {
    if (!(error instanceof TooManyProblems)) throw error;
  } finally {
    source.destroy();
  }
  problems.throwIfAny();
  if (header === undefined) throw new DataError(`${path} is empty`);
  if (rows === 0) throw new DataError(`${path} has a header but no data rows`);
  return { source: path, header, rows, columns: readers.map((reader) => reader.finish(rows)) };
}

/** CSV text: a header line, then one line per matrix row, each number written so that it reads back exactly. */
export function formatCsv(header: readonly string[], m: Matrix): string {
  const lines = [header.map(quoteIfNeeded).join(',')];
  for (let r = 0; r < m.rows; r++) lines.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)).join(','));
  return `${lines.join('\n')}\n`;
}

interface ColumnReader {
  readonly name: string;
  /** Where the column is in a row. */
  readonly index: number;
  /** Adds a row's cell; returns what is wrong with it, if anything. */
  push(cell: string): string | undefined;
  finish(rows: number): CsvColumn;
}

/** The reader of a requested column, once the header shows that it is there, once, and named. */
function columnReader(request: ColumnRequest, header: readonly string[], path: string): ColumnReader {
  const { name, type } = request;
  const index = header.indexOf(name);
  if (index < 0) throw new DataError(`${path} has no column "${name}" (its columns: ${listColumns(header)})`);
  if (name === '') throw new DataError(`${path}, line 1: column ${index + 1} of the header has no name`);
  if (header.indexOf(name, index + 1) >= 0) {
    throw new DataError(`${path}, line 1: column "${name}" appears twice in the header`);
  }
  if (type === 'text') {
    const values: string[] = [];
    return {
      name,
      index,
      push: (cell) => {
        values.push(cell);
        return undefined;
      },
      finish: () => ({ name, type, values }),
    };
  }
  let values = new Float64Array(1024);
  let length = 0;
  return {
    name,
    index,
    push: (cell) => {
      if (length === values.length) {
        const grown = new Float64Array(values.length * 2);
        grown.set(values);
        values = grown;
      }
      const value = parseDecimal(cell);
      values[length++] = value ?? Number.NaN;
      return value !== undefined && Number.isFinite(value) ? undefined : cellProblem(cell, value);
    },
    finish: (rows) => ({ name, type, values: values.slice(0, rows) }),
  };
}

function listColumns(columns: readonly string[]): string {
  const shown = columns.slice(0, 12).map((c) => `"${c}"`);
  return columns.length > shown.length ? `${shown.join(', ')}, … (${columns.length} in all)` : shown.join(', ');
}

function cellProblem(text: string, value: number | undefined): string {
  if (value !== undefined) return `${text} is too large for a 64-bit float`;
  if (NON_FINITE.test(text)) return `${text} is not a finite number`;
  if (text === '') return 'the cell is empty';
  return `${JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text)} is not a number`;
}

/** What may explain a cell that is not a number. */
function cellHint(text: string, delimiter: string): string {
  if (delimiter !== ',' && DECIMAL_COMMA.test(text)) return ' (write decimals with a point: 1.5, not 1,5)';
  return delimiterHint(text, delimiter);
}

/** A hint when a row seems to be separated by another delimiter than the header's. */
function delimiterHint(text: string, delimiter: string): string {
  const other = DELIMITERS.find((d) => d !== delimiter && text.includes(d));
  if (other === undefined) return '';
  return ` (the header is separated by ${describeDelimiter(delimiter)}, this row seems to be by ${describeDelimiter(other)})`;
}

function describeDelimiter(delimiter: string): string {
  return delimiter === '\t' ? 'tabs' : `"${delimiter}"`;
}

/**
 * The delimiter of the header row: whichever of comma, semicolon and tab it holds most
 * often outside quotes (a comma on a tie, or when it holds none of them: one column).
 */
export function detectDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best: string = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** The first bytes of the file, through the end of the header row (or HEADER_SEARCH_BYTES). */
async function readHead(file: RegularFile): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < file.size && at < HEADER_SEARCH_BYTES) {
    const chunk = await readExactly(file, at, Math.min(CHUNK_BYTES, file.size - at));
    checkText(file.path, chunk, at);
    chunks.push(chunk);
    at += chunk.length;
    if (chunk.includes(0x0a) || chunk.includes(0x0d)) break;
  }
  return Buffer.concat(chunks);
}

/** The file's bytes, `head` first, each chunk checked to be text. */
async function* textChunks(file: RegularFile, head: Buffer): AsyncGenerator<Buffer> {
  if (head.length > 0) yield head;
  let at = head.length;
  for await (const chunk of readChunks(file, head.length, CHUNK_BYTES)) {
    checkText(file.path, chunk, at);
    at += chunk.length;
    yield chunk;
  }
}

/** Text never holds a zero byte; binary files nearly always do, so this refuses them at the first chunk. */
function checkText(path: string, chunk: Buffer, offset: number): void {
  if (
    offset === 0 &&
    chunk.length >= 2 &&
    ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
  ) {
    throw new DataError(`${path} is UTF-16 text: save it as UTF-8`);
  }
  const zero = chunk.indexOf(0);
  if (zero >= 0) throw new DataError(`${path} is not a text file (byte ${offset + zero} is zero): is it really CSV?`);
}

class TooManyProblems extends Error {}

/** Bad cells and ragged rows, up to MAX_REPORTED_PROBLEMS, reported in one DataError. */
class Problems {
  private readonly list: string[] = [];
  private more = false;

  constructor(private readonly path: string) {}

  add(problem: string): void {
    if (this.list.length === MAX_REPORTED_PROBLEMS) {
      this.more = true;
      throw new TooManyProblems();
    }
    this.list.push(problem);
  }

  throwIfAny(): void {
    if (this.list.length === 0) return;
    if (this.list.length === 1) throw new DataError(`${this.path}, ${this.list[0]}`);
    const count = this.more
      ? `more than ${MAX_REPORTED_PROBLEMS} problems; the first ${MAX_REPORTED_PROBLEMS}`
      : `${this.list.length} problems`;
    throw new DataError(`${this.path} has ${count}:\n${this.list.map((p) => `  ${p}`).join('\n')}`);
  }
}

function asDataError(path: string, error: unknown): Error {
  if (error instanceof DataError) return error;
  if (error instanceof CsvError) {
    if (error.code === 'CSV_MAX_RECORD_SIZE') {
      return new DataError(`${path}: a row is longer than ${MAX_ROW_CHARS / 2 ** 20} Mi characters: is it really CSV?`);
    }
    return new DataError(`${path}: ${error.message}`);
  }
  if ((error as NodeJS.ErrnoException).code !== undefined) return new DataError(`${path}: ${fileErrorReason(error)}`);
  return error as Error;
}

function quoteIfNeeded(text: string): string {
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
