import { daxpy, dscal } from '../blas/index.js';
import { checkNonNegative, checkPositive, typeError } from '../util/check.js';
import { Parameter } from './parameter.js';

export interface SGDOptions {
  lr: number;
  /** Heavy-ball momentum factor (default 0): v = momentum·v + g; p −= lr·v. */
  momentum?: number;
  /** L2 penalty added to the gradient (default 0): g + weightDecay·p. */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent with PyTorch's semantics (no dampening, no Nesterov).
 * Parameters without a gradient since their last `zeroGrad()` are left alone.
 */
export class SGD {
  readonly parameters: readonly Parameter[];
  private learningRate: number;
  readonly momentum: number;
  readonly weightDecay: number;
  private readonly velocity: (Float64Array | undefined)[];

  constructor(parameters: Iterable<Parameter>, options: SGDOptions) {
    this.parameters = Array.from(parameters, (p, i) => {
      if (!(p instanceof Parameter)) throw typeError(`parameters[${i}]`, 'a Parameter', p);
      return p;
    });
    if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
    this.learningRate = checkPositive('lr', options.lr);
    this.momentum = checkNonNegative('momentum', options.momentum ?? 0);
    this.weightDecay = checkNonNegative('weightDecay', options.weightDecay ?? 0);
    this.velocity = this.parameters.map(() => undefined);
  }

  get lr(): number {
    return this.learningRate;
  }

  set lr(value: number) {
    this.learningRate = checkPositive('lr', value);
  }

  step(): void {
    const lr = this.learningRate;
    const { momentum, weightDecay } = this;
    for (let i = 0; i < this.parameters.length; i++) {
      const p = this.parameters[i];
      if (!p.hasGrad) continue;
      const w = p.value.data;
      const g = p.gradient.data;
      const n = w.length;
      if (momentum === 0) {
        // p = (1 − lr·λ)·p − lr·g, the decayed step without a temporary for g + λ·p.
        if (weightDecay !== 0) dscal(n, 1 - lr * weightDecay, w, 1);
        daxpy(n, -lr, g, 1, w, 1);
        continue;
      }
      let v = this.velocity[i];
      if (v === undefined) {
        v = new Float64Array(n);
        this.velocity[i] = v;
      }
      dscal(n, momentum, v, 1);
      daxpy(n, 1, g, 1, v, 1);
      if (weightDecay !== 0) daxpy(n, weightDecay, w, 1, v, 1);
      daxpy(n, -lr, v, 1, w, 1);
    }
  }

  zeroGrad(): void {
    for (const p of this.parameters) p.zeroGrad();
  }

  /** The momentum buffers (copies), for checkpoints. */
  state(): (Float64Array | null)[] {
    return this.velocity.map((v) => (v ? v.slice() : null));
  }

  loadState(state: readonly (Float64Array | null)[]): void {
    state.forEach((v, i) => {
      this.velocity[i] = v ? v.slice() : undefined;
    });
  }
}
