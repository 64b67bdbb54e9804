import { readTensors, type StateDict } from '../../nn/state-dict.js';
import { checkBoolean, checkFinite, checkInteger, checkNonNegative, checkOneOf, typeError } from '../../util/check.js';
import { dtypeOfArray, type FloatArray } from '../../util/dtype.js';
import type { EpochLogs } from './logs.js';
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
} from './training-callback.js';

/** Options of {@link EarlyStopping}, named as Keras's (`min_delta` → `minDelta`, …); every one is optional. */
export interface EarlyStoppingOptions {
  /** The logged value to watch (default 'valLoss' with validation data, else 'loss'). */
  monitor?: string;
  /** 'min': lower is better; 'max': higher; 'auto' (default): from the name (max for accuracy and r2). */
  mode?: MonitorMode | 'auto';
  /** Epochs without improvement before training stops (default 0). */
  patience?: number;
  /** The least change, >= 0, that counts as an improvement (default 0). */
  minDelta?: number;
  /** A value to beat: until an epoch beats it, the wait is not reset (default none). */
  baseline?: number | null;
  /**
   * When training ends — stopped early or not — put back the weights of the epoch
   * with the best monitored value (default false: keep the last epoch's).
   */
  restoreBestWeights?: boolean;
}

const MODES = ['min', 'max', 'auto'] as const;

/**
 * Stops training when the monitored value has stopped improving, with the semantics
 * of Keras's EarlyStopping (Keras 3): after each epoch the wait grows by one, and an
 * improvement on the best value by more than minDelta resets it (if it also beats the
 * baseline); once the wait reaches `patience` (after the first epoch), training stops.
 * With restoreBestWeights the best epoch's weights come back when training ends, also
 * when it ran all its epochs. `stoppedEpoch`, `bestEpoch` and `best` are readable after
 * fit, also after a fit in the background.
 *
 * @throws TypeError or RangeError naming the option when an option has the wrong type or
 *   is out of range (a negative or fractional `patience`, a negative `minDelta`, an unknown
 *   `mode`); `fit` refuses a `monitor` it does not log before training starts.
 *
 * @example
 * ```ts
 * const stopping = new EarlyStopping({ patience: 8, restoreBestWeights: true });
 * await model.fit(x, y, { epochs: 300, validationSplit: 0.2, callbacks: [stopping] });
 * console.log(stopping.stoppedEpoch, stopping.bestEpoch, stopping.best);
 * ```
 */
export class EarlyStopping extends TrainingCallback {
  /** The name under which EarlyStopping is registered in configurations. */
  static readonly type = 'EarlyStopping';
  /** The logged value watched; undefined: `valLoss` with validation data, else `loss`. */
  readonly monitor: string | undefined;
  /** 'min' (lower is better), 'max', or 'auto' (from the monitor's name). */
  readonly mode: MonitorMode | 'auto';
  /** Epochs without improvement before training stops, a whole number >= 0. */
  readonly patience: number;
  /** The least change, >= 0, that counts as an improvement. */
  readonly minDelta: number;
  /** A value to beat before the wait is reset, or null for none. */
  readonly baseline: number | null;
  /** Whether the best epoch's weights are put back when training ends. */
  readonly restoreBestWeights: boolean;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The best monitored value so far, or null. */
  best: number | null = null;
  /** The 0-based epoch of the best value (or of the weights kept), or null. */
  bestEpoch: number | null = null;
  /** The 0-based epoch after which training stopped, or null when it was not stopped. */
  stoppedEpoch: number | null = null;
  private bestWeights: StateDict | null = null;
  private watched: string | undefined;
  private model: CallbackModel | undefined;

  constructor(options: EarlyStoppingOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
    // Each option is read once: a getter cannot show the checks one value and keep another.
    const { monitor, mode, patience, minDelta, baseline, restoreBestWeights } = options;
    this.monitor = checkMonitorName(monitor);
    this.mode = checkOneOf('mode', mode ?? 'auto', MODES);
    this.patience = checkInteger('patience', patience ?? 0, 0);
    this.minDelta = checkNonNegative('minDelta', minDelta ?? 0);
    this.baseline = baseline === undefined || baseline === null ? null : checkFinite('baseline', baseline);
    this.restoreBestWeights = checkBoolean('restoreBestWeights', restoreBestWeights ?? false);
  }

  /** The type and options that rebuild it (`monitor` only when one was given). */
  toConfig() {
    const { monitor, mode, patience, minDelta, baseline, restoreBestWeights } = this;
    return {
      /** `'EarlyStopping'`. */
      type: EarlyStopping.type,
      ...(monitor === undefined
        ? {}
        : {
            /** As {@link EarlyStopping.monitor}. */
            monitor,
          }),
      /** As {@link EarlyStopping.mode}. */
      mode,
      /** As {@link EarlyStopping.patience}. */
      patience,
      /** As {@link EarlyStopping.minDelta}. */
      minDelta,
      /** As {@link EarlyStopping.baseline}. */
      baseline,
      /** As {@link EarlyStopping.restoreBestWeights}. */
      restoreBestWeights,
    };
  }

  /** 'min' or 'max': the mode given, or the one the monitored name implies. */
  get resolvedMode(): MonitorMode {
    return this.mode !== 'auto' ? this.mode : modeFromName(this.watched ?? this.monitor ?? 'loss');
  }

  override checkFit(_model: CallbackModel, fit: FitSetting, name: string): void {
    checkMonitored(`${name}.monitor`, this.monitor ?? defaultMonitor(fit), fit);
  }

  override trainBegin(model: CallbackModel, fit: FitSetting, resumed: boolean): void {
    this.model = model;
    this.watched = this.monitor ?? defaultMonitor(fit);
    if (resumed) {
      // A checkpoint taken as this callback stopped the fit: stop again, before any epoch.
      if (this.stoppedEpoch !== null) model.stopTraining = true;
      return;
    }
    this.wait = 0;
    this.best = null;
    this.bestEpoch = null;
    this.stoppedEpoch = null;
    this.bestWeights = null;
  }

  override epochEnd(epoch: number, logs: EpochLogs): void {
    const model = this.model!;
    const current = logs[this.watched!];
    if (this.restoreBestWeights && this.bestWeights === null) {
      // Until an epoch improves, the first one's weights are the best there are.
      this.bestWeights = model.stateDict();
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = model.stateDict();
      if (this.baseline === null || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  override trainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights !== null) this.model!.loadStateDict(this.bestWeights);
  }

  state(): TrainingCallbackState {
    const { wait, best, bestEpoch, stoppedEpoch } = this;
    const tensors: StateDict = {};
    for (const [name, values] of Object.entries(this.bestWeights ?? {})) tensors[name] = values.slice();
    return { scalars: { wait, best, bestEpoch, stoppedEpoch }, tensors };
  }

  checkState(state: TrainingCallbackState, model?: CallbackModel): () => void {
    const scalars = checkStateScalars(
      state,
      ['wait', 'best', 'bestEpoch', 'stoppedEpoch'],
      ['best', 'bestEpoch', 'stoppedEpoch'],
    );
    const epochOrNull = (key: string) =>
      scalars[key] === null ? null : checkInteger(`state.scalars.${key}`, scalars[key], 0, Number.MAX_SAFE_INTEGER);
    const wait = checkInteger('state.scalars.wait', scalars.wait, 0, Number.MAX_SAFE_INTEGER);
    const bestEpoch = epochOrNull('bestEpoch');
    const stoppedEpoch = epochOrNull('stoppedEpoch');
    // Best weights, when there are any, are the network's parameters by name: checked
    // against the model when one is given (a checkpoint), else trusted (a state this
    // callback's own twin in a worker sent back).
    let weights: StateDict | null = null;
    if (Object.keys(state.tensors).length > 0) {
      const reference = model?.stateDict() ?? state.tensors;
      const names = Object.keys(reference);
      // Each entry's length and dtype: the parameter's (a float32 model keeps float32 weights).
      const targets = names.map((name) => {
        const tensor = reference[name] as FloatArray | undefined;
        return [name, tensor?.length ?? 0, dtypeOfArray(tensor) ?? 'float64'] as const;
      });
      const copies = readTensors('state.tensors', state.tensors, targets);
      weights = Object.fromEntries(names.map((name, i) => [name, copies[i]]));
    }
    return () => {
      this.wait = wait;
      this.best = scalars.best;
      this.bestEpoch = bestEpoch;
      this.stoppedEpoch = stoppedEpoch;
      this.bestWeights = weights;
    };
  }

  /** Whether `value` beats `reference` by more than minDelta in the monitor's direction (anything beats none). */
  private improves(value: number, reference: number | null): boolean {
    if (reference === null) return !Number.isNaN(value);
    return this.resolvedMode === 'min' ? value + this.minDelta < reference : value - this.minDelta > reference;
  }
}
