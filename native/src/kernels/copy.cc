#include "copy.h"

#include <algorithm>
#include <cstddef>
#include <cstring>

namespace blasprop::kernels {

namespace {
template <typename T>
void GatherRowsOf(int count, int cols, const T* src, const uint32_t* order, int start, T* dst) {
  const size_t row_bytes = static_cast<size_t>(cols) * sizeof(T);
  if (row_bytes == 0) return;  // an empty array may have no memory at all
  // One value per row (a regression's single target): a call per value would cost
  // more than the copy.
  if (cols == 1) {
    for (int r = 0; r < count; r++) dst[r] = src[order[start + r]];
    return;
  }
  for (int r = 0; r < count; r++) {
    std::memcpy(dst + static_cast<size_t>(r) * cols, src + static_cast<size_t>(order[start + r]) * cols, row_bytes);
  }
}

template <typename T>
void RepeatRowOf(int rows, int cols, const T* row, T* out) {
  const size_t row_bytes = static_cast<size_t>(cols) * sizeof(T);
  if (row_bytes == 0) return;
  if (cols == 1) {
    std::fill(out, out + rows, row[0]);
    return;
  }
  for (int r = 0; r < rows; r++) std::memcpy(out + static_cast<size_t>(r) * cols, row, row_bytes);
}
}  // namespace

void GatherRows(int count, int cols, const double* src, const uint32_t* order, int start, double* dst) {
  GatherRowsOf(count, cols, src, order, start, dst);
}
void GatherRows(int count, int cols, const float* src, const uint32_t* order, int start, float* dst) {
  GatherRowsOf(count, cols, src, order, start, dst);
}

void RepeatRow(int rows, int cols, const double* row, double* out) { RepeatRowOf(rows, cols, row, out); }
void RepeatRow(int rows, int cols, const float* row, float* out) { RepeatRowOf(rows, cols, row, out); }

void Fill(int n, double value, double* x) {
  for (int i = 0; i < n; i++) x[i] = value;
}

}  // namespace blasprop::kernels
