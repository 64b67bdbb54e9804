// Progress of a fit: a live bar on a terminal, one plain line per epoch otherwise (logs,
// CI, pipes), or nothing at all (--json).

import cliProgress from 'cli-progress';

import type { BatchLogs, EpochLogs } from '../model/fit/logs.js';
import { formatCount, formatLoss, formatSeconds, type Palette } from './terminal.js';

export interface TrainingProgress {
  batchEnd(logs: BatchLogs, batch: number): void;
  epochEnd(epoch: number, logs: EpochLogs): void;
  /** Stops drawing (leaving the last state on screen) before anything else is written. */
  stop(): void;
}

export interface ProgressPlan {
  epochs: number;
  batchesPerEpoch: number;
  /** What the loss is ("standardised MSE"): it is not the summary's MSE in original units. */
  lossName: string;
}

export type ProgressStyle = 'bar' | 'lines' | 'none';

export function createProgress(
  style: ProgressStyle,
  plan: ProgressPlan,
  stream: NodeJS.WriteStream,
  paint: Palette,
): TrainingProgress {
  if (style === 'bar') return new ProgressBar(plan, stream, paint);
  if (style === 'lines') return new ProgressLines(plan, stream);
  return { batchEnd() {}, epochEnd() {}, stop() {} };
}

/** Samples seen, time taken and what remains; shared by both displays. */
class Pace {
  private readonly started = performance.now();
  samples = 0;
  batches = 0;

  constructor(private readonly plan: ProgressPlan) {}

  get seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  get samplesPerSecond(): number {
    return this.samples / Math.max(this.seconds, 1e-9);
  }

  /** Seconds left at the average pace so far (validation included). */
  get secondsLeft(): number {
    const total = this.plan.epochs * this.plan.batchesPerEpoch;
    return this.batches === 0 ? Number.NaN : (this.seconds / this.batches) * (total - this.batches);
  }
}

class ProgressBar implements TrainingProgress {
  private readonly bar: cliProgress.SingleBar;
  private readonly pace: Pace;
  private epochLoss = 0;
  private epochRows = 0;
  private valLoss: number | undefined;

  constructor(
    private readonly plan: ProgressPlan,
    stream: NodeJS.WriteStream,
    paint: Palette,
  ) {
    this.pace = new Pace(plan);
    this.bar = new cliProgress.SingleBar({
      stream,
      format: `${paint.accent('{bar}')} epoch {epoch} │ ${plan.lossName} {loss} │ val {val} │ {speed} samples/s │ {left} left`,
      barsize: 24,
      barCompleteChar: '█',
      barIncompleteChar: '░',
      hideCursor: true,
      fps: 8,
    });
    this.bar.start(plan.epochs * plan.batchesPerEpoch, 0, this.payload(0));
  }

  batchEnd(logs: BatchLogs): void {
    this.pace.samples += logs.size;
    this.pace.batches++;
    // Until the epoch ends, show the running mean of its batch losses.
    this.epochLoss += logs.loss * logs.size;
    this.epochRows += logs.size;
    this.bar.update(this.pace.batches, this.payload(logs.epoch));
  }

  epochEnd(epoch: number, logs: EpochLogs): void {
    this.valLoss = logs.valLoss;
    this.epochLoss = 0;
    this.epochRows = 0;
    this.bar.update(this.pace.batches, { ...this.payload(epoch), loss: formatLoss(logs.loss) });
  }

  stop(): void {
    this.bar.stop();
  }

  private payload(epoch: number) {
    const epochs = String(this.plan.epochs);
    return {
      epoch: `${String(epoch + 1).padStart(epochs.length)}/${epochs}`,
      loss: formatLoss(this.epochRows > 0 ? this.epochLoss / this.epochRows : undefined),
      val: formatLoss(this.valLoss),
      speed: this.pace.batches > 0 ? formatCount(this.pace.samplesPerSecond) : '–',
      left: formatSeconds(this.pace.secondsLeft),
    };
  }
}

class ProgressLines implements TrainingProgress {
  private readonly pace: Pace;

  constructor(
    private readonly plan: ProgressPlan,
    private readonly stream: NodeJS.WriteStream,
  ) {
    this.pace = new Pace(plan);
  }

  batchEnd(logs: BatchLogs): void {
    this.pace.samples += logs.size;
    this.pace.batches++;
  }

  epochEnd(epoch: number, logs: EpochLogs): void {
    const epochs = String(this.plan.epochs);
    const parts = [
      `epoch ${String(epoch + 1).padStart(epochs.length)}/${epochs}`,
      `${this.plan.lossName} ${formatLoss(logs.loss)}`,
      ...(logs.valLoss === undefined ? [] : [`val ${formatLoss(logs.valLoss)}`]),
      `${formatCount(this.pace.samplesPerSecond)} samples/s`,
      `${formatSeconds(this.pace.secondsLeft)} left`,
    ];
    this.stream.write(`${parts.join('  ')}\n`);
  }

  stop(): void {}
}
