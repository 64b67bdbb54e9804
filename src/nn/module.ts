import type { Matrix } from './matrix.js';
import type { Parameter } from './parameter.js';

export interface BackwardOptions {
  /**
   * Whether the gradient with respect to the module's input is wanted (default true).
   * The first layer of a network does not need it: skipping it saves a GEMM as large
   * as the forward one. When false, an empty (0-row) matrix is returned.
   */
  inputGrad?: boolean;
}

/**
 * A layer or a composition of layers. `forward` keeps what `backward` needs (a
 * reference to its input, not a copy: leave the input unchanged until `backward`).
 * Outputs and input gradients live in buffers the module owns and reuses; they are
 * overwritten by the next call, so copy them to keep them.
 */
export abstract class Module {
  abstract forward(x: Matrix): Matrix;
  abstract backward(gradOutput: Matrix, options?: BackwardOptions): Matrix;

  /** The trainable parameters, in a stable order. */
  parameters(): Parameter[] {
    return [];
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }
}
