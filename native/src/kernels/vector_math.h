#pragma once

// exp and tanh written with + − × ÷ and bit operations only, so that the compiler
// runs them two doubles at a time (libm's run one at a time, at 5 to 15 ns each:
// more than the GEMMs of a small training step) and so that the reference in
// src/kernels/math.ts, which performs the same operations on the same constants,
// agrees bit for bit. Each function is a template over a lane type: double for loop
// remainders, Doubles (two lanes) for the main loops; both compute the same IEEE
// operations per element.
//
// exp: Cody–Waite reduction x = k·ln 2 + r, |r| <= ln 2 / 2, the Taylor polynomial of
// degree 13 for e^r − 1, and the scaling by 2^k in two factors so that neither
// overflows nor goes subnormal early; exactly 0 below −745.2 and ∞ above 709.8.
// tanh: m/(m + 2) with m = expm1(2|x|) from the same polynomial, 1 from 22 on, and the
// sign of x. Their errors, measured against mpmath on the points of test/fixtures/math,
// are stated in the tests.

#include <cstdint>
#include <cstring>

namespace blasprop::vmath {

#if defined(__GNUC__)
typedef double Doubles __attribute__((vector_size(16)));
typedef int64_t Int64s __attribute__((vector_size(16)));
#endif

// The lane operations the templates use, for each lane type.
inline double Select(bool pick_first, double first, double second) { return pick_first ? first : second; }

inline int64_t BitsOf(double v) {
  int64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

inline double FromBits(int64_t bits) {
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

#if defined(__GNUC__)
inline Doubles Select(Int64s pick_first, Doubles first, Doubles second) {
  return reinterpret_cast<Doubles>((reinterpret_cast<Int64s>(first) & pick_first) |
                                   (reinterpret_cast<Int64s>(second) & ~pick_first));
}
inline Int64s BitsOf(Doubles v) { return reinterpret_cast<Int64s>(v); }
inline Doubles FromBits(Int64s bits) { return reinterpret_cast<Doubles>(bits); }
#endif

// The constants of src/kernels/math.ts, as the same doubles.
constexpr double kLog2e = 1.4426950408889634;
// 1.5·2^52: adding it rounds a double of magnitude below 2^51 to an integer, which
// then sits in the low bits of the sum.
constexpr double kShift = 6755399441055744.0;
constexpr double kLn2Hi = 0.6931471803691238;  // ln 2 to 32 bits: k·kLn2Hi is exact for |k| < 2^21
constexpr double kLn2Lo = 1.9082149292705877e-10;
constexpr double kExpLow = -746.0;
constexpr double kExpHigh = 710.0;
// 1/n! for n = 1 … 13, each the double nearest it.
constexpr double kC1 = 1.0, kC2 = 0.5, kC3 = 0.16666666666666666, kC4 = 0.041666666666666664,
                 kC5 = 0.008333333333333333, kC6 = 0.001388888888888889, kC7 = 0.0001984126984126984,
                 kC8 = 2.48015873015873e-05, kC9 = 2.7557319223985893e-06, kC10 = 2.755731922398589e-07,
                 kC11 = 2.505210838544172e-08, kC12 = 2.08767569878681e-09, kC13 = 1.6059043836821613e-10;
// tanh is 1 to the last bit from 22 on; expm1 is not evaluated beyond 44.
constexpr double kTanhSaturation = 22.0;
constexpr double kExpm1High = 44.0;

// 2^k for an integer-valued k in [−1022, 1023], from its bits.
template <class V>
inline V PowerOfTwo(V k) {
  const auto integer = BitsOf(k + kShift) - BitsOf(kShift);
  return FromBits((integer + 1023) << 52);
}

// x = k·ln 2 + r, |r| <= ln 2 / 2 (rounded): k is integer-valued.
template <class V>
inline void Reduce(V x, V& k, V& r) {
  k = (x * kLog2e + kShift) - kShift;
  r = (x - k * kLn2Hi) - k * kLn2Lo;
}

// e^r − 1 = r·(1/1! + r/2! + … + r^12/13!) for |r| <= ln 2 / 2, the polynomial by
// Estrin's scheme (short dependency chains, which the pipeline overlaps); its
// truncation is below 5e-18 relative.
template <class V>
inline V Expm1Reduced(V r) {
  const V r2 = r * r;
  const V r4 = r2 * r2;
  const V r8 = r4 * r4;
  const V a0 = kC1 + kC2 * r, a1 = kC3 + kC4 * r, a2 = kC5 + kC6 * r;
  const V a3 = kC7 + kC8 * r, a4 = kC9 + kC10 * r, a5 = kC11 + kC12 * r;
  const V b0 = a0 + a1 * r2, b1 = a2 + a3 * r2, b2 = a4 + a5 * r2;
  const V d0 = b0 + b1 * r4, d1 = b2 + kC13 * r4;
  return r * (d0 + d1 * r8);
}

template <class V>
inline V Exp(V x) {
  x = Select(x < kExpLow, V{} + kExpLow, x);
  x = Select(x > kExpHigh, V{} + kExpHigh, x);
  V k, r;
  Reduce(x, k, r);
  const V p = 1.0 + Expm1Reduced(r);
  // 2^k in two factors, so that neither overflows nor goes subnormal before the last product.
  const V half = (k * 0.5 + kShift) - kShift;
  return p * PowerOfTwo(half) * PowerOfTwo(k - half);
}

// e^u − 1 for u in [0, 44] (or NaN): 2^k·(e^r − 1) + (2^k − 1), exact in relative terms near 0.
template <class V>
inline V Expm1(V u) {
  V k, r;
  Reduce(u, k, r);
  const V scale = PowerOfTwo(k);
  return scale * Expm1Reduced(r) + (scale - 1.0);
}

template <class V>
inline V Tanh(V x) {
  const auto sign = BitsOf(x) & INT64_MIN;
  const V a = FromBits(BitsOf(x) & INT64_MAX);
  V u = a * 2.0;
  u = Select(u > kExpm1High, V{} + kExpm1High, u);
  const V e = Expm1(u);
  const V t = Select(a > kTanhSaturation, V{} + 1.0, e / (e + 2.0));
  return FromBits(BitsOf(t) | sign);
}

template <class V>
inline V Sigmoid(V x) {
  return 1.0 / (1.0 + Exp(-x));
}

}  // namespace blasprop::vmath
