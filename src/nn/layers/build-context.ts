import type { Random } from '../../random/prng.js';
import type { DType } from '../../util/dtype.js';
import type { LayerConfig, Module } from '../module.js';

/** What a layer type's `fromConfig` is given besides its own configuration. */
export interface BuildContext {
  /** The generator every layer of one network draws its initial weights from, in order. */
  readonly random: Random;
  /** Where the configuration sits, for messages: `network`, `network.layers[2]`. */
  readonly path: string;
  /** The element type of every layer of the network (the model configuration's). */
  readonly dtype: DType;
  /** Builds a nested layer, for containers such as Sequential. */
  build(config: unknown, path: string): Module;
}

/** A parameter's dotted name and its shape, as `toConfig()` output implies them. */
export type ParameterShape = readonly [name: string, rows: number, cols: number];

/** What a layer type's `parameterShapes` is given besides its own configuration. */
export interface ShapeContext {
  /** Where the configuration sits, for messages: `network`, `network.layers[2]`. */
  readonly path: string;
  /** The parameter shapes of a nested layer, for containers. */
  shapes(config: unknown, path: string): ParameterShape[];
}

/**
 * A layer type: how to rebuild one from its configuration, and which parameters
 * that will allocate — read off the configuration alone, so that a model file can
 * be checked against its stored tensors before anything is allocated.
 */
export interface LayerType {
  /** Builds a layer from its `toConfig()` output; throws a TypeError or RangeError naming a bad option. */
  fromConfig(config: LayerConfig, context: BuildContext): Module;
  /** Omitted for types without parameters. */
  parameterShapes?(config: LayerConfig, context: ShapeContext): ParameterShape[];
}
