#include "order.h"

#include <cmath>

namespace blasprop::kernels {

namespace {

uint32_t Rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

// src/random/prng.ts's generator: every step is 32-bit integer arithmetic, and the
// uniform draw is exact in double precision, so both give the same numbers.
class Xoshiro128 {
 public:
  explicit Xoshiro128(uint32_t seed) {
    uint32_t split = seed;
    for (uint32_t& word : s_) {
      split += 0x9e3779b9u;
      uint32_t z = split;
      z = (z ^ (z >> 16)) * 0x85ebca6bu;
      z = (z ^ (z >> 13)) * 0xc2b2ae35u;
      word = z ^ (z >> 16);
    }
  }

  uint32_t Next() {
    const uint32_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint32_t t = s_[1] << 9;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 11);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  double Uniform() {
    const uint32_t high = Next() >> 5;
    const uint32_t low = Next() >> 6;
    return (high * 67108864.0 + low) / 9007199254740992.0;
  }

 private:
  uint32_t s_[4];
};

}  // namespace

void EpochOrder(int n, double seed, bool shuffle, uint32_t* order) {
  for (int i = 0; i < n; i++) order[i] = static_cast<uint32_t>(i);
  if (!shuffle) return;
  Xoshiro128 random(static_cast<uint32_t>(seed));
  for (int i = n - 1; i > 0; i--) {
    const uint32_t j = static_cast<uint32_t>(std::floor(random.Uniform() * (i + 1)));
    const uint32_t swapped = order[i];
    order[i] = order[j];
    order[j] = swapped;
  }
}

}  // namespace blasprop::kernels
