// Runs fuzz targets with fast-check, splitting a budget of cases by weight. A failure
// throws fast-check's report: the shrunk counterexample and the seed that replays it.

import fc from 'fast-check';

/**
 * @typedef {object} FuzzTarget
 * @property {string} name
 * @property {number} weight share of the budget
 * @property {import('fast-check').Arbitrary<any>} arbitrary
 * @property {(value: any) => void | Promise<void>} check throws on a violation
 * @property {boolean} [async] whether `check` returns a promise
 */

/**
 * @param {FuzzTarget[]} targets
 * @param {{ runs: number, seed: number, onTarget?: (name: string, runs: number, ms: number) => void }} options
 * @returns {Promise<number>} the number of cases run
 */
export async function runTargets(targets, { runs, seed, onTarget }) {
  const totalWeight = targets.reduce((sum, t) => sum + t.weight, 0);
  let total = 0;
  for (const target of targets) {
    const numRuns = Math.max(1, Math.round((runs * target.weight) / totalWeight));
    const started = performance.now();
    const property = target.async
      ? fc.asyncProperty(target.arbitrary, (value) => target.check(value))
      : fc.property(target.arbitrary, (value) => {
          target.check(value);
        });
    try {
      await fc.assert(property, { numRuns, seed });
    } catch (error) {
      // fast-check keeps the violated property's own message in `cause`; lead with it.
      throw new Error(`${target.name}: ${error.cause?.message ?? 'failed'}\n${error.message}`, { cause: error });
    }
    onTarget?.(target.name, numRuns, performance.now() - started);
    total += numRuns;
  }
  return total;
}
