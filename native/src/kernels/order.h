#pragma once

#include <cstdint>

namespace blasprop::kernels {

// The row order of a fit's epoch (src/model/fit/epoch-order.ts): order[i] = i, then,
// when `shuffle`, a Fisher–Yates shuffle drawn from xoshiro128** seeded by SplitMix32
// with `seed` (an integer below 2^32), exactly as src/random/prng.ts draws it, so that
// native and reference give the same permutation.
void EpochOrder(int n, double seed, bool shuffle, uint32_t* order);

}  // namespace blasprop::kernels
