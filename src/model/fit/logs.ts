// What fit reports, in the shape of tfjs and Keras: logs are open records keyed by
// metric name (`loss`, `mae`, and `valLoss`, `valMae` for the validation rows), so a
// new metric changes no type.

import type { Metric } from '../../metrics/metric.js';
import type { AnyMatrix } from '../../nn/matrix.js';

/** A loss or metric value by name. */
export type Logs = Record<string, number>;

/** What `onBatchEnd` receives: the batch's loss and metrics, its size and epoch. */
export interface BatchLogs extends Logs {
  /** Loss of this batch before its update. */
  loss: number;
  /** Rows in this batch. */
  size: number;
  /** 0-based epoch. */
  epoch: number;
}

/**
 * What `onEpochEnd` receives: the epoch's loss and metrics (`mae`, …), with validation
 * data their `val…` twins (`valLoss`, `valMae`), `lr` when a schedule sets the rate, and
 * the epoch's timing.
 */
export interface EpochLogs extends Logs {
  /**
   * Training loss over the epoch: the mean of the batch losses weighted by their
   * rows (the loss of each batch taken before its update, as Keras reports it).
   */
  loss: number;
  /** Training rows seen in this epoch. */
  samples: number;
  /** Wall-clock seconds the epoch's training took (validation not included). */
  seconds: number;
  /** Training rows per second over the epoch (`samples / seconds`; Infinity when the clock saw no time pass). */
  samplesPerSecond: number;
}

/** What `fit` resolves to, as Keras's History: the epochs run and each logged value per epoch. */
export interface History {
  /** The epochs run (0-based). */
  epoch: number[];
  /** Each logged value, one entry per epoch: `loss`, the metrics, and with validation data `valLoss` and `val…`. */
  history: Record<string, number[]>;
}

/** `mae` → `valMae`, `loss` → `valLoss`. */
export function validationName(name: string): string {
  return `val${name[0].toUpperCase()}${name.slice(1)}`;
}

/**
 * The sums behind each metric, for one batch and for the running epoch: the batch's
 * value comes from its own sums, the epoch's from their total. Adding a batch is
 * kernels only, so that a recorded training step (src/plan/) does it too.
 */
export class MetricSums {
  /** The sums of the last batch, one array per metric. */
  readonly batch: readonly Float64Array[];
  private readonly epoch: Float64Array[];

  constructor(
    private readonly metrics: readonly Metric[],
    outputs: number,
  ) {
    this.batch = metrics.map((m) => new Float64Array(m.sumsLength(outputs)));
    this.epoch = metrics.map((m) => new Float64Array(m.sumsLength(outputs)));
  }

  get isEmpty(): boolean {
    return this.metrics.length === 0;
  }

  /** How many values `batch` holds, all metrics together. */
  get batchLength(): number {
    return this.batch.reduce((total, sums) => total + sums.length, 0);
  }

  resetEpoch(): void {
    for (const sums of this.epoch) sums.fill(0);
  }

  /** Adds a batch to the epoch's sums; its own values are then what `writeBatch` writes. */
  addBatch(pred: AnyMatrix, target: AnyMatrix): void {
    for (let i = 0; i < this.metrics.length; i++)
      this.metrics[i].accumulate(pred, target, this.batch[i], this.epoch[i]);
  }

  /** Copies the last batch's sums into `into` from `offset` on (batchLength values). */
  copyBatch(into: Float64Array, offset: number): void {
    for (const sums of this.batch) {
      into.set(sums, offset);
      offset += sums.length;
    }
  }

  /** Writes each metric's value for the batch whose sums `copyBatch` put at `offset` of `from`. */
  writeBatch(logs: Logs, from: Float64Array, offset: number): void {
    this.metrics.forEach((m, i) => {
      const length = this.batch[i].length;
      logs[m.name] = m.value(from.subarray(offset, offset + length));
      offset += length;
    });
  }

  writeEpoch(logs: Logs): void {
    this.metrics.forEach((m, i) => {
      logs[m.name] = m.value(this.epoch[i]);
    });
  }
}

/**
 * The onBatchEnd logs of batch `b` of a run, from the run's records (per batch its
 * loss, then its metric sums: `1 + sums.batchLength` values).
 */
export function batchLogs(
  records: Float64Array,
  b: number,
  sums: MetricSums | undefined,
  size: number,
  epoch: number,
): BatchLogs {
  const at = b * (1 + (sums?.batchLength ?? 0));
  const logs: BatchLogs = { loss: records[at], size, epoch };
  sums?.writeBatch(logs, records, at + 1);
  return logs;
}

/** Appends an epoch's logs to a History (every value but the timing). */
export function recordEpoch(history: History, epoch: number, logs: EpochLogs): void {
  history.epoch.push(epoch);
  for (const [name, value] of Object.entries(logs)) {
    if (name === 'samples' || name === 'seconds' || name === 'samplesPerSecond') continue;
    if (!Object.hasOwn(history.history, name)) history.history[name] = [];
    history.history[name].push(value);
  }
}
