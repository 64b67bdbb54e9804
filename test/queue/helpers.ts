// Shared by the queue tests: model configurations and data sets, worker processes
// that report their events, and the local fit every job is compared with.

import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { expect } from 'vitest';
import { readCsv } from '../../dist/data/csv.js';
import { numberColumns, readTrainingCsv } from '../../dist/data/table.js';
import { Matrix, Model, type ModelConfig, Random, type StateDict } from '../../dist/index.js';
import type { TrainingJobSpec } from '../../dist/queue/index.js';
import { writeTableFile } from '../../dist/queue/index.js';

const WORKER_SCRIPT = fileURLToPath(new URL('./fixtures/worker.mjs', import.meta.url));

/** A network of `hidden` ReLU layers (widths), MSE loss and SGD, as Model.toConfig() writes it. */
export function networkConfig(options: {
  inputs: number;
  hidden: number[];
  outputs: number;
  lr?: number;
  momentum?: number;
  seed: number;
}): ModelConfig {
  const widths = [options.inputs, ...options.hidden, options.outputs];
  const layers: ModelConfig['network'][] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    if (i > 0) layers.push({ type: 'ReLU' });
    layers.push({ type: 'Linear', inFeatures: widths[i], outFeatures: widths[i + 1], bias: true, init: 'he' });
  }
  return {
    network: { type: 'Sequential', layers },
    loss: { type: 'MSELoss', reduction: 'mean' },
    optimizer: { type: 'SGD', lr: options.lr ?? 0.05, momentum: options.momentum ?? 0, weightDecay: 0 },
    metrics: ['mae'],
    seed: options.seed,
  };
}

/** A smooth regression problem with `outputs` targets: y depends on x through sines. */
export function regression(seed: number, rows: number, inputs: number, outputs: number): { x: Matrix; y: Matrix } {
  const random = new Random(seed);
  const x = new Matrix(rows, inputs, random.fillNormal(new Float64Array(rows * inputs)));
  const y = new Matrix(rows, outputs);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outputs; o++) y.set(r, o, Math.sin(x.get(r, o % inputs) + o) + 0.3 * x.get(r, inputs - 1));
  }
  return { x, y };
}

/** Writes x and y as a CSV file with columns x1…, y1…; returns the target names. */
export async function writeCsv(path: string, x: Matrix, y: Matrix): Promise<string[]> {
  const features = Array.from({ length: x.cols }, (_, i) => `x${i + 1}`);
  const targets = Array.from({ length: y.cols }, (_, i) => `y${i + 1}`);
  const lines = [[...features, ...targets].join(',')];
  for (let r = 0; r < x.rows; r++) {
    const row = [...x.data.subarray(r * x.cols, (r + 1) * x.cols), ...y.data.subarray(r * y.cols, (r + 1) * y.cols)];
    lines.push(row.join(','));
  }
  await writeFile(path, `${lines.join('\n')}\n`);
  return targets;
}

/**
 * The local fit a job must reproduce: the same configuration and options, on the rows
 * read from the same file (or carried inline), on this machine's background pool.
 */
export async function localFit(spec: TrainingJobSpec, data: { x: Matrix; y: Matrix }) {
  const model = Model.fromConfig(spec.model);
  const { checkpointEvery: _, ...options } = spec.fit;
  const history = await model.fit(data.x, data.y, options);
  return { model, history };
}

/** The rows of a CSV job as a local program would read them. */
export async function csvRows(path: string, targets: string[]): Promise<{ x: Matrix; y: Matrix }> {
  return readTrainingCsv(path, targets);
}

export function expectSameWeights(a: StateDict, b: StateDict): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const name of Object.keys(a)) {
    const bits = (v: Float64Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    expect(bits(a[name]).equals(bits(b[name])), `parameter ${name} differs`).toBe(true);
  }
}

export interface WorkerEvent {
  event: string;
  id?: string;
  [key: string]: unknown;
}

/** A worker process (fixtures/worker.mjs) and the events it has printed. */
export class WorkerProcess {
  readonly events: WorkerEvent[] = [];
  readonly exited: Promise<void>;
  private readonly child: ChildProcess;
  private readonly waiters: { test: (e: WorkerEvent) => boolean; resolve: (e: WorkerEvent) => void }[] = [];
  private stderr = '';

  constructor(options: { url: string; name: string; concurrency?: number; holdAtEpoch?: number }) {
    this.child = spawn(process.execPath, [WORKER_SCRIPT, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        this.record(JSON.parse(buffered.slice(0, end)) as WorkerEvent);
        buffered = buffered.slice(end + 1);
      }
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  /** The first event (already printed or still to come) that passes `test`. */
  next(test: (e: WorkerEvent) => boolean, what: string, timeoutMs = 30_000): Promise<WorkerEvent> {
    const seen = this.events.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`worker ${this.child.pid}: no ${what} within ${timeoutMs} ms\n${this.stderr}`)),
        timeoutMs,
      );
      this.waiters.push({
        test,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  ready(): Promise<WorkerEvent> {
    return this.next((e) => e.event === 'ready', 'ready event');
  }

  /** The ids of the jobs this worker completed, in order. */
  completed(): string[] {
    return this.events.filter((e) => e.event === 'completed').map((e) => e.id!);
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  private record(event: WorkerEvent): void {
    this.events.push(event);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].test(event)) this.waiters.splice(i, 1)[0].resolve(event);
    }
  }
}

/** Every column of a CSV file, as numbers, written to a table file with the same column names. */
export async function csvToTableFile(csv: string, table: string): Promise<void> {
  const read = await readCsv(csv, (header) => numberColumns(header));
  const rows = new Matrix(read.rows, read.columns.length);
  read.columns.forEach((column, c) => {
    (column.values as Float64Array).forEach((value, r) => {
      rows.data[r * read.columns.length + c] = value;
    });
  });
  await writeTableFile(table, read.header, rows);
}
