import { geluBackward, geluForward } from '../../kernels/activations.js';
import { checkOneOf, typeError } from '../../util/check.js';
import type { LayerConfig } from '../module.js';
import { Activation } from './activation.js';

export type GELUApproximation = 'none' | 'tanh';

const APPROXIMATIONS: readonly GELUApproximation[] = ['none', 'tanh'];

export interface GELUOptions {
  /** 'none' (default): x·Φ(x) through erf, to double precision; 'tanh': PyTorch's tanh approximation. */
  approximate?: GELUApproximation;
}

/** The Gaussian error linear unit x·Φ(x), Φ the standard normal distribution function, as PyTorch's nn.GELU. */
export class GELU extends Activation {
  static readonly type = 'GELU';
  readonly approximate: GELUApproximation;

  constructor(options: GELUOptions = {}) {
    super();
    if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
    this.approximate = checkOneOf('approximate', options.approximate ?? 'none', APPROXIMATIONS);
  }

  static fromConfig(config: LayerConfig): GELU {
    return new GELU({ approximate: config.approximate as GELUApproximation | undefined });
  }

  override toConfig(): LayerConfig {
    return { type: GELU.type, approximate: this.approximate };
  }

  override describe(): string {
    return this.approximate === 'none' ? 'GELU' : `GELU(${this.approximate})`;
  }

  protected apply(n: number, x: Float64Array, y: Float64Array): void {
    geluForward(n, this.approximate === 'tanh', x, y, this.saved());
  }

  protected gradient(n: number, x: Float64Array, _y: Float64Array, dy: Float64Array, dx: Float64Array): void {
    geluBackward(n, this.approximate === 'tanh', x, this.saved(), dy, dx);
  }
}
