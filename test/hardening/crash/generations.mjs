// The model the crash-safety check saves over and over, and the weights of each
// generation: entry i of every tensor holds generation + i·2⁻²⁰, so one generation's
// file cannot be mistaken for another's, nor for a mixture of two.

/** Large enough (about 130 KB on disk) that a kill often lands mid-write. */
export const CONFIG = { inputSize: 64, hiddenSize: 256, outputSize: 1, seed: 5 };

export function weightFor(generation, index) {
  return generation + index * 2 ** -20;
}

/** @param {Record<string, Float64Array>} shapeLike a state dict giving the tensors' names and lengths */
export function weightsFor(generation, shapeLike) {
  return Object.fromEntries(
    Object.entries(shapeLike).map(([name, values]) => [name, values.map((_, i) => weightFor(generation, i))]),
  );
}

/** @returns {string | undefined} why `state` is not exactly generation `generation`'s weights */
export function mismatch(state, generation) {
  for (const [name, values] of Object.entries(state)) {
    for (let i = 0; i < values.length; i++) {
      if (!Object.is(values[i], weightFor(generation, i))) {
        return `${name}[${i}] = ${values[i]}, generation ${generation} has ${weightFor(generation, i)}`;
      }
    }
  }
  return undefined;
}
