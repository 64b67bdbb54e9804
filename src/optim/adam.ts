import { ADAM_SLOTS, adamBegin, adamUpdate } from '../kernels/optimizers.js';
import type { Parameter } from '../nn/parameter.js';
import { checkBoolean, checkNonNegative, typeError } from '../util/check.js';
import type { FloatArray } from '../util/dtype.js';
import { checkStepCount, noBuffer, Optimizer, type OptimizerConfig } from './optimizer.js';
import { checkFraction, checkOptimizerOptions } from './options.js';

/** Options of {@link Adam} and {@link AdamW}, named as torch.optim.Adam's (camelCase); every one is optional. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment estimates, each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient for Adam, decoupled decay of the weights for AdamW; >= 0 (default 0 for Adam, 0.01 for AdamW). */
  weightDecay?: number;
  /** The AMSGrad variant: the largest second moment so far in the denominator (default false). */
  amsgrad?: boolean;
}

/**
 * Adam (Kingma & Ba), with PyTorch's semantics (torch.optim.Adam): bias-corrected
 * moment estimates, weight decay as an L2 term in the gradient, optional AMSGrad.
 *
 * @throws TypeError or RangeError naming the option when an option has the wrong type or
 *   is out of range (`lr` <= 0, a beta outside [0, 1), a negative `eps` or `weightDecay`).
 *
 * @example
 * ```ts
 * const model = new Model(network, {
 *   loss: new MSELoss(),
 *   optimizer: new Adam(network.parameters(), { lr: 3e-3, betas: [0.9, 0.999] }),
 * });
 * ```
 */
export class Adam extends Optimizer {
  /** The name under which this optimizer is registered in optimizer configurations (`'Adam'`, `'AdamW'`). */
  static readonly type: string = 'Adam';
  /** Decay rates of the first and second moment estimates, each in [0, 1). */
  readonly betas: readonly [number, number];
  /** Added to the denominator for stability, >= 0. */
  readonly eps: number;
  /** Weight decay, >= 0: an L2 term in the gradient (Adam) or decoupled (AdamW). */
  readonly weightDecay: number;
  /** Whether the AMSGrad variant is used. */
  readonly amsgrad: boolean;
  protected readonly bufferNames = ['expAvg', 'expAvgSq', 'maxExpAvgSq'] as const;

  constructor(parameters: Iterable<Parameter>, options: AdamOptions = {}) {
    checkOptimizerOptions(options, '{ lr, betas, … }');
    super(parameters, options.lr ?? 1e-3, ADAM_SLOTS.length);
    const betas = options.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) throw typeError('betas', 'an array [beta1, beta2]', betas);
    this.betas = Object.freeze([checkFraction('betas[0]', betas[0]), checkFraction('betas[1]', betas[1])] as const);
    this.eps = checkNonNegative('eps', options.eps ?? 1e-8);
    this.weightDecay = checkNonNegative('weightDecay', options.weightDecay ?? this.defaultWeightDecay());
    this.amsgrad = checkBoolean('amsgrad', options.amsgrad ?? false);
    const hyper = this.hyperParameters;
    hyper[ADAM_SLOTS.beta1] = this.betas[0];
    hyper[ADAM_SLOTS.beta2] = this.betas[1];
    hyper[ADAM_SLOTS.eps] = this.eps;
    hyper[ADAM_SLOTS.weightDecay] = this.weightDecay;
    hyper[ADAM_SLOTS.amsgrad] = this.amsgrad ? 1 : 0;
    hyper[ADAM_SLOTS.decoupled] = this.decoupled() ? 1 : 0;
  }

  /** Rebuilds an Adam from what {@link Adam.toConfig} returned, over `parameters`. */
  static fromConfig(config: OptimizerConfig, parameters: Iterable<Parameter>): Adam {
    return new Adam(parameters, config as unknown as AdamOptions);
  }

  toConfig(): OptimizerConfig {
    return {
      type: (this.constructor as typeof Adam).type,
      lr: this.lr,
      betas: [...this.betas],
      eps: this.eps,
      weightDecay: this.weightDecay,
      amsgrad: this.amsgrad,
    };
  }

  /** Whether weight decay shrinks the weights directly (AdamW) rather than entering the gradient. */
  protected decoupled(): boolean {
    return false;
  }

  /** The weight decay when the options give none: 0 for Adam, 0.01 for AdamW. */
  protected defaultWeightDecay(): number {
    return 0;
  }

  protected beginStep(): void {
    adamBegin(this.hyperParameters);
  }

  protected update(index: number, param: FloatArray, grad: FloatArray): void {
    adamUpdate(
      param.length,
      this.hyperParameters,
      param,
      grad,
      this.buffer(index, 'expAvg'),
      this.buffer(index, 'expAvgSq'),
      this.amsgrad ? this.buffer(index, 'maxExpAvgSq') : noBuffer(param),
    );
  }

  protected override stateScalars(): Record<string, number> {
    return { step: this.hyperParameters[ADAM_SLOTS.step] };
  }

  protected override checkStateScalars(scalars: Record<string, number>): () => void {
    return checkStepCount(scalars, this.hyperParameters, ADAM_SLOTS.step);
  }
}

/**
 * AdamW (Loshchilov & Hutter), with PyTorch's semantics (torch.optim.AdamW): Adam
 * whose weight decay (default 0.01) multiplies the weights by 1 − lr·weightDecay
 * before each update instead of entering the gradient.
 *
 * @example
 * ```ts
 * const optimizer = new AdamW(network.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 * ```
 */
export class AdamW extends Adam {
  /** The name under which AdamW is registered in optimizer configurations. */
  static override readonly type: string = 'AdamW';

  /** Rebuilds an AdamW from what {@link AdamW.toConfig} returned, over `parameters`. */
  static override fromConfig(config: OptimizerConfig, parameters: Iterable<Parameter>): AdamW {
    return new AdamW(parameters, config as unknown as AdamOptions);
  }

  protected override decoupled(): boolean {
    return true;
  }

  /** AdamW decays the weights by default, as PyTorch's does. */
  protected override defaultWeightDecay(): number {
    return 0.01;
  }
}
