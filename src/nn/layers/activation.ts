import { typeError } from '../../util/check.js';
import type { DType, FloatArray } from '../../util/dtype.js';
import { BufferCache } from '../buffers.js';
import { checkMatrix } from '../check-matrix.js';
import type { AnyMatrix } from '../matrix.js';
import { Module } from '../module.js';

/** What every element-wise layer takes. */
export interface ActivationOptions {
  /** The element type of the input and the output (default 'float64'). */
  dtype?: DType;
}

/** An element-wise layer's options object (or nothing), checked to be an object. */
export function checkActivationOptions<T extends ActivationOptions>(options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
  return options;
}

/**
 * What the element-wise activations share: an output and an input-gradient buffer per
 * batch size, the shape checks, and the input and output kept for the backward pass.
 * A subclass names its two kernels.
 */
export abstract class Activation extends Module {
  private outputs: BufferCache | undefined;
  private inputGrads: BufferCache | undefined;
  private savedValues: BufferCache | undefined;
  private cols = -1;
  private rows = 0;
  private input: AnyMatrix | undefined;
  private output: AnyMatrix | undefined;

  /** y = f(x) over n elements. */
  protected abstract apply(n: number, x: FloatArray, y: FloatArray): void;
  /** dx = f′·dy over n elements, from the input x or the output y of the forward pass. */
  protected abstract gradient(n: number, x: FloatArray, y: FloatArray, dy: FloatArray, dx: FloatArray): void;

  forward(x: AnyMatrix): AnyMatrix {
    checkMatrix('x', x, { dtype: this.dtype });
    if (x.cols !== this.cols) {
      this.cols = x.cols;
      this.outputs = new BufferCache(x.cols, 0, 4, this.dtype);
      this.inputGrads = new BufferCache(x.cols, 0, 4, this.dtype);
      this.savedValues = undefined;
    }
    const out = this.outputs!.get(x.rows);
    this.rows = x.rows;
    this.apply(x.data.length, x.data, out.data);
    this.input = x;
    this.output = out;
    return out;
  }

  /**
   * A buffer of the last forward pass's shape, for what it keeps for the backward pass
   * (GELU's Φ(x)): the same array in both passes of a batch.
   */
  protected saved(): FloatArray {
    this.savedValues ??= new BufferCache(this.cols, 0, 4, this.dtype);
    return this.savedValues.get(this.rows).data;
  }

  backward(gradOutput: AnyMatrix): AnyMatrix {
    const { input, output } = this;
    if (input === undefined || output === undefined) {
      throw new Error(`${this.constructor.name}.backward() called before forward()`);
    }
    checkMatrix('gradOutput', gradOutput, { rows: output.rows, cols: output.cols, dtype: this.dtype });
    const grad = this.inputGrads!.get(output.rows);
    this.gradient(output.data.length, input.data, output.data, gradOutput.data, grad.data);
    return grad;
  }
}
