// The loss types a model can be rebuilt with; a configuration's `type` names one.
// Adding a loss is one line here.

import { TypeRegistry } from '../../util/registry.js';
import { BCEWithLogitsLoss } from './bce-with-logits-loss.js';
import { CrossEntropyLoss } from './cross-entropy-loss.js';
import { HuberLoss } from './huber-loss.js';
import { L1Loss } from './l1-loss.js';
import type { Loss, LossConfig } from './loss.js';
import { MSELoss } from './mse-loss.js';

const losses = new TypeRegistry<(config: LossConfig) => Loss>('loss', [
  [MSELoss.type, MSELoss.fromConfig],
  [L1Loss.type, L1Loss.fromConfig],
  [HuberLoss.type, HuberLoss.fromConfig],
  [BCEWithLogitsLoss.type, BCEWithLogitsLoss.fromConfig],
  [CrossEntropyLoss.type, CrossEntropyLoss.fromConfig],
]);

/** Rebuilds a loss from its `toConfig()` output; errors name `path` (default `loss`). */
export function lossFromConfig(config: unknown, path = 'loss'): Loss {
  return losses.build(config, path, (factory, loss) => factory(loss));
}
