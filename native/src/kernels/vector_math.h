#pragma once

// exp, tanh and erf written with + − × ÷ and bit operations only, so that the compiler
// runs them eight doubles at a time (libm's run one at a time, at 5 to 15 ns each:
// more than the GEMMs of a small training step) and so that the reference in
// src/kernels/math.ts, which performs the same operations on the same constants,
// agrees bit for bit. Each function is a template over a lane type: double for loop
// remainders, Doubles (eight lanes) for the main loops; both compute the same IEEE
// operations per element.
//
// exp: Cody–Waite reduction x = k·ln 2 + r, |r| <= ln 2 / 2, the Taylor polynomial of
// degree 13 for e^r − 1, and the scaling by 2^k in two factors so that neither
// overflows nor goes subnormal early; exactly 0 below −745.2 and ∞ above 709.8.
// tanh: m/(m + 2) with m = expm1(2|x|) from the same polynomial, 1 from 22 on, and the
// sign of x. erf: see Erf below. Their errors, measured against mpmath on the points of test/fixtures/math,
// are stated in the tests.

#include <cstdint>
#include <cstring>

namespace blasprop::vmath {

#if defined(__GNUC__)
// Eight lanes: a CPU with AVX-512 runs each operation as one instruction (the loops
// that use these are compiled for it too, see wide_loops.h), one with 128-bit vectors
// as four, whose independent dependency chains the pipeline overlaps. Every function
// here is inlined, so these types never cross a call, where their calling convention
// would differ between clones (what GCC's -Wpsabi notes, and binding.gyp silences).
typedef double Doubles __attribute__((vector_size(64)));
typedef int64_t Int64s __attribute__((vector_size(64)));
typedef uint64_t Uint64s __attribute__((vector_size(64)));
#ifndef BLASPROP_INLINE
#define BLASPROP_INLINE __attribute__((always_inline)) inline
#endif
#else
#ifndef BLASPROP_INLINE
#define BLASPROP_INLINE inline
#endif
#endif

// The lane operations the templates use, for each lane type.
BLASPROP_INLINE double Select(bool pick_first, double first, double second) { return pick_first ? first : second; }

BLASPROP_INLINE int64_t BitsOf(double v) {
  int64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return bits;
}

BLASPROP_INLINE double FromBits(int64_t bits) {
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

// bits << 52 in unsigned arithmetic: a NaN's lane holds bits that would overflow a
// signed shift (undefined behaviour), and its result is a NaN whatever they are.
BLASPROP_INLINE int64_t ShiftToExponent(int64_t bits) {
  return static_cast<int64_t>(static_cast<uint64_t>(bits) << 52);
}

#if defined(__GNUC__)
BLASPROP_INLINE Doubles Select(Int64s pick_first, Doubles first, Doubles second) {
  return reinterpret_cast<Doubles>((reinterpret_cast<Int64s>(first) & pick_first) |
                                   (reinterpret_cast<Int64s>(second) & ~pick_first));
}
BLASPROP_INLINE Int64s BitsOf(Doubles v) { return reinterpret_cast<Int64s>(v); }
BLASPROP_INLINE Doubles FromBits(Int64s bits) { return reinterpret_cast<Doubles>(bits); }
BLASPROP_INLINE Int64s ShiftToExponent(Int64s bits) {
  return reinterpret_cast<Int64s>(reinterpret_cast<Uint64s>(bits) << 52);
}
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
BLASPROP_INLINE V PowerOfTwo(V k) {
  const auto integer = BitsOf(k + kShift) - BitsOf(kShift);
  return FromBits(ShiftToExponent(integer + 1023));
}

// x = k·ln 2 + r, |r| <= ln 2 / 2 (rounded): k is integer-valued.
template <class V>
BLASPROP_INLINE void Reduce(V x, V& k, V& r) {
  k = (x * kLog2e + kShift) - kShift;
  r = (x - k * kLn2Hi) - k * kLn2Lo;
}

// e^r − 1 = r·(1/1! + r/2! + … + r^12/13!) for |r| <= ln 2 / 2, the polynomial by
// Estrin's scheme (short dependency chains, which the pipeline overlaps); its
// truncation is below 5e-18 relative.
template <class V>
BLASPROP_INLINE V Expm1Reduced(V r) {
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
BLASPROP_INLINE V Exp(V x) {
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
BLASPROP_INLINE V Expm1(V u) {
  V k, r;
  Reduce(u, k, r);
  const V scale = PowerOfTwo(k);
  return scale * Expm1Reduced(r) + (scale - 1.0);
}

template <class V>
BLASPROP_INLINE V Tanh(V x) {
  const auto sign = BitsOf(x) & INT64_MIN;
  const V a = FromBits(BitsOf(x) & INT64_MAX);
  V u = a * 2.0;
  u = Select(u > kExpm1High, V{} + kExpm1High, u);
  const V e = Expm1(u);
  const V t = Select(a > kTanhSaturation, V{} + 1.0, e / (e + 2.0));
  return FromBits(BitsOf(t) | sign);
}

template <class V>
BLASPROP_INLINE V Sigmoid(V x) {
  return 1.0 / (1.0 + Exp(-x));
}

// Σ level[i]·u^i by Estrin's scheme, in place: pairs c[i] + c[i + 1]·u, then pairs of
// those with u², u⁴, …, as estrin() in src/kernels/math.ts.
template <class V, int N>
BLASPROP_INLINE V EstrinLevels(V (&level)[N], V u) {
  int length = N;
  V power = u;
  // Unrolled whole, so that the levels live in registers.
#pragma GCC unroll 8
  while (length > 1) {
    const int next = (length + 1) / 2;
#pragma GCC unroll 32
    for (int i = 0; i < next; i++) level[i] = 2 * i + 1 < length ? level[2 * i] + level[2 * i + 1] * power : level[2 * i];
    length = next;
    power = power * power;
  }
  return level[0];
}

template <class V, int N>
BLASPROP_INLINE V Estrin(const double (&c)[N], V u) {
  V level[N];
#pragma GCC unroll 32
  for (int i = 0; i < N; i++) level[i] = V{} + c[i];
  return EstrinLevels(level, u);
}


// The coefficients erf_coefficients.py prints: the Maclaurin series of erf(x)/x in x²,
// and R(a) = exp(a²)·erfc(a) on [1, 6] in u = (a − 3.5)·0.4.
constexpr double kTwoOverSqrtPi = 1.1283791670955126;
constexpr double kErfSeries[] = {
    1.0, -0.3333333333333333, 0.1,
    -0.023809523809523808, 0.004629629629629629, -0.0007575757575757576,
    0.00010683760683760684, -1.3227513227513228e-05, 1.4589169000933706e-06,
    -1.4503852223150468e-07, 1.3122532963802806e-08, -1.0892221037148573e-09,
    8.35070279514724e-11, -5.9477940136376354e-12, 3.9554295164585257e-13,
    -2.466827010264457e-14, 1.4483264643598138e-15, -8.032735012415773e-17,
    4.221407288807088e-18, -2.107855191442136e-19, 1.0025164934907719e-20,
    -4.5518467589282e-22, 1.977064753877905e-23};
constexpr double kErfcFactor[] = {
    0.1552936556088943, -0.10330894458313122, 0.06663208245319112,
    -0.04176678811943208, 0.02549555964370481, -0.015182511545605421,
    0.008833423916439384, -0.005028067969110165, 0.002803326185760575,
    -0.0015325157041661808, 0.0008222552633065564, -0.0004333617707071254,
    0.00022452988931137772, -0.00011444207766025678, 5.742097713023412e-05,
    -2.8377947325450628e-05, 1.3820167759781628e-05, -6.637320207597747e-06,
    3.1483995696356112e-06, -1.4718707066778537e-06, 6.724424031869324e-07,
    -3.070328784530874e-07, 1.4790094912799237e-07, -6.543284724793359e-08,
    1.9440874775295604e-08, -8.79481299561748e-09, 1.025934507238396e-08,
    -4.210254431561821e-09, -1.2063532927234337e-09, 4.5533985224228094e-10,
    6.358860400856657e-10, -2.541288598079482e-10};

// erf: 2/√π·x·S(x²) below |x| = 1; above, 1 − exp(−x²)·R(|x|) with the rounding error
// of x² put back (Veltkamp's split makes the halves' products exact); ±1 from 6 on.
template <class V>
BLASPROP_INLINE V Erf(V x) {
  const auto sign = BitsOf(x) & INT64_MIN;
  const V a = FromBits(BitsOf(x) & INT64_MAX);
  const V small = kTwoOverSqrtPi * (a * Estrin(kErfSeries, a * a));
  const V r = Estrin(kErfcFactor, (a - 3.5) * 0.4);
  const V square = a * a;
  const V spread = 134217729.0 * a;
  const V high = spread - (spread - a);
  const V low = a - high;
  const V error = high * high - square + 2.0 * high * low + low * low;
  const V large = 1.0 - Exp(-square) * (1.0 - error) * r;
  V t = Select(a >= 6.0, V{} + 1.0, large);
  t = Select(a < 1.0, small, t);
  return FromBits(BitsOf(t) | sign);
}

}  // namespace blasprop::vmath
