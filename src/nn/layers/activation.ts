import { BufferCache } from '../buffers.js';
import { checkMatrix } from '../check-matrix.js';
import type { Matrix } from '../matrix.js';
import { Module } from '../module.js';

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
  private input: Matrix | undefined;
  private output: Matrix | undefined;

  /** y = f(x) over n elements. */
  protected abstract apply(n: number, x: Float64Array, y: Float64Array): void;
  /** dx = f′·dy over n elements, from the input x or the output y of the forward pass. */
  protected abstract gradient(n: number, x: Float64Array, y: Float64Array, dy: Float64Array, dx: Float64Array): void;

  forward(x: Matrix): Matrix {
    checkMatrix('x', x);
    if (x.cols !== this.cols) {
      this.cols = x.cols;
      this.outputs = new BufferCache(x.cols);
      this.inputGrads = new BufferCache(x.cols);
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
  protected saved(): Float64Array {
    this.savedValues ??= new BufferCache(this.cols);
    return this.savedValues.get(this.rows).data;
  }

  backward(gradOutput: Matrix): Matrix {
    const { input, output } = this;
    if (input === undefined || output === undefined) {
      throw new Error(`${this.constructor.name}.backward() called before forward()`);
    }
    checkMatrix('gradOutput', gradOutput, { rows: output.rows, cols: output.cols });
    const grad = this.inputGrads!.get(output.rows);
    this.gradient(output.data.length, input.data, output.data, gradOutput.data, grad.data);
    return grad;
  }
}
