import { Parameter } from '../nn/parameter.js';
import { readTensors } from '../nn/state-dict.js';
import { checkInteger, checkPositive, rangeError, typeError } from '../util/check.js';
import { dtypeInfo, type FloatArray } from '../util/dtype.js';
import type { TypedConfig } from '../util/registry.js';

/** An optimizer as plain JSON: its registered `type`, learning rate and hyper-parameters. */
export interface OptimizerConfig extends TypedConfig {
  /** Learning rate, > 0. */
  lr: number;
}

/**
 * What an optimizer carries from one step to the next, for checkpoints: the
 * learning rate and any other scalar it keeps (a step count), and for each parameter
 * (in the optimizer's order) its buffers by name — momentum, moment estimates — which
 * are absent until the parameter's first step.
 */
export interface OptimizerState {
  /** The learning rate (`lr`) and the optimizer's other scalars, such as the step count (`step`). */
  scalars: Record<string, number>;
  /** One entry per parameter, in the optimizer's order: its buffers by name (e.g. `momentumBuffer`, `expAvg`). */
  buffers: Record<string, FloatArray>[];
}

/** Passed to an update kernel for a buffer the optimizer's settings leave unused. */
/** What an update kernel takes for a buffer the optimizer's settings leave out, in the parameter's dtype. */
export { unusedLike as noBuffer } from '../kernels/checks.js';

/**
 * The base of every optimizer, as in torch.optim: it holds the parameters, the
 * hyper-parameter buffer and each parameter's buffers, and saves and restores them.
 *
 * The hyper-parameter buffer is a small Float64Array holding the learning rate (slot
 * 0) and every other number the update kernels read (src/kernels/optimizers.ts lays
 * each optimizer's out): a step is a `begin` kernel that advances what changes per step
 * (the step count, bias corrections), then one update kernel per parameter, so that a
 * recorded step replays with the values current at the time, the learning rate a
 * schedule set included. A subclass names its hyper-parameters in `toConfig()` and its
 * buffers in `bufferNames`.
 */
export abstract class Optimizer {
  /** The parameters this optimizer updates, in the order given to the constructor (frozen). */
  readonly parameters: readonly Parameter[];
  /**
   * The numbers the update kernels read; slot 0 is the learning rate.
   * @internal
   */
  readonly hyperParameters: Float64Array;
  /** The names of the per-parameter buffers the optimizer may create. */
  protected abstract readonly bufferNames: readonly string[];
  private readonly buffers: Map<string, FloatArray>[];

  constructor(parameters: Iterable<Parameter>, lr: number, slots: number) {
    if (parameters === null || typeof (parameters as Iterable<Parameter>)?.[Symbol.iterator] !== 'function') {
      throw typeError('parameters', 'an iterable of Parameters', parameters);
    }
    const seen = new Set<Parameter>();
    this.parameters = Object.freeze(
      Array.from(parameters, (p, i) => {
        if (!(p instanceof Parameter)) throw typeError(`parameters[${i}]`, 'a Parameter', p);
        if (seen.has(p)) throw rangeError(`parameters[${i}]`, 'each parameter once', p, 'it is listed twice');
        seen.add(p);
        return p;
      }),
    );
    this.hyperParameters = new Float64Array(slots);
    this.hyperParameters[0] = checkPositive('lr', lr);
    this.buffers = this.parameters.map(() => new Map());
  }

  /**
   * The learning rate, > 0; a schedule sets it between epochs.
   * @throws RangeError when set to a value that is not a finite number > 0.
   */
  get lr(): number {
    return this.hyperParameters[0];
  }

  /** Sets the learning rate; checked, and read by the next step. */
  set lr(value: number) {
    this.hyperParameters[0] = checkPositive('lr', value);
  }

  /**
   * Updates every parameter that has a gradient since its last `zeroGrad()` (the
   * others are left alone); a step with no gradient at all changes nothing.
   */
  step(): void {
    let begun = false;
    for (let i = 0; i < this.parameters.length; i++) {
      const p = this.parameters[i];
      if (!p.hasGrad) continue;
      if (!begun) {
        this.beginStep();
        begun = true;
      }
      this.update(i, p.value.data, p.gradient.data);
    }
  }

  /** The type and hyper-parameters that rebuild this optimizer over the same parameters. */
  abstract toConfig(): OptimizerConfig;

  /** Advances the per-step numbers of the hyper-parameter buffer, once per step. */
  protected abstract beginStep(): void;

  /** Updates parameter `index` (its values and gradient given) in place. */
  protected abstract update(index: number, param: FloatArray, grad: FloatArray): void;

  /** Clears the gradient of every parameter (PyTorch's `zero_grad`), so that the next backward pass starts afresh. */
  zeroGrad(): void {
    for (const p of this.parameters) p.zeroGrad();
  }

  /** Copies of the learning rate, scalars and buffers, for a checkpoint. */
  state(): OptimizerState {
    return {
      scalars: { lr: this.lr, ...this.stateScalars() },
      buffers: this.buffers.map((named) =>
        Object.fromEntries([...named].map(([name, values]) => [name, values.slice()])),
      ),
    };
  }

  /**
   * Restores what `state()` returned. Everything is checked — one entry per
   * parameter, known buffer names, lengths, finite values — before anything changes.
   */
  loadState(state: OptimizerState): void {
    if (typeof state !== 'object' || state === null) throw typeError('state', 'an optimizer state', state);
    const { scalars, buffers } = state;
    if (typeof scalars !== 'object' || scalars === null) throw typeError('state.scalars', 'an object', scalars);
    const lr = checkPositive('state.scalars.lr', scalars.lr);
    const restoreScalars = this.checkStateScalars(scalars);
    if (!Array.isArray(buffers)) throw typeError('state.buffers', 'an array', buffers);
    if (buffers.length !== this.parameters.length) {
      throw rangeError('state.buffers', `an array of ${this.parameters.length} entries, one per parameter`, buffers);
    }
    const staged = buffers.map((entry: unknown, i) => {
      const name = `state.buffers[${i}]`;
      if (typeof entry !== 'object' || entry === null) throw typeError(name, 'an object of buffers by name', entry);
      const present = Object.keys(entry).filter((key) => this.bufferNames.includes(key));
      const length = this.parameters[i].value.data.length;
      const values = readTensors(
        name,
        entry,
        present.map((key) => [key, length, this.parameters[i].dtype] as const),
      );
      return present.map((key, j) => [key, values[j]] as const);
    });
    this.hyperParameters[0] = lr;
    restoreScalars();
    // Into the buffers that exist, so that whoever holds them (a recorded step) sees
    // the restored values; a buffer the state lacks is zeroed, which is what a fresh
    // one holds, so that every update kernel treats both alike.
    staged.forEach((entries, i) => {
      const named = this.buffers[i];
      const restored = new Map(entries);
      for (const [name, values] of named) if (!restored.has(name)) values.fill(0);
      for (const [name, values] of restored) {
        const existing = named.get(name);
        if (existing === undefined) named.set(name, values);
        else existing.set(values);
      }
    });
  }

  /**
   * The buffer `name` of parameter `index`, created filled with zeros on first use, of
   * the parameter's dtype: a float32 parameter's momentum or moments are float32 too.
   */
  protected buffer(index: number, name: string): FloatArray {
    let values = this.buffers[index].get(name);
    if (values === undefined) {
      const parameter = this.parameters[index];
      values = dtypeInfo(parameter.dtype).create(parameter.value.data.length);
      this.buffers[index].set(name, values);
    }
    return values;
  }

  /** Scalars besides the learning rate that a subclass keeps (e.g. a step count). */
  protected stateScalars(): Record<string, number> {
    return {};
  }

  /** Checks a subclass's scalars in a saved state; returns what applies them, run only once everything is checked. */
  protected checkStateScalars(_scalars: Record<string, number>): () => void {
    return () => {};
  }
}

/**
 * The step count of a saved state, restored into the hyper-parameter buffer at `slot`:
 * a whole number >= 0, and 0 when absent (states saved before optimizers counted steps).
 */
export function checkStepCount(scalars: Record<string, number>, hyper: Float64Array, slot: number): () => void {
  const step = checkInteger('state.scalars.step', scalars.step ?? 0, 0, Number.MAX_SAFE_INTEGER);
  return () => {
    hyper[slot] = step;
  };
}
