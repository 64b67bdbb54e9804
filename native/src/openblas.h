// The one place that includes the BLAS headers, so every translation unit sees the
// same declarations and the same integer width: OpenBLAS everywhere, except macOS,
// where binding.gyp selects Apple's Accelerate (BLASPROP_ACCELERATE).
#pragma once

#if defined(BLASPROP_ACCELERATE)

// ACCELERATE_NEW_LAPACK (set by binding.gyp) selects Accelerate's current BLAS
// interface (macOS 13.3 and later), whose integers are __LAPACK_int.
#include <Accelerate/Accelerate.h>
#include <unistd.h>

using blasint = __LAPACK_int;

// Stand-ins for OpenBLAS's runtime queries. Accelerate picks its own kernels and
// threads and has no call to set a count, so it reports one thread and ignores the
// setter, and a threading model of -1: neither sequential, pthreads nor OpenMP.
#define OPENBLAS_VERSION " Apple Accelerate "
inline const char* openblas_get_config() { return "Apple Accelerate (vecLib)"; }
inline const char* openblas_get_corename() { return "Accelerate"; }
inline int openblas_get_num_procs() { return static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)); }
inline int openblas_get_parallel() { return -1; }
inline int openblas_get_num_threads() { return 1; }
inline void openblas_set_num_threads(int) {}

#else

#include <cblas.h>

#endif

#include <climits>

// Validation in TypeScript rejects any size above this before a call reaches
// the BLAS; the static_assert keeps that promise honest if OpenBLAS were ever built
// with 64-bit integers (INTERFACE64), where the bound would still be safe.
static_assert(sizeof(blasint) >= sizeof(int), "blasint narrower than int");
