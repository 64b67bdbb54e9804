// The initialisation a Linear layer gets, in a network built from its configuration,
// when the configuration names none: the one suited to the activation it feeds (He for
// the ReLU family, Xavier/Glorot for Tanh and Sigmoid), or, for the last layer of a
// Sequential, which feeds none, to the activation before it. Dropout between the two is
// looked through; any other neighbour, or none, leaves He. A Linear layer built by hand
// keeps its own `init` option (default 'he').

import type { InitScheme } from '../init.js';
import { Dropout } from './dropout.js';
import { GELU } from './gelu.js';
import { LeakyReLU } from './leaky-relu.js';
import { Linear } from './linear.js';
import { ReLU } from './relu.js';
import { Sigmoid } from './sigmoid.js';
import { Tanh } from './tanh.js';

const ACTIVATION_INITS: ReadonlyMap<unknown, InitScheme> = new Map([
  [ReLU.type, 'he'],
  [LeakyReLU.type, 'he'],
  [GELU.type, 'he'],
  [Tanh.type, 'xavier'],
  [Sigmoid.type, 'xavier'],
]);

function typeOf(config: unknown): unknown {
  return typeof config === 'object' && config !== null ? (config as { type?: unknown }).type : undefined;
}

/** The type of the first layer from layers[at] in direction `step` (±1) that is not Dropout; undefined past the end. */
function neighbourType(layers: readonly unknown[], at: number, step: 1 | -1): unknown {
  for (let i = at + step; i >= 0 && i < layers.length; i += step) {
    const type = typeOf(layers[i]);
    if (type !== Dropout.type) return type;
  }
  return undefined;
}

/** The layer configurations of a Sequential, each Linear one without an `init` given the default above. */
export function withDefaultInits(layers: readonly unknown[]): unknown[] {
  return layers.map((layer, i) => {
    if (typeOf(layer) !== Linear.type || (layer as { init?: unknown }).init !== undefined) return layer;
    const next = neighbourType(layers, i, 1);
    const activation = next === undefined ? neighbourType(layers, i, -1) : next;
    return { ...(layer as object), init: ACTIVATION_INITS.get(activation) ?? 'he' };
  });
}
