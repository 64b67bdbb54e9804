import { leakyReluBackward, leakyReluForward } from '../../kernels/activations.js';
import { checkFinite, typeError } from '../../util/check.js';
import type { LayerConfig } from '../module.js';
import { Activation } from './activation.js';

export interface LeakyReLUOptions {
  /** The slope for x <= 0 (default 0.01, PyTorch's). */
  negativeSlope?: number;
}

/** x where x > 0, else negativeSlope·x; the gradient at 0 is negativeSlope, as in PyTorch. */
export class LeakyReLU extends Activation {
  static readonly type = 'LeakyReLU';
  readonly negativeSlope: number;

  constructor(options: LeakyReLUOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
    this.negativeSlope = checkFinite('negativeSlope', options.negativeSlope ?? 0.01);
  }

  static fromConfig(config: LayerConfig): LeakyReLU {
    return new LeakyReLU({ negativeSlope: config.negativeSlope as number | undefined });
  }

  override toConfig(): LayerConfig {
    return { type: LeakyReLU.type, negativeSlope: this.negativeSlope };
  }

  override describe(): string {
    return `LeakyReLU(${this.negativeSlope})`;
  }

  protected apply(n: number, x: Float64Array, y: Float64Array): void {
    leakyReluForward(n, this.negativeSlope, x, y);
  }

  protected gradient(n: number, x: Float64Array, _y: Float64Array, dy: Float64Array, dx: Float64Array): void {
    leakyReluBackward(n, this.negativeSlope, x, dy, dx);
  }
}
