#pragma once

#include <cstdint>

namespace blasprop::kernels {

// Loops that only move values: no arithmetic, so native and reference
// (src/kernels/copy.ts) agree bit for bit.

// Row order[start + r] of the row-major `src` (of `cols` columns) into row r of `dst`,
// for r < count: the gather behind shuffled batches.
void GatherRows(int count, int cols, const double* src, const uint32_t* order, int start, double* dst);
void GatherRows(int count, int cols, const float* src, const uint32_t* order, int start, float* dst);
// `row` (cols values) into each of the `rows` rows of `out`: a bias under a product.
void RepeatRow(int rows, int cols, const double* row, double* out);
void RepeatRow(int rows, int cols, const float* row, float* out);
// x[i] = value for i < n.
void Fill(int n, double value, double* x);

}  // namespace blasprop::kernels
