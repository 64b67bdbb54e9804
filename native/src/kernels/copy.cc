#include "copy.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>

namespace blasprop::kernels {

namespace {

// Copies `bytes` bytes. Up to 64 bytes it uses fixed-size moves the compiler
// inlines: the rows of a small model's data are a few dozen bytes, and a call into
// the C library per row cost more than the copy itself. Two moves that may overlap
// cover any size between one width and the next.
inline void CopyRow(void* to, const void* from, size_t bytes) {
  auto* dst = static_cast<char*>(to);
  const auto* src = static_cast<const char*>(from);
  const auto pair = [&](auto width) {
    constexpr size_t w = decltype(width)::value;
    char head[w];
    char tail[w];
    std::memcpy(head, src, w);
    std::memcpy(tail, src + bytes - w, w);
    std::memcpy(dst, head, w);
    std::memcpy(dst + bytes - w, tail, w);
  };
  if (bytes > 64) std::memcpy(dst, src, bytes);
  else if (bytes >= 32) pair(std::integral_constant<size_t, 32>{});
  else if (bytes >= 16) pair(std::integral_constant<size_t, 16>{});
  else if (bytes >= 8) pair(std::integral_constant<size_t, 8>{});
  else if (bytes >= 4) pair(std::integral_constant<size_t, 4>{});
  else std::memcpy(dst, src, bytes);
}

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
    CopyRow(dst + static_cast<size_t>(r) * cols, src + static_cast<size_t>(order[start + r]) * cols, row_bytes);
  }
}

template <typename T>
void RepeatRowOf(int rows, int cols, const T* row, T* out) {
  const size_t row_bytes = static_cast<size_t>(cols) * sizeof(T);
  if (row_bytes == 0 || rows <= 0) return;
  if (cols == 1) {
    std::fill(out, out + rows, row[0]);
    return;
  }
  // The first row, then the rows done so far copied after them, doubling: log2(rows)
  // copies instead of one per row.
  std::memcpy(out, row, row_bytes);
  const size_t total = static_cast<size_t>(rows) * cols;
  for (size_t done = cols; done < total;) {
    const size_t next = std::min(done, total - done);
    std::memcpy(out + done, out, next * sizeof(T));
    done += next;
  }
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
