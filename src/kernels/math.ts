// Functions the kernels' references need that JavaScript's Math lacks. The addon
// uses libm's erf instead (native/src/kernels/activations.cc): the two agree to a
// few units in the last place, which the kernel tests state as their tolerance.

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

// erf(x) = 2/√π · Σ (−1)ⁿ x²ⁿ⁺¹ / (n!·(2n + 1)): below 1, 22 terms reach 1e-20.
const SERIES_TERMS = 22;
const SERIES: readonly number[] = (() => {
  const coefficients: number[] = [];
  let factorial = 1;
  for (let n = 0; n <= SERIES_TERMS; n++) {
    if (n > 0) factorial *= n;
    coefficients.push((n % 2 === 1 ? -1 : 1) / (factorial * (2 * n + 1)));
  }
  return coefficients;
})();

/**
 * The error function, within 2 units in the last place of the exact value below
 * |x| = 1 and within 1 above (checked against 200-bit mpmath values in the tests):
 * the Maclaurin series below 1, and 1 − erfc(x) above, with erfc from Laplace's
 * continued fraction, which converges the faster the larger x is.
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (!(a < 6)) return Number.isNaN(x) ? x : Math.sign(x); // erfc(6) < 2⁻⁵⁴: erf rounds to ±1
  if (a < 1) {
    const z = x * x;
    let sum = SERIES[SERIES_TERMS];
    for (let n = SERIES_TERMS - 1; n >= 0; n--) sum = sum * z + SERIES[n];
    return TWO_OVER_SQRT_PI * (x * sum);
  }
  // erfc(a) = exp(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + …)))), evaluated from the
  // bottom up: 320 levels for a below 2, fewer further out, reach 1e-17 relative.
  const levels = a < 2 ? 320 : a < 3 ? 80 : 40;
  let tail = 0;
  for (let k = levels; k >= 1; k--) tail = k / 2 / (a + tail);
  const erfc = (ONE_OVER_SQRT_PI * expOfMinusSquare(a)) / (a + tail);
  return x < 0 ? erfc - 1 : 1 - erfc;
}

/** exp(−a²), with the rounding error of a² put back (it is a²·2⁻⁵³, which exp would magnify by a²). */
function expOfMinusSquare(a: number): number {
  const square = a * a;
  // Veltkamp's split makes a = high + low exactly, with products of halves exact too.
  const spread = 134217729 * a;
  const high = spread - (spread - a);
  const low = a - high;
  const error = high * high - square + 2 * high * low + low * low;
  return Math.exp(-square) * (1 - error);
}

/**
 * base^exponent for a whole exponent >= 0 by repeated squaring: a few roundings
 * (about log₂ of the exponent), and the same ones in the addon (Powi in
 * native/src/kernels/optimizers.cc), so native and reference agree bit for bit.
 */
export function powi(base: number, exponent: number): number {
  let result = 1;
  let square = base;
  let e = exponent;
  while (e > 0) {
    const half = Math.floor(e / 2);
    if (e !== 2 * half) result *= square;
    square *= square;
    e = half;
  }
  return result;
}
