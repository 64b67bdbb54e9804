import type { Random } from '../random/prng.js';
import { checkOneOf } from '../util/check.js';

/**
 * Weight initialisations. 'he' is Kaiming-normal for ReLU networks, N(0, 2 / fanIn),
 * which keeps activations at unit scale through the layers. 'post' is the plain
 * N(0, 1) of the reference blog post, which is far too large for wide layers and,
 * with summed squared error and lr = 1e-2, makes training diverge.
 */
export type InitScheme = 'he' | 'post';

export const INIT_SCHEMES: readonly InitScheme[] = ['he', 'post'];

export function checkInit(name: string, value: unknown): InitScheme {
  return checkOneOf(name, value, INIT_SCHEMES);
}

export function initWeights(out: Float64Array, fanIn: number, scheme: InitScheme, random: Random): void {
  random.fillNormal(out, scheme === 'he' ? Math.sqrt(2 / fanIn) : 1);
}
