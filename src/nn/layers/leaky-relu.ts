import { leakyReluBackward, leakyReluForward } from '../../kernels/activations.js';
import { checkFinite } from '../../util/check.js';
import type { DType, FloatArray } from '../../util/dtype.js';
import type { LayerConfig } from '../module.js';
import { Activation, checkActivationOptions } from './activation.js';
import type { BuildContext } from './build-context.js';

/** Options of {@link LeakyReLU}. */
export interface LeakyReLUOptions {
  /** The slope for x <= 0 (default 0.01, PyTorch's). */
  negativeSlope?: number;
  /** The element type of the input and the output (default 'float64'). */
  dtype?: DType;
}

/** x where x > 0, else negativeSlope·x; the gradient at 0 is negativeSlope, as in PyTorch. */
export class LeakyReLU extends Activation {
  /** The name of this layer type in configurations: `{ type: 'LeakyReLU', … }`. */
  static readonly type = 'LeakyReLU';
  /** The slope for x <= 0, a finite number. */
  readonly negativeSlope: number;

  constructor(options: LeakyReLUOptions = {}) {
    super(checkActivationOptions(options).dtype);
    this.negativeSlope = checkFinite('negativeSlope', options.negativeSlope ?? 0.01);
  }

  /** Rebuilds a LeakyReLU from its `toConfig()` output (what the layer registry calls). */
  static fromConfig(config: LayerConfig, context: BuildContext): LeakyReLU {
    return new LeakyReLU({ negativeSlope: config.negativeSlope as number | undefined, dtype: context.dtype });
  }

  override toConfig(): LayerConfig {
    return { type: LeakyReLU.type, negativeSlope: this.negativeSlope };
  }

  override describe(): string {
    return `LeakyReLU(${this.negativeSlope})`;
  }

  protected apply(n: number, x: FloatArray, y: FloatArray): void {
    leakyReluForward(n, this.negativeSlope, x, y);
  }

  protected gradient(n: number, x: FloatArray, _y: FloatArray, dy: FloatArray, dx: FloatArray): void {
    leakyReluBackward(n, this.negativeSlope, x, dy, dx);
  }
}
