// Functions the kernels' references compute themselves. exp, tanh and the sigmoid
// perform, on the same constants, exactly the operations of the addon's
// native/src/kernels/vector_math.h (written so that it runs two doubles at a time),
// so native and reference agree bit for bit. erf is JavaScript's own (Math has none):
// the addon takes libm's, and the two agree to a few units in the last place, which
// the kernel tests state as their tolerance.

const LOG2E = Math.LOG2E;
/** 1.5·2^52: adding it rounds a double of magnitude below 2^51 to an integer. */
const SHIFT = 6755399441055744.0;
/** ln 2 to 32 bits (k·LN2_HI is exact for |k| < 2^21), and the rest. */
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const EXP_LOW = -746;
const EXP_HIGH = 710;
/** 1/n! for n = 1 … 13, each the double nearest it (the addon's literals). */
const [C1, C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13] = [
  1.0, 0.5, 0.16666666666666666, 0.041666666666666664, 0.008333333333333333, 0.001388888888888889,
  0.0001984126984126984, 2.48015873015873e-5, 2.7557319223985893e-6, 2.755731922398589e-7, 2.505210838544172e-8,
  2.08767569878681e-9, 1.6059043836821613e-10,
];
/** tanh is 1 to the last bit from 22 on; expm1 is not evaluated beyond 44. */
const TANH_SATURATION = 22;
const EXPM1_HIGH = 44;

/** 2^k for integers k in [−1100, 1100], by doubling and halving (exact), as the addon builds them from bits. */
const POWERS_OF_TWO_OFFSET = 1100;
const POWERS_OF_TWO: Float64Array = (() => {
  const powers = new Float64Array(2 * POWERS_OF_TWO_OFFSET + 1);
  powers[POWERS_OF_TWO_OFFSET] = 1;
  for (let k = 1; k <= POWERS_OF_TWO_OFFSET; k++) {
    powers[POWERS_OF_TWO_OFFSET + k] = powers[POWERS_OF_TWO_OFFSET + k - 1] * 2;
    powers[POWERS_OF_TWO_OFFSET - k] = powers[POWERS_OF_TWO_OFFSET - k + 1] / 2;
  }
  return powers;
})();

function powerOfTwo(k: number): number {
  return POWERS_OF_TWO[k + POWERS_OF_TWO_OFFSET] ?? Number.NaN;
}

/** x = k·ln 2 + r with |r| <= ln 2 / 2 (Cody and Waite): k, integer-valued. */
function reduce(x: number): number {
  return x * LOG2E + SHIFT - SHIFT;
}

/** e^r − 1 for |r| <= ln 2 / 2: r times the Taylor polynomial of degree 12, by Estrin's scheme, as the addon. */
function expm1Reduced(r: number): number {
  const r2 = r * r;
  const r4 = r2 * r2;
  const r8 = r4 * r4;
  const b0 = C1 + C2 * r + (C3 + C4 * r) * r2;
  const b1 = C5 + C6 * r + (C7 + C8 * r) * r2;
  const b2 = C9 + C10 * r + (C11 + C12 * r) * r2;
  return r * (b0 + b1 * r4 + (b2 + C13 * r4) * r8);
}

/**
 * e^x (0 below −745.2, ∞ above 709.8): 1 + (e^r − 1) scaled by 2^k in two factors, so
 * that neither overflows nor underflows before the last product.
 */
export function exp(x: number): number {
  if (x < EXP_LOW) x = EXP_LOW;
  if (x > EXP_HIGH) x = EXP_HIGH;
  const k = reduce(x);
  const r = x - k * LN2_HI - k * LN2_LO;
  const p = 1 + expm1Reduced(r);
  const half = k * 0.5 + SHIFT - SHIFT;
  return p * powerOfTwo(half) * powerOfTwo(k - half);
}

/** e^u − 1 for u in [0, 44] or NaN: 2^k·(e^r − 1) + (2^k − 1), exact in relative terms near 0. */
function expm1(u: number): number {
  const k = reduce(u);
  const r = u - k * LN2_HI - k * LN2_LO;
  const scale = powerOfTwo(k);
  return scale * expm1Reduced(r) + (scale - 1);
}

/** tanh(x) = m/(m + 2) with m = e^(2|x|) − 1, 1 from |x| = 22 on, with the sign of x (−0 for −0). */
export function tanh(x: number): number {
  const a = Math.abs(x);
  const e = expm1(Math.min(a * 2, EXPM1_HIGH));
  const t = a > TANH_SATURATION ? 1 : e / (e + 2);
  return x < 0 || Object.is(x, -0) ? -t : t;
}

/** 1 / (1 + e^−x), as PyTorch computes the sigmoid. */
export function sigmoid(x: number): number {
  return 1 / (1 + exp(-x));
}

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
