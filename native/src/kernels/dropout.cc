#include "dropout.h"

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

namespace {
template <typename T>
BLASPROP_INLINE void DropoutForwardOf(int n, double p, uint32_t* __restrict state, const T* __restrict x,
                                      T* __restrict y, T* __restrict mask) {
  // p·2³² is exact (a power of two scales it) and below 2³² for p < 1.
  const uint64_t threshold = static_cast<uint64_t>(p * 4294967296.0);
  const double scale = 1.0 / (1.0 - p);
  uint32_t s[4] = {state[0], state[1], state[2], state[3]};
  // A product, not a branch: whether an element is kept is a coin toss.
  for (int i = 0; i < n; i++) mask[i] = static_cast<double>(NextUint32(s) >= threshold) * scale;
  for (int i = 0; i < 4; i++) state[i] = s[i];
  for (int i = 0; i < n; i++) y[i] = x[i] * mask[i];
}
}  // namespace

void kernels::DropoutForward(int n, double p, uint32_t* __restrict state, const double* __restrict x,
                             double* __restrict y, double* __restrict mask) {
  DropoutForwardOf(n, p, state, x, y, mask);
}
void kernels::DropoutForward(int n, double p, uint32_t* __restrict state, const float* __restrict x,
                             float* __restrict y, float* __restrict mask) {
  DropoutForwardOf(n, p, state, x, y, mask);
}

namespace {
template <typename T>
BLASPROP_INLINE void DropoutBackwardOf(int n, const T* __restrict mask, const T* __restrict dy, T* __restrict dx) {
  for (int i = 0; i < n; i++) dx[i] = dy[i] * mask[i];
}
}  // namespace

BLASPROP_WIDE_LOOPS void kernels::DropoutBackward(int n, const double* __restrict mask, const double* __restrict dy,
                                                  double* __restrict dx) {
  DropoutBackwardOf(n, mask, dy, dx);
}
BLASPROP_WIDE_LOOPS void kernels::DropoutBackward(int n, const float* __restrict mask, const float* __restrict dy,
                                                  float* __restrict dx) {
  DropoutBackwardOf(n, mask, dy, dx);
}

}  // namespace blasprop
