// Whether two implementations computed the same thing: each peer reports the losses of
// a few steps or epochs run from the shared starting point, and these must match the
// reference's (the C loop's) to within what the arithmetic explains.

/**
 * How far a peer's losses may stray from the reference's, relatively. float64 peers
 * differ only in the order of their additions (about 1e-15 per step, growing slowly
 * over the steps compared); float32 peers round every operation to 24 bits.
 */
export const LOSS_TOLERANCE = { f64: 1e-9, f32: 1e-3 };

/** The largest relative difference between a peer's losses and the reference's; Infinity if their counts differ. */
export function lossDeviation(losses, reference) {
  if (losses.length !== reference.length) return Number.POSITIVE_INFINITY;
  let worst = 0;
  for (let i = 0; i < losses.length; i++) {
    const deviation = Math.abs(losses[i] - reference[i]) / Math.abs(reference[i]);
    // A NaN loss is no agreement at all.
    worst = Number.isNaN(deviation) ? Number.POSITIVE_INFINITY : Math.max(worst, deviation);
  }
  return worst;
}

/**
 * The verdict on every run of one peer: { ok, deviation, text } with the worst
 * deviation over the runs, or { ok: true, text: 'n/a' } when there is nothing to
 * compare (no reference, or no runs).
 */
export function lossAgreement(runs, reference, precision) {
  if (!reference || runs.length === 0) return { ok: true, text: 'n/a' };
  const deviation = Math.max(...runs.map((r) => lossDeviation(r.checkLosses ?? [], reference)));
  const ok = deviation <= LOSS_TOLERANCE[precision];
  return { ok, deviation, text: `${ok ? '✓' : '✗'} ${deviation === 0 ? '0' : deviation.toExponential(0)}` };
}
