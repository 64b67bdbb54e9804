#pragma once

namespace blasprop {

// Several arrays of one element type as one kernel argument (the gradients
// clipGradNorm scales together): from JavaScript an array of Float64Arrays or of
// Float32Arrays, in a plan a list it resolved once (kernel.h).
template <typename T>
struct ArrayList {
  int count;
  T* const* data;
  const int* lengths;
};

using Float64ArrayList = ArrayList<double>;
using Float32ArrayList = ArrayList<float>;

}  // namespace blasprop
