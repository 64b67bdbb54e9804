// Central-difference gradient checking. For a smooth f, (f(θ+ε) − f(θ−ε)) / 2ε has
// truncation error O(ε²·f''') and rounding error O(u·|f| / ε); ε = 1e-6 balances the
// two at about 1e-10 relative for the O(1) values used here, four orders of magnitude
// below the 1e-6 the tests demand, while a wrong gradient (a missing factor 2, a
// transposed product, a dropped bias term) is off by O(1).

export const EPSILON = 1e-6;

/** |a − b| relative to the larger magnitude, with a floor so exact zeros compare sanely. */
export function relativeError(a: number, b: number, floor = 1e-8): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

/**
 * The largest relative error between `analytic` and the numerical gradient of `f`
 * with respect to every entry of `theta` (perturbed in place and restored).
 */
export function maxGradientError(f: () => number, theta: Float64Array, analytic: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < theta.length; i++) {
    const saved = theta[i];
    theta[i] = saved + EPSILON;
    const up = f();
    theta[i] = saved - EPSILON;
    const down = f();
    theta[i] = saved;
    const numeric = (up - down) / (2 * EPSILON);
    worst = Math.max(worst, relativeError(analytic[i], numeric));
  }
  return worst;
}

/** Σ G ⊙ Y: a scalar objective whose gradient with respect to Y is exactly G. */
export function weightedSum(y: Float64Array, g: Float64Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i] * g[i];
  return s;
}

/**
 * Like maxGradientError, but each error is taken relative to the gradient's largest
 * entry rather than to the entry itself: where a gradient spans orders of magnitude
 * (a saturating tanh, a softmax far from uniform), the difference quotient's rounding
 * error, O(u·|f| / ε), is the same absolute amount for its smallest entries as for
 * its largest, and only the latter set the scale it should be judged against.
 */
export function maxGradientErrorToScale(f: () => number, theta: Float64Array, analytic: Float64Array): number {
  let scale = 0;
  for (const g of analytic) scale = Math.max(scale, Math.abs(g));
  let worst = 0;
  for (let i = 0; i < theta.length; i++) {
    const saved = theta[i];
    theta[i] = saved + EPSILON;
    const up = f();
    theta[i] = saved - EPSILON;
    const down = f();
    theta[i] = saved;
    const numeric = (up - down) / (2 * EPSILON);
    worst = Math.max(worst, Math.abs(analytic[i] - numeric) / Math.max(scale, 1e-8));
  }
  return worst;
}
