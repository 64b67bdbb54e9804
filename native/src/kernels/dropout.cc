#include "dropout.h"

#include "../arguments.h"
#include "wide_loops.h"

namespace blasprop {

namespace {

inline uint32_t RotateLeft(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

// xoshiro128** (Blackman & Vigna), as nextUint32 in src/random/prng.ts.
inline uint32_t NextUint32(uint32_t* s) {
  const uint32_t result = RotateLeft(s[1] * 5, 7) * 9;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = RotateLeft(s[3], 11);
  return result;
}

}  // namespace

void kernels::DropoutForward(int n, double p, uint32_t* __restrict state, const double* __restrict x,
                             double* __restrict y, double* __restrict mask) {
  // p·2³² is exact (a power of two scales it) and below 2³² for p < 1.
  const uint64_t threshold = static_cast<uint64_t>(p * 4294967296.0);
  const double scale = 1.0 / (1.0 - p);
  uint32_t s[4] = {state[0], state[1], state[2], state[3]};
  // A product, not a branch: whether an element is kept is a coin toss.
  for (int i = 0; i < n; i++) mask[i] = static_cast<double>(NextUint32(s) >= threshold) * scale;
  for (int i = 0; i < 4; i++) state[i] = s[i];
  for (int i = 0; i < n; i++) y[i] = x[i] * mask[i];
}

BLASPROP_WIDE_LOOPS void kernels::DropoutBackward(int n, const double* __restrict mask, const double* __restrict dy,
                              double* __restrict dx) {
  for (int i = 0; i < n; i++) dx[i] = dy[i] * mask[i];
}

Napi::Value DropoutForward(const Napi::CallbackInfo& info) {
  kernels::DropoutForward(Int(info[0]), Double(info[1]), Uint32Data(info[2]), Float64Data(info[3]),
                          Float64Data(info[4]), Float64Data(info[5]));
  return info[4];
}

Napi::Value DropoutBackward(const Napi::CallbackInfo& info) {
  kernels::DropoutBackward(Int(info[0]), Float64Data(info[1]), Float64Data(info[2]), Float64Data(info[3]));
  return info[3];
}

}  // namespace blasprop
