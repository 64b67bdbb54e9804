import type { Random } from '../random/prng.js';
import { checkOneOf } from '../util/check.js';

/**
 * Weight initialisations. 'he' is Kaiming-normal for the ReLU family, N(0, 2 / fanIn),
 * which keeps activations at unit scale through the layers. 'xavier' is Glorot-normal,
 * N(0, 2 / (fanIn + fanOut)), which keeps them in the linear range of tanh and the
 * sigmoid. 'post' is the plain N(0, 1) of the reference blog post, which is far too
 * large for wide layers and, with summed squared error and lr = 1e-2, makes training
 * diverge.
 */
export type InitScheme = 'he' | 'xavier' | 'post';

export const INIT_SCHEMES: readonly InitScheme[] = ['he', 'xavier', 'post'];

export function checkInit(name: string, value: unknown): InitScheme {
  return checkOneOf(name, value, INIT_SCHEMES);
}

/** Fills a fanIn × (out.length / fanIn) weight matrix with the scheme's normal deviates. */
export function initWeights(out: Float32Array | Float64Array, fanIn: number, scheme: InitScheme, random: Random): void {
  const fanOut = out.length / fanIn;
  const scale = scheme === 'he' ? Math.sqrt(2 / fanIn) : scheme === 'xavier' ? Math.sqrt(2 / (fanIn + fanOut)) : 1;
  random.fillNormal(out, scale);
}
