// Order statistics for timing samples. Medians and quartiles rather than means:
// on a shared machine the noise is one-sided (a sample is only ever slowed down by a
// neighbour), so the mean drifts with the load while the median stays put.

/** The q-quantile (0..1) of `values`, by linear interpolation between order statistics. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.ceil(at);
  return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
}

export function median(values) {
  return quantile(values, 0.5);
}

/**
 * Median and spread of a set of samples. The spread is the interquartile range as a
 * percentage of the median: how far apart the middle half of the blocks lie.
 */
export function summarize(values) {
  const mid = median(values);
  const iqr = quantile(values, 0.75) - quantile(values, 0.25);
  return {
    median: mid,
    min: Math.min(...values),
    max: Math.max(...values),
    spreadPct: (100 * iqr) / mid,
    samples: values.length,
  };
}

/**
 * The ratio of two peers measured side by side: the median over rounds of the ratio
 * of their medians within a round (each round compares the two under the same load),
 * with the lowest and highest per-round ratio to show how much the comparison moved.
 */
export function pairedRatio(roundsA, roundsB) {
  const perRound = [];
  for (let r = 0; r < Math.min(roundsA.length, roundsB.length); r++) {
    if (roundsA[r].length > 0 && roundsB[r].length > 0) perRound.push(median(roundsA[r]) / median(roundsB[r]));
  }
  return { ratio: median(perRound), low: Math.min(...perRound), high: Math.max(...perRound), rounds: perRound.length };
}
