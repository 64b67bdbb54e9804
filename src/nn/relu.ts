import { BufferCache } from './buffers.js';
import { checkMatrix } from './check-matrix.js';
import type { Matrix } from './matrix.js';
import { Module } from './module.js';

/** relu(x) = max(x, 0) element-wise; NaN stays NaN, as in numpy and PyTorch. */
export class ReLU extends Module {
  private outputs: BufferCache | undefined;
  private inputGrads: BufferCache | undefined;
  private cols = -1;
  private output: Matrix | undefined;

  forward(x: Matrix): Matrix {
    checkMatrix('x', x);
    if (x.cols !== this.cols) {
      this.cols = x.cols;
      this.outputs = new BufferCache(x.cols);
      this.inputGrads = new BufferCache(x.cols);
    }
    const out = this.outputs!.get(x.rows);
    const src = x.data;
    const dst = out.data;
    // Branch-free: the signs of a layer's pre-activations are close to random, so a
    // branch per element (Math.max has several) is mispredicted about half the time,
    // which made this loop several times slower than the multiply. v·[v > 0] + 0 is
    // max(v, 0) for every input but −∞ (where ∞·0 gives NaN); the rarely taken test
    // restores 0 there and lets a NaN input through as NaN.
    for (let i = 0; i < dst.length; i++) {
      const v = src[i];
      const y = v * +(v > 0) + 0;
      dst[i] = Number.isNaN(y) && v < 0 ? 0 : y;
    }
    this.output = out;
    return out;
  }

  backward(gradOutput: Matrix): Matrix {
    const out = this.output;
    if (out === undefined) throw new Error('ReLU.backward() called before forward()');
    checkMatrix('gradOutput', gradOutput, { rows: out.rows, cols: out.cols });
    const grad = this.inputGrads!.get(out.rows);
    const g = gradOutput.data;
    const r = out.data;
    const dst = grad.data;
    // The output is positive exactly where the input was: no need to keep the input.
    // Branch-free as in forward: g·m with m = [r > 0]. Adding (m − 1)·(−0) turns the
    // −0 that a negative g gives where m = 0 into +0, and adds −0 (a no-op, even for
    // g = −0) where m = 1. An infinite or NaN g where m = 0 must still give 0, not
    // ∞·0 = NaN: the rarely taken test.
    for (let i = 0; i < dst.length; i++) {
      const m = +(r[i] > 0);
      const y = g[i] * m + (m - 1) * -0;
      dst[i] = !Number.isNaN(y) || m === 1 ? y : 0;
    }
    return grad;
  }
}
