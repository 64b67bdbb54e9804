import { checkDType, typeError } from '../util/check.js';
import type { DType } from '../util/dtype.js';
import type { AnyMatrix } from './matrix.js';
import type { Parameter } from './parameter.js';
import { loadTensors, type StateDict } from './state-dict.js';

/** Options of {@link Module.backward}. */
export interface BackwardOptions {
  /**
   * Whether the gradient with respect to the module's input is wanted (default true).
   * The first layer of a network does not need it: skipping it saves a GEMM as large
   * as the forward one. When false, an empty (0-row) matrix is returned.
   */
  inputGrad?: boolean;
}

/**
 * What a layer is, as plain JSON: its registered `type` and the options that rebuild
 * it (`{ type: 'Linear', inFeatures: 10, outFeatures: 64, bias: true, init: 'he' }`).
 * Weights are not part of it; they travel as a state dict.
 */
export interface LayerConfig {
  /** The registered layer type, e.g. `'Linear'`, `'ReLU'`, `'Sequential'`. */
  type: string;
  /** The layer's options, as its `toConfig()` writes them. */
  [option: string]: unknown;
}

/**
 * A layer or a composition of layers. `forward` keeps what `backward` needs (a
 * reference to its input, not a copy: leave the input unchanged until `backward`).
 * Outputs and input gradients live in buffers the module owns and reuses; they are
 * overwritten by the module's next `forward` or `backward` call, so copy them to keep
 * them.
 *
 * A module names its own parameters (`ownParameters`) and its sub-modules
 * (`children`); the dotted names of the whole tree follow from them, as in PyTorch:
 * `"0.weight"`, `"2.bias"`.
 */
export abstract class Module {
  /** Training mode (the default) or evaluation mode; layers such as dropout differ between them. */
  training = true;
  /**
   * The element type of the module's parameters, inputs and outputs: 'float64' (the
   * default) or 'float32'. A module refuses an input of the other dtype (a TypeError
   * naming it): nothing converts on the way through a network.
   */
  readonly dtype: DType;
  private cachedParameters: Parameter[] | undefined;

  constructor(dtype: DType = 'float64') {
    this.dtype = checkDType('dtype', dtype);
  }

  /**
   * The output for a batch `x` (one row per sample), in a buffer the module owns and
   * overwrites on its next call (copy it to keep it).
   * @throws TypeError or RangeError when `x` is not a Matrix of the width the module takes.
   */
  abstract forward(x: AnyMatrix): AnyMatrix;
  /**
   * Back-propagates `gradOutput` (the loss's gradient with respect to the last `forward`
   * output, of its shape): accumulates the parameters' gradients and returns the
   * gradient with respect to the input (an empty matrix with `inputGrad: false`).
   * @throws TypeError or RangeError when `gradOutput` does not match the last output,
   *   or when no `forward` came before.
   */
  abstract backward(gradOutput: AnyMatrix, options?: BackwardOptions): AnyMatrix;

  /** The features the module's input must have, or undefined when it takes any width (element-wise layers). */
  get inputFeatures(): number | undefined {
    return undefined;
  }

  /** The features of the output for an input of `inputFeatures` (the same, for element-wise layers). */
  outputFeatures(inputFeatures: number): number {
    return inputFeatures;
  }

  /** This module's own parameters under their local names (`"weight"`, `"bias"`). */
  protected ownParameters(): [name: string, parameter: Parameter][] {
    return [];
  }

  /** The sub-modules, under the names that prefix their parameters. */
  children(): [name: string, module: Module][] {
    return [];
  }

  /** Every parameter of the tree under its dotted name, in a stable order: own first, then each child's. */
  namedParameters(): [name: string, parameter: Parameter][] {
    const named = this.ownParameters();
    for (const [childName, child] of this.children()) {
      for (const [name, p] of child.namedParameters()) named.push([`${childName}.${name}`, p]);
    }
    return named;
  }

  /** The trainable parameters, in the order of `namedParameters()`. */
  parameters(): Parameter[] {
    // The tree does not change after construction, and this runs on every step.
    this.cachedParameters ??= this.namedParameters().map(([, p]) => p);
    return this.cachedParameters;
  }

  /** Clears the gradient of every parameter of the tree (PyTorch's `zero_grad`). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Copies of every parameter's values, by dotted name. */
  stateDict(): StateDict {
    const state: StateDict = {};
    for (const [name, p] of this.namedParameters()) state[name] = p.value.data.slice();
    return state;
  }

  /**
   * Copies parameter values in by dotted name: every name, and no other, with the
   * right length and finite values. Each entry is read once and every entry is
   * checked before any is copied, so a bad state dict changes nothing.
   */
  loadStateDict(state: StateDict): void {
    loadTensors(
      'state',
      state,
      this.namedParameters().map(([name, p]) => [name, p.value.data]),
    );
  }

  /** Training mode on (default) or off, for this module and every sub-module. */
  train(mode = true): this {
    if (typeof mode !== 'boolean') throw typeError('mode', 'a boolean', mode);
    this.training = mode;
    for (const [, child] of this.children()) child.train(mode);
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /**
   * The configuration that rebuilds this module (see the layer registry). A module
   * of your own can be trained and used, but it can only be saved or trained in the
   * background if it implements this and is registered with `registerLayer`.
   */
  toConfig(): LayerConfig {
    throw new TypeError(
      `${this.constructor.name} has no toConfig(): a module must describe itself as a registered layer to be saved or trained in the background`,
    );
  }

  /** A short description for messages and summaries, e.g. `Linear(10 → 64)`. */
  describe(): string {
    return this.constructor.name;
  }
}
