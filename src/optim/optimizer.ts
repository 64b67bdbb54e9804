import { Parameter } from '../nn/parameter.js';
import { readTensors } from '../nn/state-dict.js';
import { checkPositive, rangeError, typeError } from '../util/check.js';
import type { TypedConfig } from '../util/registry.js';

/** An optimizer as plain JSON: its registered `type`, learning rate and hyper-parameters. */
export interface OptimizerConfig extends TypedConfig {
  lr: number;
}

/**
 * What an optimizer carries from one step to the next, for checkpoints: the
 * learning rate and any other scalar it keeps, and for each parameter (in the
 * optimizer's order) its buffers by name — momentum, moment estimates — which are
 * absent until the parameter's first step.
 */
export interface OptimizerState {
  scalars: Record<string, number>;
  buffers: Record<string, Float64Array>[];
}

/**
 * The base of every optimizer, as in torch.optim: it holds the parameters, the
 * learning rate and each parameter's buffers, and saves and restores them; a
 * subclass implements `step()` and names its hyper-parameters in `toConfig()` and
 * its buffers in `bufferNames`.
 */
export abstract class Optimizer {
  readonly parameters: readonly Parameter[];
  /** The names of the per-parameter buffers the optimizer may create. */
  protected abstract readonly bufferNames: readonly string[];
  private learningRate: number;
  private readonly buffers: Map<string, Float64Array>[];

  constructor(parameters: Iterable<Parameter>, lr: number) {
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
    this.learningRate = checkPositive('lr', lr);
    this.buffers = this.parameters.map(() => new Map());
  }

  get lr(): number {
    return this.learningRate;
  }

  set lr(value: number) {
    this.learningRate = checkPositive('lr', value);
  }

  /** Updates every parameter that has a gradient since its last `zeroGrad()`. */
  abstract step(): void;

  /** The type and hyper-parameters that rebuild this optimizer over the same parameters. */
  abstract toConfig(): OptimizerConfig;

  zeroGrad(): void {
    for (const p of this.parameters) p.zeroGrad();
  }

  /** Copies of the learning rate, scalars and buffers, for a checkpoint. */
  state(): OptimizerState {
    return {
      scalars: { lr: this.learningRate, ...this.stateScalars() },
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
        present.map((key) => [key, length] as const),
      );
      return present.map((key, j) => [key, values[j]] as const);
    });
    this.learningRate = lr;
    restoreScalars();
    staged.forEach((entries, i) => {
      this.buffers[i] = new Map(entries);
    });
  }

  /** The buffer `name` of parameter `index`, created filled with zeros on first use. */
  protected buffer(index: number, name: string): Float64Array {
    let values = this.buffers[index].get(name);
    if (values === undefined) {
      values = new Float64Array(this.parameters[index].value.data.length);
      this.buffers[index].set(name, values);
    }
    return values;
  }

  /** Whether parameter `index` has the buffer `name` yet. */
  protected hasBuffer(index: number, name: string): boolean {
    return this.buffers[index].has(name);
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
