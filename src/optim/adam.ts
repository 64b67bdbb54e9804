import { ADAM_SLOTS, adamBegin, adamUpdate } from '../kernels/optimizers.js';
import type { Parameter } from '../nn/parameter.js';
import { checkBoolean, checkNonNegative, typeError } from '../util/check.js';
import type { FloatArray } from '../util/dtype.js';
import { checkStepCount, noBuffer, Optimizer, type OptimizerConfig } from './optimizer.js';
import { checkFraction, checkOptimizerOptions } from './options.js';

export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment estimates, each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient for Adam, decoupled decay of the weights for AdamW. */
  weightDecay?: number;
  /** The AMSGrad variant: the largest second moment so far in the denominator (default false). */
  amsgrad?: boolean;
}

/**
 * Adam (Kingma & Ba), with PyTorch's semantics (torch.optim.Adam): bias-corrected
 * moment estimates, weight decay as an L2 term in the gradient, optional AMSGrad.
 */
export class Adam extends Optimizer {
  static readonly type: string = 'Adam';
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
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
 */
export class AdamW extends Adam {
  static override readonly type: string = 'AdamW';

  static override fromConfig(config: OptimizerConfig, parameters: Iterable<Parameter>): AdamW {
    return new AdamW(parameters, config as unknown as AdamOptions);
  }

  protected override decoupled(): boolean {
    return true;
  }

  protected override defaultWeightDecay(): number {
    return 0.01;
  }
}
