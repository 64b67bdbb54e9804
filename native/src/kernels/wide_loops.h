#pragma once

// The element-wise loops of a training step — the optimizers' updates, which stream
// over every parameter as the BLAS calls they replace did (OpenBLAS runs those with
// the widest vectors the CPU has), and the activations — are compiled for AVX-512 and
// AVX2 besides the x86-64 baseline, and the fastest clone the CPU runs is chosen when the addon loads (GCC's
// target_clones). Every clone performs the same IEEE operations per element — none
// is contracted into a fused multiply-add (-ffp-contract=off) — so all give the same
// bits. Elsewhere (other compilers, other CPUs, other systems) the baseline is built.
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) && !defined(__clang__)
#define BLASPROP_WIDE_LOOPS __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define BLASPROP_WIDE_LOOPS
#endif

// The kernels' bodies are templates over the tensors' element type, inlined into each
// clone above so that every clone compiles them for its own instructions.
#ifndef BLASPROP_INLINE
#if defined(__GNUC__)
#define BLASPROP_INLINE __attribute__((always_inline)) inline
#else
#define BLASPROP_INLINE inline
#endif
#endif
