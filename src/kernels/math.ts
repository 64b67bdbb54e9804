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

// The coefficients native/src/kernels/erf_coefficients.py prints (and vector_math.h
// holds): the Maclaurin series of erf(x)/x in x² below 1, and R(a) = exp(a²)·erfc(a) on
// [1, 6] as a polynomial in u = (a − 3.5)·0.4, to 1e-18.
const ERF_SERIES: readonly number[] = [
  1.0, -0.3333333333333333, 0.1, -0.023809523809523808, 0.004629629629629629, -0.0007575757575757576,
  0.00010683760683760684, -1.3227513227513228e-5, 1.4589169000933706e-6, -1.4503852223150468e-7, 1.3122532963802806e-8,
  -1.0892221037148573e-9, 8.35070279514724e-11, -5.9477940136376354e-12, 3.9554295164585257e-13, -2.466827010264457e-14,
  1.4483264643598138e-15, -8.032735012415773e-17, 4.221407288807088e-18, -2.107855191442136e-19, 1.0025164934907719e-20,
  -4.5518467589282e-22, 1.977064753877905e-23,
];
const ERFC_FACTOR: readonly number[] = [
  0.1552936556088943, -0.10330894458313122, 0.06663208245319112, -0.04176678811943208, 0.02549555964370481,
  -0.015182511545605421, 0.008833423916439384, -0.005028067969110165, 0.002803326185760575, -0.0015325157041661808,
  0.0008222552633065564, -0.0004333617707071254, 0.00022452988931137772, -0.00011444207766025678, 5.742097713023412e-5,
  -2.8377947325450628e-5, 1.3820167759781628e-5, -6.637320207597747e-6, 3.1483995696356112e-6, -1.4718707066778537e-6,
  6.724424031869324e-7, -3.070328784530874e-7, 1.4790094912799237e-7, -6.543284724793359e-8, 1.9440874775295604e-8,
  -8.79481299561748e-9, 1.025934507238396e-8, -4.210254431561821e-9, -1.2063532927234337e-9, 4.5533985224228094e-10,
  6.358860400856657e-10, -2.541288598079482e-10,
];

/**
 * Σ coefficients[i]·u^i by Estrin's scheme: pairs c[i] + c[i + 1]·u, then pairs of those
 * with u², u⁴, … — the addon's order (vector_math.h), so that both round alike.
 */
function estrin(coefficients: readonly number[], u: number): number {
  const level = coefficients.slice();
  let length = level.length;
  let power = u;
  while (length > 1) {
    const next = Math.ceil(length / 2);
    for (let i = 0; i < next; i++)
      level[i] = 2 * i + 1 < length ? level[2 * i] + level[2 * i + 1] * power : level[2 * i];
    length = next;
    power = power * power;
  }
  return level[0];
}

/**
 * The error function: 2/√π·x·S(x²) below |x| = 1; above, 1 − exp(−x²)·R(|x|) with the
 * rounding error of x² put back; ±1 from 6 on (erfc(6) < 2⁻⁵⁴). The addon computes the
 * same operations (vector_math.h). Its errors against mpmath are stated in the tests.
 */
export function erf(x: number): number {
  const a = Math.abs(x);
  let t: number;
  if (a < 1) {
    t = TWO_OVER_SQRT_PI * (a * estrin(ERF_SERIES, a * a));
  } else if (a >= 6) {
    t = 1;
  } else {
    const r = estrin(ERFC_FACTOR, (a - 3.5) * 0.4);
    const square = a * a;
    // Veltkamp's split makes a = high + low exactly, with products of halves exact too.
    const spread = 134217729 * a;
    const high = spread - (spread - a);
    const low = a - high;
    const error = high * high - square + 2 * high * low + low * low;
    t = 1 - exp(-square) * (1 - error) * r;
  }
  return x < 0 || Object.is(x, -0) ? -t : t;
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
