// How far two correct BLAS implementations may differ, element by element.
//
// For y = alpha·(inner product of length k) + beta·y in floating point, whatever the
// summation order, blocking or use of fused multiply-add, the standard forward error
// bound (Higham, "Accuracy and Stability of Numerical Algorithms", §3.1 and §3.5) is
//
//   |ŷ − y| <= γ(k+2) · (|alpha|·(|A|·|B|)_ij + |beta|·|y_ij|),   γ(n) = n·u / (1 − n·u),
//
// with u = 2^-53 in float64 and 2^-24 in float32: k roundings in the inner product,
// one for the product with alpha, one for the update with beta. GEMM, GEMV (k = inner length) and AXPY (k = 0) all
// have this form. Native and reference each satisfy the bound, so they may differ by
// twice it; a further factor 2 covers the extra additions of OpenBLAS's k-blocking,
// which adds each k-panel into the output separately. Hence SAFETY = 4. Near
// underflow each operation may also lose up to the smallest subnormal, 2^-1074, in
// absolute terms (2^-149 in float32); the bound grows by γ · that / u. Typical
// errors are far smaller (about sqrt(k)·u), while a real kernel bug (a wrong index, a
// dropped term, a transposed operand) is off by O(1): far outside the bound.

/** u and the smallest subnormal of each precision. */
const PRECISIONS = {
  float64: { unitRoundoff: 2 ** -53, smallestSubnormal: 2 ** -1074 },
  float32: { unitRoundoff: 2 ** -24, smallestSubnormal: 2 ** -149 },
};
export const UNIT_ROUNDOFF = PRECISIONS.float64.unitRoundoff;
const SAFETY = 4;

/**
 * @param {number} k
 * @param {'float32' | 'float64'} [dtype]
 * @returns {number} the relative tolerance for an inner product of length `k` in `dtype`
 */
export function blasGamma(k, dtype = 'float64') {
  const n = (k + 2) * PRECISIONS[dtype].unitRoundoff;
  return (SAFETY * n) / (1 - n);
}

/** The smallest subnormal over u: γ times this is (k + 2)·SAFETY underflow losses. */
function underflowMagnitude(dtype) {
  const { smallestSubnormal, unitRoundoff } = PRECISIONS[dtype];
  return smallestSubnormal / unitRoundoff;
}

/**
 * @param {number} actual
 * @param {number} expected
 * @param {number} bound the magnitude term of the error bound for this element
 * @param {number} gamma from blasGamma; 0 demands bit-for-bit equality
 * @param {'float32' | 'float64'} [dtype] the precision the result was computed in
 */
export function withinBound(actual, expected, bound, gamma, dtype = 'float64') {
  if (Object.is(actual, expected)) return true;
  if (gamma === 0) return false;
  // NaN and ±Infinity must match exactly: from operands far from overflow, a summation
  // order can neither make nor unmake them, and the bound, itself infinite wherever an
  // infinity is expected, would accept any value, even one of the opposite sign.
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return false;
  return Math.abs(actual - expected) <= gamma * (bound + underflowMagnitude(dtype));
}
