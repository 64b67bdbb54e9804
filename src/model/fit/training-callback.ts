// Training callbacks: the built-in callbacks that change the model that trains — the
// learning-rate schedules (src/optim/schedules/) and EarlyStopping. Unlike a user's
// callbacks, which run on the calling thread and only watch, they run where the model
// trains: in a background fit they are rebuilt in the worker from their configuration
// and state, and the calling thread's objects get their final state back when the fit
// settles. Their state is saved in checkpoints, so that a resumed fit carries on
// exactly. They run before the user's callbacks of the same event, in their order.

import { metricByName } from '../../metrics/registry.js';
import type { StateDict } from '../../nn/state-dict.js';
import { checkFinite, rangeError, typeError } from '../../util/check.js';
import type { TypedConfig } from '../../util/registry.js';
import type { EpochLogs } from './logs.js';

/** What a training callback carries between threads and into checkpoints. */
export interface TrainingCallbackState {
  /** Numbers by name; null for "none yet" (no best value, not stopped). */
  scalars: Record<string, number | null>;
  /** Tensors by name (EarlyStopping's best weights, by parameter name). */
  tensors: StateDict;
}

/** A training callback as it travels: what rebuilds it and where it was. */
export interface SavedTrainingCallback {
  config: TypedConfig;
  state: TrainingCallbackState;
}

/** The model, as a training callback sees it. */
export interface CallbackModel {
  /** The model's optimizer, of which a callback reads or sets the learning rate. */
  readonly optimizer: {
    /** The learning rate, > 0. */
    lr: number;
  };
  /** Set to end training after the current epoch's callbacks. */
  stopTraining: boolean;
  /** Copies of the network's parameters by name (see {@link Module.stateDict}). */
  stateDict(): StateDict;
  /** Overwrites the network's parameters (see {@link Module.loadStateDict}). */
  loadStateDict(state: StateDict): void;
}

/** What a fit tells its training callbacks of itself, before it starts. */
export interface FitSetting {
  /** The epoch to train up to (exclusive), as fit's `epochs`. */
  epochs: number;
  /** The first epoch this fit runs (a resumed fit may start later still). */
  initialEpoch: number;
  /** Whether there is validation data, so that `val…` values are logged. */
  validation: boolean;
  /** The names in every epoch's logs: `loss`, the metrics, and their `val…` twins with validation. */
  logNames: readonly string[];
}

/**
 * The base of the built-in callbacks that change the model that trains — the learning-rate
 * schedules and {@link EarlyStopping} — as opposed to the plain functions of
 * {@link FitCallbacks}, which only watch. They go in fit's `callbacks`; in a background fit
 * they are rebuilt in the worker from `toConfig()` and `state()`, and the objects passed get
 * their final state back when the fit settles. Their state is saved in checkpoints.
 */
export abstract class TrainingCallback {
  /** Whether it sets the optimizer's learning rate; epoch logs then include `lr`, the rate the epoch trained at. */
  readonly setsLearningRate: boolean = false;

  /** The type and options that rebuild it (the registry in training-callbacks.ts). */
  abstract toConfig(): TypedConfig;

  /** Copies of everything it keeps between epochs. */
  abstract state(): TrainingCallbackState;

  /**
   * Checks a saved state (the whole of it, against this callback's options and, when
   * given, the model it will serve); returns what applies it.
   */
  abstract checkState(state: TrainingCallbackState, model?: CallbackModel): () => void;

  /** Restores what `state()` returned; a bad state changes nothing. */
  loadState(state: TrainingCallbackState, model?: CallbackModel): void {
    this.checkState(state, model)();
  }

  /**
   * Refuses, before anything trains, a fit it cannot serve (a schedule of another
   * optimizer or one whose learning rate would reach 0, a value the fit does not log),
   * with errors naming `name`, its place in fit's callbacks.
   */
  checkFit(_model: CallbackModel, _fit: FitSetting, _name: string): void {}

  /** Before the first epoch. `resumed` when the state came from a checkpoint (then it must not start afresh). */
  trainBegin(_model: CallbackModel, _fit: FitSetting, _resumed: boolean): void {}

  /** As an epoch (0-based) begins, before the user's onEpochBegin. */
  epochBegin(_epoch: number): void {}

  /** After the epoch's logs are complete (validation included), before the checkpoint and the user's onEpochEnd. */
  epochEnd(_epoch: number, _logs: EpochLogs): void {}

  /** After the last epoch (or an early stop), before the user's onTrainEnd; not after a failure or an abort. */
  trainEnd(): void {}
}

/** A monitor option: undefined (the default monitor) or the name of a logged value. */
export function checkMonitorName(value: unknown): string | undefined {
  if (value !== undefined && typeof value !== 'string') throw typeError('monitor', 'the name of a logged value', value);
  return value;
}

/** Refuses a monitored name that the fit does not log, naming `name` (e.g. `callbacks[0].monitor`). */
export function checkMonitored(name: string, value: string, fit: FitSetting): void {
  if (!fit.logNames.includes(value)) {
    const logged = fit.logNames.map((n) => JSON.stringify(n)).join(', ');
    throw rangeError(name, `one of the values this fit logs (${logged})`, value);
  }
}

/** The value a monitor watches by default: the validation loss when there is validation data, else the loss. */
export function defaultMonitor(fit: FitSetting): string {
  return fit.validation ? 'valLoss' : 'loss';
}

/** Whether lower ('min') or higher ('max') values of a monitored quantity are better. */
export type MonitorMode = 'min' | 'max';

/** 'auto' mode, from the name: max for metrics where larger is better (accuracy, r2), min for the rest (loss, mae, rmse). */
export function modeFromName(monitor: string): MonitorMode {
  const base = monitor.startsWith('val') && monitor.length > 3 ? monitor[3].toLowerCase() + monitor.slice(4) : monitor;
  return metricByName(base)?.higherIsBetter ? 'max' : 'min';
}

/**
 * The scalars of a saved state, checked: an object `{ scalars, tensors }` holding
 * exactly these scalar names, each a finite number or, where `nullable` says so, null.
 */
export function checkStateScalars(
  state: unknown,
  names: readonly string[],
  nullable: readonly string[] = [],
): Record<string, number | null> {
  if (typeof state !== 'object' || state === null) throw typeError('state', 'a training callback state', state);
  const { scalars, tensors } = state as Partial<TrainingCallbackState>;
  if (typeof scalars !== 'object' || scalars === null) throw typeError('state.scalars', 'an object', scalars);
  if (typeof tensors !== 'object' || tensors === null) throw typeError('state.tensors', 'an object', tensors);
  const stray = Object.keys(scalars).find((key) => !names.includes(key));
  if (stray !== undefined)
    throw rangeError('state.scalars', `only ${names.join(', ')}`, scalars, `${stray} is not one`);
  const checked: Record<string, number | null> = {};
  for (const key of names) {
    const value = (scalars as Record<string, unknown>)[key];
    if (value === null && nullable.includes(key)) checked[key] = null;
    else checked[key] = checkFinite(`state.scalars.${key}`, value);
  }
  return checked;
}
