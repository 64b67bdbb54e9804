#pragma once

namespace blasprop {

// Several Float64Arrays as one kernel argument (the gradients clipGradNorm scales
// together): from JavaScript an array of Float64Arrays, in a plan a list it resolved
// once (kernel.h).
struct Float64ArrayList {
  int count;
  double* const* data;
  const int* lengths;
};

}  // namespace blasprop
