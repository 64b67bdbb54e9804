// A model's recorded steps (src/plan/). The first step at a batch size runs eagerly
// while it is recorded; later steps at that size replay the recording natively, for
// as long as the recording still describes what an eager step would do:
//
//   - every part of the model is capturable (src/plan/coverage.ts): else every step
//     runs eagerly;
//   - the optimizer's learning rate is the one recorded (a recording holds it as a
//     number), and its per-parameter buffers (momentum, …) are the arrays recorded;
//   - nothing replaced the model's state since (loadTrainingState, a divergence
//     guard's restore: the model says so through `invalidate`).
//
// A learning rate that changes every few steps (a schedule applied per batch) would
// have the model record nearly every step, at more than an eager step's cost; so
// after a recording replayed fewer than SETTLE_STEPS steps, steps run eagerly until
// the rate has held still for SETTLE_STEPS steps.
//
// A replay leaves the model as the eager step would, gradients included.

import { backend } from '../blas/backend.js';
import type { Metric } from '../metrics/metric.js';
import type { Loss } from '../nn/losses/loss.js';
import type { Matrix } from '../nn/matrix.js';
import type { Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import type { Optimizer } from '../optim/optimizer.js';
import { isDeclaredCapturable, lossBufferOf } from '../plan/capturable.js';
import '../plan/coverage.js';
import {
  isRecording,
  REQUIRE_FINITE,
  type RecordedArray,
  record,
  recordCall,
  spoilRecording,
} from '../plan/recorder.js';
import { StepPlan } from '../plan/step-plan.js';
import type { MetricSums } from './fit/logs.js';

/** What the plans need of their model. */
export interface PlanOwner {
  readonly network: Module;
  readonly loss: Loss;
  readonly optimizer: Optimizer;
  readonly metrics: readonly Metric[];
  /** Each parameter's dotted name, for errors. */
  readonly parameterNames: ReadonlyMap<Parameter, string>;
}

/** The optimizer's per-parameter buffers, read through the protected API its subclasses use. */
interface OptimizerBuffers {
  readonly bufferNames: readonly string[];
  hasBuffer(index: number, name: string): boolean;
  buffer(index: number, name: string): Float64Array;
}

interface Recorded {
  readonly plan: StepPlan;
  readonly generation: number;
  readonly lr: number;
  /** Steps replayed from this recording. */
  replays: number;
  /** The optimizer's buffers the step used: [parameter index, name, array]. */
  readonly optimizerArrays: readonly (readonly [number, string, Float64Array])[];
  /** Parameters whose gradient the step writes. */
  readonly gradients: readonly Parameter[];
}

/** A batch size whose step could not be recorded (why, for debugging), until the next invalidation. */
interface Unrecordable {
  readonly plan: undefined;
  readonly generation: number;
  readonly reason: string;
}

/** A batch size stepping eagerly until the learning rate settles: `lr` has held for `steadySteps` steps. */
interface Unsettled {
  readonly plan: undefined;
  readonly generation: number;
  readonly reason: 'the learning rate keeps changing';
  lr: number;
  steadySteps: number;
}

type Entry = Recorded | Unrecordable | Unsettled;

/** See the top of this file. */
const SETTLE_STEPS = 8;

/** Plans kept per set of metric sums; the oldest batch size goes first, as in BufferCache. */
const PLANS_PER_KEY = 4;

export class ModelPlans {
  /** Steps replayed so far, single or in batches (for tests: which way steps ran). */
  replayed = 0;
  private generation = 0;
  private readonly plain = new Map<number, Entry>();
  private readonly withSums = new WeakMap<MetricSums, Map<number, Entry>>();
  private partsCapturable: boolean | undefined;
  /** The loss's value array, when it has one (the loss never changes). */
  private readonly lossBuffer: Float64Array | undefined;
  private metricsCapturable: boolean | undefined;

  constructor(private readonly owner: PlanOwner) {
    this.lossBuffer = lossBufferOf(owner.loss);
  }

  /** Forgets every recording: the model's state was replaced, arrays and all. */
  invalidate(): void {
    this.generation++;
    this.plain.clear();
  }

  /**
   * Replays the step on (x, y) adding to `sums`, when a current recording allows it,
   * and returns its loss; undefined when the step must run eagerly. A replay whose
   * loss is not finite returns it having changed nothing but the layers' outputs,
   * where the eager step would throw.
   */
  replay(x: Matrix, y: Matrix, sums: MetricSums | undefined): number | undefined {
    const entry = this.current(x.rows, sums);
    if (entry?.plan === undefined || !entry.plan.bind(x.data, y.data)) return undefined;
    entry.plan.checkArrays();
    if (entry.plan.step()) this.replayedSteps(entry, 1);
    return this.lossBuffer![0];
  }

  /**
   * Whether the eager step that runs instead of a replay, on `rows` rows adding to
   * `sums`, should be recorded: when there is no recording for it, or one the model
   * has since left behind (not when its inputs could not be taken).
   */
  wouldRecord(rows: number, sums: MetricSums | undefined): boolean {
    const entry = this.stored(rows, sums);
    const { lr } = this.owner.optimizer;
    if (entry === undefined) return this.canRecord(sums);
    if (entry.plan === undefined) {
      if (!('steadySteps' in entry)) return false;
      if (entry.lr !== lr) {
        entry.lr = lr;
        entry.steadySteps = 0;
        return false;
      }
      return ++entry.steadySteps >= SETTLE_STEPS && this.canRecord(sums);
    }
    if (this.isCurrent(entry)) return false;
    if (entry.lr !== lr && entry.replays < SETTLE_STEPS) {
      this.remember(rows, sums, {
        plan: undefined,
        generation: this.generation,
        reason: 'the learning rate keeps changing',
        lr,
        steadySteps: 0,
      });
      return false;
    }
    return this.canRecord(sums);
  }

  /** Runs the eager step on (x, y) under a recording, keeps the recording, and returns the step's loss. */
  record(x: Matrix, y: Matrix, sums: MetricSums | undefined, eager: () => number): number {
    const { result, recording } = record(eager);
    this.remember(x.rows, sums, this.recorded(recording, x, y, sums));
    return result;
  }

  /**
   * The current recording for batches of `rows` rows adding to `sums`, pointed at
   * the batch arrays (x, y) and checked, for StepPlan.trainBatches; undefined when
   * the next batch must run eagerly (through `step`, which records it if it can).
   */
  planFor(rows: number, sums: MetricSums | undefined, x: Matrix, y: Matrix): Recorded | undefined {
    const entry = this.current(rows, sums);
    if (entry?.plan === undefined || !entry.plan.bind(x.data, y.data)) return undefined;
    entry.plan.checkArrays();
    return entry;
  }

  /** After the plan of `entry` trained `steps` steps: the gradients it wrote are the parameters' current ones. */
  replayedSteps(entry: Recorded, steps: number): void {
    if (steps === 0) return;
    this.replayed += steps;
    entry.replays += steps;
    for (const p of entry.gradients) p.accumulateBeta();
  }

  /** The entry for this batch size and these sums, when it describes the model as it is now. */
  private current(rows: number, sums: MetricSums | undefined): Entry | undefined {
    const entry = this.stored(rows, sums);
    return entry === undefined || entry.plan === undefined || this.isCurrent(entry) ? entry : undefined;
  }

  private stored(rows: number, sums: MetricSums | undefined): Entry | undefined {
    const entry = this.entries(sums)?.get(rows);
    return entry?.generation === this.generation ? entry : undefined;
  }

  /** Whether the recording still describes an eager step: the same learning rate, the same optimizer buffers. */
  private isCurrent(entry: Recorded): boolean {
    const { optimizer } = this.owner;
    if (optimizer.lr !== entry.lr) return false;
    const buffers = optimizer as unknown as OptimizerBuffers;
    for (const [index, name, array] of entry.optimizerArrays) {
      if (!buffers.hasBuffer(index, name) || buffers.buffer(index, name) !== array) return false;
    }
    return true;
  }

  private entries(sums: MetricSums | undefined): Map<number, Entry> | undefined {
    return sums === undefined ? this.plain : this.withSums.get(sums);
  }

  private remember(rows: number, sums: MetricSums | undefined, entry: Entry): void {
    let entries = this.entries(sums);
    if (entries === undefined) {
      entries = new Map();
      this.withSums.set(sums!, entries);
    }
    entries.delete(rows);
    if (entries.size >= PLANS_PER_KEY) entries.delete(entries.keys().next().value as number);
    entries.set(rows, entry);
  }

  private canRecord(sums: MetricSums | undefined): boolean {
    if (backend().kind !== 'native') return false;
    const { network, loss, optimizer, metrics } = this.owner;
    this.partsCapturable ??=
      isCapturableModule(network) &&
      isDeclaredCapturable(loss) &&
      this.lossBuffer !== undefined &&
      isDeclaredCapturable(optimizer);
    if (!this.partsCapturable) return false;
    if (sums === undefined || sums.isEmpty) return true;
    this.metricsCapturable ??= metrics.every((m) => isDeclaredCapturable(m));
    return this.metricsCapturable;
  }

  private recorded(
    recording: Parameters<typeof StepPlan.build>[0]['recording'],
    x: Matrix,
    y: Matrix,
    sums: MetricSums | undefined,
  ): Entry {
    const { optimizer, parameterNames } = this.owner;
    const names = new Map<RecordedArray, string>();
    for (const [p, name] of parameterNames) {
      names.set(p.value.data, `parameter ${name}`);
      names.set(p.gradient.data, `the gradient of ${name}`);
    }
    const plan = StepPlan.build({
      recording,
      inputs: [x.data, y.data],
      records: [this.lossBuffer!, ...(sums?.batch ?? [])],
      names,
    });
    if (typeof plan === 'string') return { plan: undefined, generation: this.generation, reason: plan };
    const buffers = optimizer as unknown as OptimizerBuffers;
    const optimizerArrays: [number, string, Float64Array][] = [];
    optimizer.parameters.forEach((_, index) => {
      for (const name of buffers.bufferNames) {
        if (buffers.hasBuffer(index, name)) optimizerArrays.push([index, name, buffers.buffer(index, name)]);
      }
    });
    return {
      plan,
      generation: this.generation,
      lr: optimizer.lr,
      replays: 0,
      optimizerArrays,
      gradients: optimizer.parameters.filter((p) => p.hasGrad),
    };
  }
}

/** Adds, to an open recording, that the step stops here unless the loss is finite. */
export function recordLossCheck(loss: Loss): void {
  if (!isRecording()) return;
  const buffer = lossBufferOf(loss);
  if (buffer === undefined) spoilRecording('the loss does not write its value into an array');
  else recordCall(REQUIRE_FINITE, [buffer]);
}

function isCapturableModule(module: Module): boolean {
  return isDeclaredCapturable(module) && module.children().every(([, child]) => isCapturableModule(child));
}
