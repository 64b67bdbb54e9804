// What the prebuilds' OpenBLAS is: which source, which kernel families, which build
// options, and where the built library is cached. The one place for these facts;
// build.mjs builds from them, native/prebuild.mjs links against the result, and
// test/package checks every kernel family listed here.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's source package (trixie): OpenBLAS 0.3.29 with Debian's patches. */
export const SOURCE = { package: 'openblas', version: '0.3.29+ds-3', suite: 'trixie' };
/** The version OpenBLAS reports (openblas_get_config), which blasInfo().version shows. */
export const OPENBLAS_VERSION = '0.3.29';

/** Our patches applied to every build, on top of Debian's (each file says why). */
const COMMON_PATCHES = ['corename-prescott.patch'];
const patchDir = fileURLToPath(new URL('./patches/', import.meta.url));

/**
 * Kernel families per architecture, as DYNAMIC_LIST names and as the names
 * OPENBLAS_CORETYPE takes and openblas_get_corename() reports. The first of each list
 * is the generic fallback, which OpenBLAS always builds in (PRESCOTT: SSE3; ARMV8:
 * plain NEON), for any CPU the others do not fit.
 *
 * x86-64: SapphireRapids is left out on purpose: its double-precision kernels and
 * blocking parameters are Cooperlake's (it differs in bfloat16 only, which is not
 * built), and 0.3.29's OPENBLAS_CORETYPE cannot select it, so it could not be checked.
 * A Sapphire Rapids CPU runs the SkylakeX kernels, the same double-precision code.
 * arm64: Neoverse V2 (Graviton4, Grace) runs the V1 kernels, as OpenBLAS maps it.
 */
export const KERNEL_FAMILIES = {
  x64: [
    { list: 'PRESCOTT', coretype: 'Prescott' },
    { list: 'HASWELL', coretype: 'Haswell' },
    { list: 'ZEN', coretype: 'Zen' },
    { list: 'SKYLAKEX', coretype: 'SkylakeX' },
    { list: 'COOPERLAKE', coretype: 'Cooperlake' },
  ],
  arm64: [
    { list: 'ARMV8', coretype: 'armv8' },
    { list: 'NEOVERSEN1', coretype: 'neoversen1' },
    { list: 'NEOVERSEV1', coretype: 'neoversev1' },
    { list: 'NEOVERSEN2', coretype: 'neoversen2' },
  ],
};

/** The OpenBLAS TARGET (the baseline of its non-kernel code) and GNU triplet per architecture. */
const ARCHES = {
  x64: { target: 'PRESCOTT', triplet: 'x86_64-linux-gnu' },
  arm64: { target: 'ARMV8', triplet: 'aarch64-linux-gnu' },
};

/**
 * How `arch` is compiled on this machine: its own gcc, or Debian's cross compilers
 * (crossbuild-essential-<arch>) on another architecture.
 */
export function toolchain(arch) {
  const { target, triplet } = ARCHES[arch];
  const prefix = arch === process.arch ? '' : `${triplet}-`;
  return { target, triplet, cross: prefix !== '', cc: `${prefix}gcc`, cxx: `${prefix}g++`, binutils: prefix };
}

export const SUPPORTED_ARCHES = Object.keys(ARCHES);

/**
 * Threading models OpenBLAS can be built with, as make variables and extra patches
 * per architecture. pthreads is what ships (the README has the measurements against
 * the others; it also needs no runtime library outside libc); the others exist to be
 * measured. pthreads-spin is upstream 0.3.29's pthreads build, whose waiting threads
 * spin on x86-64 instead of yielding. serial does not compile in 0.3.29.
 */
export const THREADING = {
  pthreads: { make: ['USE_THREAD=1', 'USE_OPENMP=0'], patches: { x64: ['x86-64-linux-sched-yield.patch'] } },
  'pthreads-spin': { make: ['USE_THREAD=1', 'USE_OPENMP=0'], patches: {} },
  openmp: { make: ['USE_THREAD=1', 'USE_OPENMP=1'], patches: {} },
  serial: { make: ['USE_THREAD=0', 'USE_OPENMP=0'], patches: {} },
};

/** The patch files a build applies, in order. */
export function patchesFor({ arch, threading }) {
  return [...COMMON_PATCHES, ...(THREADING[threading].patches[arch] ?? [])].map((name) => join(patchDir, name));
}

/**
 * make variables for a static, position-independent, BLAS-only build of the single- and
 * double-precision real routines (no complex ones) with runtime kernel selection.
 * NUM_THREADS is the most threads one call can use (Debian's choice); NO_AFFINITY
 * leaves thread placement to the OS, as a library sharing a process with Node.js
 * must; NO_EXPRECISION leaves out the long-double variants, which nothing here calls
 * (Debian's builds do the same). BUILD_SINGLE and BUILD_DOUBLE build those two precisions
 * only (OpenBLAS builds all four when none is named): the complex routines, which
 * nothing here calls, are left out.
 */
export function makeOptions({ arch, threading, families }) {
  const { cc, target, cross, binutils } = toolchain(arch);
  return [
    `CC=${cc}`,
    'HOSTCC=gcc',
    // make's built-in AR=ar would win over OpenBLAS's AR ?= $(CROSS_SUFFIX)ar.
    ...(cross ? [`AR=${binutils}ar`, `RANLIB=${binutils}ranlib`] : []),
    `TARGET=${target}`,
    'BINARY=64',
    'DYNAMIC_ARCH=1',
    `DYNAMIC_LIST=${families
      .slice(1)
      .map((f) => f.list)
      .join(' ')}`,
    'BUILD_SINGLE=1',
    'BUILD_DOUBLE=1',
    'NO_LAPACK=1',
    'NO_LAPACKE=1',
    'NOFORTRAN=1',
    'NO_SHARED=1',
    'NEED_PIC=1',
    'NO_AFFINITY=1',
    'NO_WARMUP=1',
    'NO_EXPRECISION=1',
    'NUM_THREADS=128',
    ...THREADING[threading].make,
  ];
}

/** The cache root: $BLASPROP_CACHE, else $XDG_CACHE_HOME/blasprop, else ~/.cache/blasprop. */
export function cacheRoot(env = process.env) {
  return env.BLASPROP_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'blasprop');
}

/**
 * Where one build lives: named by version, architecture and threading, plus a hash of
 * every option and patch, so that changing any of them builds anew instead of reusing
 * a stale library.
 */
export function buildDir({ arch, threading, families }, env = process.env) {
  const options = makeOptions({ arch, threading, families });
  const patches = patchesFor({ arch, threading }).map((path) => readFileSync(path, 'utf8'));
  const hash = createHash('sha256').update(JSON.stringify({ SOURCE, options, patches })).digest('hex').slice(0, 10);
  return join(cacheRoot(env), 'openblas', `${SOURCE.version}-linux-${arch}-${threading}-${hash}`);
}

/** The build that ships for `arch`. */
export function releaseBuild(arch) {
  if (!KERNEL_FAMILIES[arch]) throw new Error(`no OpenBLAS recipe for ${arch} (expected x64 or arm64)`);
  return { arch, threading: 'pthreads', families: KERNEL_FAMILIES[arch] };
}
