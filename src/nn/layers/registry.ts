// The layer types a network can be rebuilt from (model files, background training,
// job queues): a configuration's `type` names one of these. Adding a layer type is
// one line here.

import { Random } from '../../random/prng.js';
import { checkDType, checkInteger, typeError } from '../../util/check.js';
import type { DType } from '../../util/dtype.js';
import { TypeRegistry } from '../../util/registry.js';
import type { LayerConfig, Module } from '../module.js';
import type { BuildContext, LayerType, ParameterShape } from './build-context.js';
import { Dropout } from './dropout.js';
import { GELU } from './gelu.js';
import { LeakyReLU } from './leaky-relu.js';
import { Linear } from './linear.js';
import { ReLU } from './relu.js';
import { Sequential } from './sequential.js';
import { Sigmoid } from './sigmoid.js';
import { Tanh } from './tanh.js';

const layers = new TypeRegistry<LayerType>('layer', [
  [Linear.type, Linear],
  [ReLU.type, ReLU],
  [Tanh.type, Tanh],
  [Sigmoid.type, Sigmoid],
  [LeakyReLU.type, LeakyReLU],
  [GELU.type, GELU],
  [Dropout.type, Dropout],
  [Sequential.type, Sequential],
]);

/**
 * Registers a layer type of your own, so that networks using it can be saved and
 * loaded in this process. `fromConfig` receives the layer's `toConfig()` output.
 * Background training rebuilds networks in a worker thread, which knows only the
 * built-in types: train such networks with `background: false`.
 */
export function registerLayer(
  type: string,
  fromConfig: (config: LayerConfig, context: BuildContext) => Module,
  parameterShapes?: LayerType['parameterShapes'],
): void {
  if (typeof fromConfig !== 'function') throw typeError('fromConfig', 'a function', fromConfig);
  if (parameterShapes !== undefined && typeof parameterShapes !== 'function') {
    throw typeError('parameterShapes', 'a function', parameterShapes);
  }
  layers.register(type, { fromConfig, parameterShapes });
}

/** Whether a layer type is built in (so that a worker thread can rebuild it). */
export function isBuiltInLayer(type: string): boolean {
  return layers.isBuiltIn(type);
}

/**
 * Builds a network from its configuration. Initial weights are drawn in layer order
 * from one generator seeded with `seed`, so the same configuration and seed give the
 * same network. Errors name the place in the configuration: `network.layers[2]`.
 */
export function layerFromConfig(
  config: unknown,
  options: { seed?: number; path?: string; dtype?: DType } = {},
): Module {
  const random = new Random(checkInteger('seed', options.seed ?? 0, -(2 ** 31), 2 ** 32 - 1));
  const dtype = checkDType('dtype', options.dtype ?? 'float64');
  const build = (entry: unknown, path: string): Module =>
    layers.build(entry, path, (layerType, layer) => layerType.fromConfig(layer, { random, path, build, dtype }));
  return build(config, options.path ?? 'network');
}

/**
 * The parameters a configuration would allocate, by dotted name, without building
 * it; undefined when a registered type of the user's own does not say.
 */
export function parameterShapesOf(config: unknown, path = 'network'): ParameterShape[] | undefined {
  let unknown = false;
  const shapes = (entry: unknown, where: string): ParameterShape[] =>
    layers.build(entry, where, (layerType, layer) => {
      if (layerType.parameterShapes === undefined) {
        if (!layers.isBuiltIn(layer.type)) unknown = true;
        return [];
      }
      return layerType.parameterShapes(layer, { path: where, shapes });
    });
  const result = shapes(config, path);
  return unknown ? undefined : result;
}
