// A model's recorded steps (src/plan/). The first step at a batch size runs eagerly
// while it is recorded; later steps at that size replay the recording natively, for
// as long as the recording still describes what an eager step would do:
//
//   - every part of the model is capturable (src/plan/coverage.ts): else every step
//     runs eagerly;
//   - nothing replaced the model's state since (loadTrainingState, a divergence
//     guard's restore: the model says so through `invalidate`).
//
// Whatever may change between steps is read by the kernels from arrays the recording
// holds, not recorded as a number: the optimizer's hyper-parameters (the learning
// rate a schedule or a callback sets, Adam's step count), the clipping norm, Dropout's
// generator state. An optimizer's per-parameter buffers are created on the step that
// first uses them (the recorded one) and only ever refilled in place afterwards
// (src/optim/optimizer.ts), so they stay the arrays recorded.
//
// A recording is kept per batch size, per set of metric sums, and per whether the
// step clips its gradients (the clipper is the model's one, whose norm is in its state
// array). A replay leaves the model as the eager step would, gradients included.

import { backend } from '../blas/backend.js';
import type { Metric } from '../metrics/metric.js';
import type { Loss } from '../nn/losses/loss.js';
import type { AnyMatrix } from '../nn/matrix.js';
import type { Module } from '../nn/module.js';
import type { Parameter } from '../nn/parameter.js';
import type { GradientClipper } from '../optim/clip-grad-norm.js';
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

interface Recorded {
  readonly plan: StepPlan;
  /** Parameters whose gradient the step writes. */
  readonly gradients: readonly Parameter[];
}

/** A step that could not be recorded (why, for debugging): it runs eagerly until the next invalidation. */
interface Unrecordable {
  readonly plan: undefined;
  readonly reason: string;
}

type Entry = Recorded | Unrecordable;

/** Plans kept per set of metric sums; the oldest batch size goes first, as in BufferCache. */
const PLANS_PER_KEY = 4;

/** The entries of steps that add to no metric sums. */
const NO_SUMS = {};

export class ModelPlans {
  /** Steps replayed so far, single or in batches (for tests: which way steps ran). */
  replayed = 0;
  /** By the metric sums the steps add to (or NO_SUMS), then by batch size and clipping (`key`). */
  private entries = new WeakMap<object, Map<number, Entry>>();
  private partsCapturable: boolean | undefined;
  /** The loss's value array, when it has one (the loss never changes). */
  private readonly lossBuffer: Float64Array | undefined;
  private metricsCapturable: boolean | undefined;

  constructor(private readonly owner: PlanOwner) {
    this.lossBuffer = lossBufferOf(owner.loss);
  }

  /** Forgets every recording: the model's state was replaced, arrays and all. */
  invalidate(): void {
    this.entries = new WeakMap();
  }

  /**
   * Replays the step on (x, y) adding to `sums`, clipping with `clipper`, when a
   * current recording allows it, and returns its loss; undefined when the step must
   * run eagerly. A replay whose loss is not finite returns it having changed nothing
   * but the layers' outputs, where the eager step would throw.
   */
  replay(
    x: AnyMatrix,
    y: AnyMatrix,
    sums: MetricSums | undefined,
    clipper: GradientClipper | undefined,
  ): number | undefined {
    const entry = this.stored(x.rows, sums, clipper);
    if (entry?.plan === undefined || !entry.plan.bind(x.data, y.data)) return undefined;
    entry.plan.checkArrays();
    if (entry.plan.step()) this.replayedSteps(entry, 1);
    return this.lossBuffer![0];
  }

  /**
   * Whether the eager step that runs instead of a replay should be recorded: when
   * there is no current recording for it (not when its inputs could not be taken).
   */
  wouldRecord(rows: number, sums: MetricSums | undefined, clipper: GradientClipper | undefined): boolean {
    return this.stored(rows, sums, clipper) === undefined && this.canRecord(sums);
  }

  /** Runs the eager step on (x, y) under a recording, keeps the recording, and returns the step's loss. */
  record(
    x: AnyMatrix,
    y: AnyMatrix,
    sums: MetricSums | undefined,
    clipper: GradientClipper | undefined,
    eager: () => number,
  ): number {
    const { result, recording } = record(eager);
    this.remember(x.rows, sums, clipper, this.recorded(recording, x, y, sums));
    return result;
  }

  /**
   * The current recording for batches of `rows` rows adding to `sums`, pointed at
   * the batch arrays (x, y) and checked, for StepPlan.trainBatches; undefined when
   * the next batch must run eagerly (through `step`, which records it if it can).
   */
  planFor(
    rows: number,
    sums: MetricSums | undefined,
    clipper: GradientClipper | undefined,
    x: AnyMatrix,
    y: AnyMatrix,
  ): Recorded | undefined {
    const entry = this.stored(rows, sums, clipper);
    if (entry?.plan === undefined || !entry.plan.bind(x.data, y.data)) return undefined;
    entry.plan.checkArrays();
    return entry;
  }

  /** After the plan of `entry` trained `steps` steps: the gradients it wrote are the parameters' current ones. */
  replayedSteps(entry: Recorded, steps: number): void {
    if (steps === 0) return;
    this.replayed += steps;
    for (const p of entry.gradients) p.accumulateBeta();
  }

  /** The entry for this step, made since the last invalidation. */
  private stored(rows: number, sums: MetricSums | undefined, clipper: GradientClipper | undefined): Entry | undefined {
    return this.entries.get(sums ?? NO_SUMS)?.get(key(rows, clipper));
  }

  private remember(rows: number, sums: MetricSums | undefined, clipper: GradientClipper | undefined, entry: Entry) {
    let entries = this.entries.get(sums ?? NO_SUMS);
    if (entries === undefined) {
      entries = new Map();
      this.entries.set(sums ?? NO_SUMS, entries);
    }
    const k = key(rows, clipper);
    entries.delete(k);
    if (entries.size >= PLANS_PER_KEY) entries.delete(entries.keys().next().value as number);
    entries.set(k, entry);
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
    x: AnyMatrix,
    y: AnyMatrix,
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
    if (typeof plan === 'string') return { plan: undefined, reason: plan };
    return { plan, gradients: optimizer.parameters.filter((p) => p.hasGrad) };
  }
}

/** A step's place among the entries of its sums: its batch size, and whether it clips. */
function key(rows: number, clipper: GradientClipper | undefined): number {
  return 2 * rows + (clipper === undefined ? 0 : 1);
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
