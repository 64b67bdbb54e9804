import { typeError } from '../util/check.js';
import type { Matrix } from './matrix.js';
import { type BackwardOptions, Module } from './module.js';
import type { Parameter } from './parameter.js';

const SKIP_INPUT_GRAD: BackwardOptions = { inputGrad: false };

/** Modules applied in order; backward runs them in reverse. */
export class Sequential extends Module {
  readonly modules: readonly Module[];
  private readonly params: Parameter[];

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw typeError(`modules[${i}]`, 'a Module', m);
    });
    this.modules = modules;
    this.params = modules.flatMap((m) => m.parameters());
  }

  override parameters(): Parameter[] {
    return this.params;
  }

  forward(x: Matrix): Matrix {
    let out = x;
    for (const m of this.modules) out = m.forward(out);
    return out;
  }

  backward(gradOutput: Matrix, options?: BackwardOptions): Matrix {
    let grad = gradOutput;
    for (let i = this.modules.length - 1; i >= 0; i--) {
      grad = this.modules[i].backward(grad, i === 0 ? options : undefined);
    }
    return grad;
  }

  /** Backward pass that computes parameter gradients only (the network's input needs none). */
  backwardParameters(gradOutput: Matrix): void {
    this.backward(gradOutput, SKIP_INPUT_GRAD);
  }
}
