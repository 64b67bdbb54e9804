import { geluBackward, geluForward } from '../../kernels/activations.js';
import { checkOneOf } from '../../util/check.js';
import type { DType, FloatArray } from '../../util/dtype.js';
import type { LayerConfig } from '../module.js';
import { Activation, checkActivationOptions } from './activation.js';
import type { BuildContext } from './build-context.js';

export type GELUApproximation = 'none' | 'tanh';

const APPROXIMATIONS: readonly GELUApproximation[] = ['none', 'tanh'];

export interface GELUOptions {
  /** 'none' (default): x·Φ(x) through erf, to double precision; 'tanh': PyTorch's tanh approximation. */
  approximate?: GELUApproximation;
  /** The element type of the input and the output (default 'float64'). */
  dtype?: DType;
}

/** The Gaussian error linear unit x·Φ(x), Φ the standard normal distribution function, as PyTorch's nn.GELU. */
export class GELU extends Activation {
  static readonly type = 'GELU';
  readonly approximate: GELUApproximation;

  constructor(options: GELUOptions = {}) {
    super(checkActivationOptions(options).dtype);
    this.approximate = checkOneOf('approximate', options.approximate ?? 'none', APPROXIMATIONS);
  }

  static fromConfig(config: LayerConfig, context: BuildContext): GELU {
    return new GELU({ approximate: config.approximate as GELUApproximation | undefined, dtype: context.dtype });
  }

  override toConfig(): LayerConfig {
    return { type: GELU.type, approximate: this.approximate };
  }

  override describe(): string {
    return this.approximate === 'none' ? 'GELU' : `GELU(${this.approximate})`;
  }

  protected apply(n: number, x: FloatArray, y: FloatArray): void {
    geluForward(n, this.approximate === 'tanh', x, y, this.saved());
  }

  protected gradient(n: number, x: FloatArray, _y: FloatArray, dy: FloatArray, dx: FloatArray): void {
    geluBackward(n, this.approximate === 'tanh', x, this.saved(), dy, dx);
  }
}
