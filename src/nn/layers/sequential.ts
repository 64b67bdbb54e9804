import { rangeError, typeError } from '../../util/check.js';
import type { DType } from '../../util/dtype.js';
import type { AnyMatrix } from '../matrix.js';
import { type BackwardOptions, type LayerConfig, Module } from '../module.js';
import type { Parameter } from '../parameter.js';
import type { BuildContext, ParameterShape, ShapeContext } from './build-context.js';
import { withDefaultInits } from './initialisation.js';

const SKIP_INPUT_GRAD: BackwardOptions = { inputGrad: false };

/**
 * Modules applied in order; backward runs them in reverse. Built only from modules
 * whose sizes chain (each one's input width is the previous one's output width), and
 * each module at most once: a layer reused in two places would be updated twice per
 * step and its backward pass would see only its last input, so weight sharing is
 * refused rather than silently trained wrong. As PyTorch's nn.Sequential, its
 * parameters are named by position: `"0.weight"`, `"2.bias"`.
 *
 * @throws TypeError when an argument is not a {@link Module}; RangeError, naming both
 *   layers, when the widths do not chain or a module or parameter appears twice.
 *
 * @example
 * ```ts
 * const network = new Sequential(new Linear(10, 64), new ReLU(), new Linear(64, 1));
 * network.namedParameters().map(([name]) => name); // ['0.weight', '0.bias', '2.weight', '2.bias']
 * ```
 */
export class Sequential extends Module {
  /** The name of this layer type in configurations: `{ type: 'Sequential', … }`. */
  static readonly type = 'Sequential';
  /** The modules, in the order they run (frozen). */
  readonly modules: readonly Module[];
  private readonly firstInputFeatures: number | undefined;

  constructor(...modules: Module[]) {
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) throw typeError(`modules[${i}]`, 'a Module', m);
    });
    super(commonDtype(modules));
    checkUsedOnce(modules);
    this.firstInputFeatures = checkChaining(modules);
    this.modules = Object.freeze([...modules]);
  }

  /** Rebuilds a Sequential from its `toConfig()` output (what the layer registry calls). */
  static fromConfig(config: LayerConfig, context: BuildContext): Sequential {
    const { layers } = config;
    if (!Array.isArray(layers)) throw typeError(`${context.path}.layers`, 'an array of layer configurations', layers);
    return new Sequential(
      ...withDefaultInits(layers).map((layer, i) => context.build(layer, `${context.path}.layers[${i}]`)),
    );
  }

  /** The parameter shapes of every nested layer, under their dotted names, for the layer registry. */
  static parameterShapes(config: LayerConfig, context: ShapeContext): ParameterShape[] {
    const { layers } = config;
    if (!Array.isArray(layers)) throw typeError(`${context.path}.layers`, 'an array of layer configurations', layers);
    return layers.flatMap((layer, i) =>
      context
        .shapes(layer, `${context.path}.layers[${i}]`)
        .map(([name, rows, cols]): ParameterShape => [`${i}.${name}`, rows, cols]),
    );
  }

  override get inputFeatures(): number | undefined {
    return this.firstInputFeatures;
  }

  override outputFeatures(inputFeatures: number): number {
    return this.modules.reduce((features, m) => m.outputFeatures(features), inputFeatures);
  }

  override children(): [string, Module][] {
    return this.modules.map((m, i) => [String(i), m]);
  }

  override toConfig(): LayerConfig {
    return { type: Sequential.type, layers: this.modules.map((m) => m.toConfig()) };
  }

  forward(x: AnyMatrix): AnyMatrix {
    let out = x;
    for (const m of this.modules) out = m.forward(out);
    return out;
  }

  backward(gradOutput: AnyMatrix, options?: BackwardOptions): AnyMatrix {
    let grad = gradOutput;
    for (let i = this.modules.length - 1; i >= 0; i--) {
      grad = this.modules[i].backward(grad, i === 0 ? options : undefined);
    }
    return grad;
  }

  /** Backward pass that computes parameter gradients only (the network's input needs none). */
  backwardParameters(gradOutput: AnyMatrix): void {
    this.backward(gradOutput, SKIP_INPUT_GRAD);
  }
}

/**
 * The dtype all the modules share (float64 for none): a module of another dtype than
 * the first is a TypeError naming it, as a network never converts between layers.
 */
function commonDtype(modules: readonly Module[]): DType {
  const dtype = modules[0]?.dtype ?? 'float64';
  modules.forEach((m, i) => {
    if (m.dtype !== dtype) {
      throw typeError(`modules[${i}]`, `a ${dtype} module, as modules[0] is`, m, `${m.describe()} is ${m.dtype}`);
    }
  });
  return dtype;
}

/** Refuses a module, or a parameter, that appears twice anywhere in the tree. */
function checkUsedOnce(modules: readonly Module[]): void {
  const seenModules = new Map<Module, string>();
  const seenParameters = new Map<Parameter, string>();
  const visit = (m: Module, where: string) => {
    const earlier = seenModules.get(m);
    if (earlier !== undefined) {
      throw rangeError(
        where,
        'a module used once',
        m,
        `${m.describe()} is also ${earlier}; weight sharing is not supported`,
      );
    }
    seenModules.set(m, where);
    for (const [name, p] of m.namedParameters()) {
      const owner = seenParameters.get(p);
      const at = `${where}.${name}`;
      if (owner !== undefined && owner !== at) {
        throw rangeError(where, 'a module whose parameters no other module holds', m, `${at} is also ${owner}`);
      }
      seenParameters.set(p, at);
    }
    for (const [name, child] of m.children()) visit(child, `${where}.${name}`);
  };
  modules.forEach((m, i) => {
    visit(m, `modules[${i}]`);
  });
}

/**
 * Checks that each module takes the features the one before it puts out, and returns
 * the features the first sized module needs (undefined if no module has a size).
 */
function checkChaining(modules: readonly Module[]): number | undefined {
  let features: number | undefined;
  let first: number | undefined;
  let producer: string | undefined;
  modules.forEach((m, i) => {
    const wanted = m.inputFeatures;
    if (wanted !== undefined && features !== undefined && wanted !== features) {
      throw rangeError(
        `modules[${i}]`,
        `a module taking the ${features} features that ${producer} puts out`,
        m,
        `${m.describe()} takes ${wanted}`,
      );
    }
    if (features === undefined && wanted !== undefined) {
      first ??= wanted;
      features = wanted;
    }
    if (features !== undefined) {
      features = m.outputFeatures(features);
      producer = `modules[${i}] ${m.describe()}`;
    }
  });
  return first;
}
