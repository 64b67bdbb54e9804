// The optimizer types a model can be rebuilt with; a configuration's `type` names
// one. Adding an optimizer is one line here.

import type { Parameter } from '../nn/parameter.js';
import { TypeRegistry } from '../util/registry.js';
import { Adam, AdamW } from './adam.js';
import type { Optimizer, OptimizerConfig } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

type OptimizerFactory = (config: OptimizerConfig, parameters: Iterable<Parameter>) => Optimizer;

const optimizers = new TypeRegistry<OptimizerFactory>('optimizer', [
  [SGD.type, SGD.fromConfig],
  [Adam.type, Adam.fromConfig],
  [AdamW.type, AdamW.fromConfig],
  [RMSprop.type, RMSprop.fromConfig],
]);

/** Rebuilds an optimizer over `parameters` from its `toConfig()` output; errors name `path`. */
export function optimizerFromConfig(config: unknown, parameters: Iterable<Parameter>, path = 'optimizer'): Optimizer {
  return optimizers.build(config, path, (factory, optimizer) => factory(optimizer as OptimizerConfig, parameters));
}
