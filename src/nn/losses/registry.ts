// The loss types a model can be rebuilt with; a configuration's `type` names one.
// Adding a loss is one line here.

import { TypeRegistry } from '../../util/registry.js';
import type { Loss, LossConfig } from './loss.js';
import { MSELoss } from './mse-loss.js';

const losses = new TypeRegistry<(config: LossConfig) => Loss>('loss', [[MSELoss.type, MSELoss.fromConfig]]);

/** Rebuilds a loss from its `toConfig()` output; errors name `path` (default `loss`). */
export function lossFromConfig(config: unknown, path = 'loss'): Loss {
  return losses.build(config, path, (factory, loss) => factory(loss));
}
