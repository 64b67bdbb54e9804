import type { EpochLogs } from '../../model/fit/logs.js';
import {
  type CallbackModel,
  checkMonitored,
  checkMonitorName,
  checkStateScalars,
  defaultMonitor,
  type FitSetting,
  type MonitorMode,
  modeFromName,
  TrainingCallback,
  type TrainingCallbackState,
} from '../../model/fit/training-callback.js';
import { checkFinite, checkInteger, checkNonNegative, checkOneOf, rangeError, typeError } from '../../util/check.js';
import { Optimizer } from '../optimizer.js';
import { checkOptimizerOptions } from '../options.js';

/** Options of {@link ReduceLROnPlateau}, named as PyTorch's (`threshold_mode` → `thresholdMode`, …) plus fit's `monitor`. */
export interface ReduceLROnPlateauOptions {
  /** The logged value to watch in fit (default 'valLoss' with validation data, else 'loss'). */
  monitor?: string;
  /** 'min': lower is better; 'max': higher; 'auto' (default): from the monitor's name (max for accuracy and r2). */
  mode?: MonitorMode | 'auto';
  /** The factor of a reduction, in (0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before a reduction (default 10). */
  patience?: number;
  /** The smallest change that counts as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): relative to the best value; 'abs': absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs after a reduction during which no epoch counts as bad (default 0). */
  cooldown?: number;
  /** The rate is never reduced below this, >= 0 (default 0). */
  minLr?: number;
  /** A reduction smaller than this is skipped (default 1e-8). */
  eps?: number;
}

const MODES = ['min', 'max', 'auto'] as const;
const THRESHOLD_MODES = ['rel', 'abs'] as const;

/**
 * Lowers the learning rate by `factor` when the monitored value has not improved for
 * more than `patience` epochs, with PyTorch's semantics (torch.optim.lr_scheduler.
 * ReduceLROnPlateau): `step(value)` once per epoch in a loop of your own; in fit's
 * callbacks it steps with the monitored value after each epoch, starting afresh with
 * each fit (as Keras's does) unless the fit resumes from a checkpoint.
 *
 * @throws TypeError or RangeError naming the option when the optimizer is not an
 *   {@link Optimizer} or an option is out of range (`factor` outside (0, 1), a negative
 *   or fractional `patience` or `cooldown`, an unknown `mode` or `thresholdMode`).
 *
 * @example
 * ```ts
 * const plateau = new ReduceLROnPlateau(model.optimizer, { factor: 0.5, patience: 3 });
 * await model.fit(x, y, { epochs: 100, validationSplit: 0.2, callbacks: [plateau] });
 * ```
 */
export class ReduceLROnPlateau extends TrainingCallback {
  /** The name under which this schedule is registered in configurations. */
  static readonly type = 'ReduceLROnPlateau';
  override readonly setsLearningRate = true;
  /** The optimizer whose learning rate is lowered. */
  readonly optimizer: Optimizer;
  /** The logged value watched in fit; undefined: `valLoss` with validation data, else `loss`. */
  readonly monitor: string | undefined;
  /** 'min', 'max', or 'auto' (from the monitor's name); see {@link resolvedMode}. */
  readonly mode: MonitorMode | 'auto';
  /** The factor of a reduction, in (0, 1). */
  readonly factor: number;
  /** Epochs without improvement tolerated before a reduction, a whole number >= 0. */
  readonly patience: number;
  /** The smallest change that counts as an improvement, >= 0. */
  readonly threshold: number;
  /** Whether `threshold` is relative to the best value ('rel') or absolute ('abs'). */
  readonly thresholdMode: 'rel' | 'abs';
  /** Epochs after a reduction during which no epoch counts as bad, a whole number >= 0. */
  readonly cooldown: number;
  /** The floor of the learning rate, >= 0. */
  readonly minLr: number;
  /** A reduction smaller than this is skipped, >= 0. */
  readonly eps: number;
  /** The best value so far, or null before the first step. */
  best: number | null = null;
  /** Epochs since the last improvement (reset by a reduction and during cooldown). */
  numBadEpochs = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** Steps taken. */
  lastEpoch = 0;
  private watched: string | undefined;

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    super();
    if (!(optimizer instanceof Optimizer)) throw typeError('optimizer', 'an Optimizer (SGD, Adam, …)', optimizer);
    checkOptimizerOptions(options, '{ factor, patience, … }');
    this.optimizer = optimizer;
    // Each option is read once: a getter cannot show the checks one value and keep another.
    const { monitor, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps } = options;
    this.monitor = checkMonitorName(monitor);
    this.mode = checkOneOf('mode', mode ?? 'auto', MODES);
    this.factor = checkFinite('factor', factor ?? 0.1);
    if (this.factor <= 0 || this.factor >= 1) throw rangeError('factor', 'a number in (0, 1)', this.factor);
    this.patience = checkInteger('patience', patience ?? 10, 0);
    this.threshold = checkNonNegative('threshold', threshold ?? 1e-4);
    this.thresholdMode = checkOneOf('thresholdMode', thresholdMode ?? 'rel', THRESHOLD_MODES);
    this.cooldown = checkInteger('cooldown', cooldown ?? 0, 0);
    this.minLr = checkNonNegative('minLr', minLr ?? 0);
    this.eps = checkNonNegative('eps', eps ?? 1e-8);
  }

  /** The type and options that rebuild this schedule (`monitor` only when one was given). */
  toConfig() {
    const { monitor, mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps } = this;
    return {
      /** `'ReduceLROnPlateau'`. */
      type: ReduceLROnPlateau.type,
      ...(monitor === undefined
        ? {}
        : {
            /** As {@link ReduceLROnPlateau.monitor}. */
            monitor,
          }),
      /** As {@link ReduceLROnPlateau.mode}. */
      mode,
      /** As {@link ReduceLROnPlateau.factor}. */
      factor,
      /** As {@link ReduceLROnPlateau.patience}. */
      patience,
      /** As {@link ReduceLROnPlateau.threshold}. */
      threshold,
      /** As {@link ReduceLROnPlateau.thresholdMode}. */
      thresholdMode,
      /** As {@link ReduceLROnPlateau.cooldown}. */
      cooldown,
      /** As {@link ReduceLROnPlateau.minLr}. */
      minLr,
      /** As {@link ReduceLROnPlateau.eps}. */
      eps,
    };
  }

  /** 'min' or 'max': the mode given, or the one the monitor's name implies. */
  get resolvedMode(): MonitorMode {
    if (this.mode !== 'auto') return this.mode;
    return modeFromName(this.watched ?? this.monitor ?? 'loss');
  }

  /** One epoch's value: counts it, and lowers the rate after more than `patience` bad epochs in a row. */
  step(value: number): void {
    const current = checkFinite('value', value);
    const improved = this.isImprovement(current);
    const inCooldown = this.cooldownCounter > 0;
    // Bad epochs in cooldown are not counted.
    let bad = improved || inCooldown ? 0 : this.numBadEpochs + 1;
    const reduce = bad > this.patience;
    const lr = this.optimizer.lr;
    const lowered = Math.max(lr * this.factor, this.minLr);
    const lowers = reduce && lr - lowered > this.eps;
    if (lowers && !(lowered > 0)) {
      throw rangeError(
        'minLr',
        'a floor that keeps the learning rate > 0',
        this.minLr,
        `the rate would fall to ${lowered}`,
      );
    }
    if (improved) this.best = current;
    if (inCooldown) this.cooldownCounter--;
    if (reduce) {
      if (lowers) this.optimizer.lr = lowered;
      this.cooldownCounter = this.cooldown;
      bad = 0;
    }
    this.numBadEpochs = bad;
    this.lastEpoch++;
  }

  override checkFit(model: CallbackModel, fit: FitSetting, name: string): void {
    if (model.optimizer !== this.optimizer) {
      throw rangeError(name, 'a schedule of this model’s optimizer', this, 'it was created with another optimizer');
    }
    checkMonitored(`${name}.monitor`, this.monitor ?? defaultMonitor(fit), fit);
  }

  override trainBegin(_model: CallbackModel, fit: FitSetting, resumed: boolean): void {
    this.watched = this.monitor ?? defaultMonitor(fit);
    if (resumed) return;
    this.best = null;
    this.numBadEpochs = 0;
    this.cooldownCounter = 0;
  }

  override epochEnd(_epoch: number, logs: EpochLogs): void {
    this.step(logs[this.watched ?? this.monitor ?? 'loss']);
  }

  state(): TrainingCallbackState {
    const { best, numBadEpochs, cooldownCounter, lastEpoch } = this;
    return { scalars: { best, numBadEpochs, cooldownCounter, lastEpoch }, tensors: {} };
  }

  checkState(state: TrainingCallbackState): () => void {
    const scalars = checkStateScalars(state, ['best', 'numBadEpochs', 'cooldownCounter', 'lastEpoch'], ['best']);
    const count = (key: string) => checkInteger(`state.scalars.${key}`, scalars[key], 0, Number.MAX_SAFE_INTEGER);
    const numBadEpochs = count('numBadEpochs');
    const cooldownCounter = count('cooldownCounter');
    const lastEpoch = count('lastEpoch');
    return () => {
      this.best = scalars.best;
      this.numBadEpochs = numBadEpochs;
      this.cooldownCounter = cooldownCounter;
      this.lastEpoch = lastEpoch;
    };
  }

  private isImprovement(value: number): boolean {
    const best = this.best;
    if (best === null) return true;
    const { threshold } = this;
    if (this.resolvedMode === 'min') {
      return this.thresholdMode === 'rel' ? value < best * (1 - threshold) : value < best - threshold;
    }
    return this.thresholdMode === 'rel' ? value > best * (threshold + 1) : value > best + threshold;
  }
}
