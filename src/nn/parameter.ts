import type { DType, FloatArray } from '../util/dtype.js';
import { Matrix } from './matrix.js';

/**
 * A trainable tensor and its gradient. Gradients accumulate across backward passes,
 * as in PyTorch, until `zeroGrad()`. Zeroing is lazy: it only marks the gradient as
 * cleared, and the next backward pass overwrites it (BLAS beta = 0) instead of adding
 * to it — so clearing costs nothing on the training hot path.
 */
export class Parameter {
  /** The parameter's local name in its layer (`"weight"`, `"bias"`). */
  readonly name: string;
  /** The current values, which the optimizer updates in place. */
  readonly value: Matrix<FloatArray>;
  /** The gradient's storage, without the lazy zeroing of `grad`; for layers. */
  readonly gradient: Matrix<FloatArray>;
  private cleared = true;

  /** A zeroed parameter and gradient of `dtype` (default 'float64'). */
  constructor(name: string, rows: number, cols: number, dtype: DType = 'float64') {
    this.name = name;
    this.value = new Matrix<FloatArray>(rows, cols, { dtype });
    this.gradient = new Matrix<FloatArray>(rows, cols, { dtype });
  }

  /** The element type of the value, the gradient and every optimizer buffer kept for it. */
  get dtype(): DType {
    return this.value.dtype;
  }

  /** The accumulated gradient (zeros after `zeroGrad()` until the next backward pass). */
  get grad(): Matrix<FloatArray> {
    if (this.cleared) {
      this.gradient.data.fill(0);
      this.cleared = false;
    }
    return this.gradient;
  }

  /** Whether no gradient has been accumulated since the last `zeroGrad()`. */
  get hasGrad(): boolean {
    return !this.cleared;
  }

  /** Clears the gradient (lazily: the next backward pass overwrites instead of adding). */
  zeroGrad(): void {
    this.cleared = true;
  }

  /**
   * For a layer about to write a gradient contribution into `gradient`: the BLAS beta
   * to use, 0 to overwrite a cleared gradient or 1 to accumulate.
   */
  accumulateBeta(): 0 | 1 {
    const beta = this.cleared ? 0 : 1;
    this.cleared = false;
    return beta;
  }
}
