// The one place that includes OpenBLAS's headers, so every translation unit sees
// the same declarations and the same integer width.
#pragma once

#include <cblas.h>

#include <climits>

// Validation in TypeScript rejects any size above this before a call reaches
// OpenBLAS; the static_assert keeps that promise honest if OpenBLAS were ever built
// with 64-bit integers (INTERFACE64), where the bound would still be safe.
static_assert(sizeof(blasint) >= sizeof(int), "blasint narrower than int");
