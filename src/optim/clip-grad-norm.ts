import { CLIP_SLOTS, clipGradNorm as clipKernel } from '../kernels/gradient-norm.js';
import { Parameter } from '../nn/parameter.js';
import { checkPositive, typeError } from '../util/check.js';
import type { FloatArray } from '../util/dtype.js';

/**
 * Clipping of the gradients of a fixed set of parameters to a total norm, with its
 * state (the norm to clip to, the norm measured) in a Float64Array that the clipping
 * kernel reads and writes: what fit's `clipNorm` runs between backward and the update.
 */
export class GradientClipper {
  /**
   * [maxNorm, the total norm the last clip measured].
   * @internal
   */
  readonly state = new Float64Array(CLIP_SLOTS.length);
  private readonly parameters: readonly Parameter[];
  private readonly grads: FloatArray[] = [];

  constructor(parameters: Iterable<Parameter>, maxNorm: number) {
    if (parameters === null || typeof (parameters as Iterable<Parameter>)?.[Symbol.iterator] !== 'function') {
      throw typeError('parameters', 'an iterable of Parameters', parameters);
    }
    this.parameters = Array.from(parameters, (p, i) => {
      if (!(p instanceof Parameter)) throw typeError(`parameters[${i}]`, 'a Parameter', p);
      return p;
    });
    this.maxNorm = maxNorm;
  }

  /** The total 2-norm the gradients are clipped to, > 0. */
  get maxNorm(): number {
    return this.state[CLIP_SLOTS.maxNorm];
  }

  /** Sets the norm to clip to. @throws RangeError unless a finite number > 0. */
  set maxNorm(value: number) {
    this.state[CLIP_SLOTS.maxNorm] = checkPositive('maxNorm', value);
  }

  /** Clips the gradients accumulated since the last zeroGrad (others are left out, as PyTorch leaves out missing ones); returns their total norm before clipping. */
  clip(): number {
    this.grads.length = 0;
    for (const p of this.parameters) if (p.hasGrad) this.grads.push(p.gradient.data);
    clipKernel(this.grads, this.state);
    return this.state[CLIP_SLOTS.norm];
  }
}

/**
 * As torch.nn.utils.clip_grad_norm_: when the 2-norm of all the parameters' gradients
 * together exceeds `maxNorm`, scales every gradient by maxNorm / (norm + 1e-6).
 * Returns the norm before clipping. Parameters without a gradient since their last
 * zeroGrad() are left out.
 */
export function clipGradNorm(parameters: Iterable<Parameter>, maxNorm: number): number {
  return new GradientClipper(parameters, maxNorm).clip();
}
