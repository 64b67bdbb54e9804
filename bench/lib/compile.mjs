// Builds a C peer against the system OpenBLAS, the same library the addon links when
// built from source, using the flags pkg-config gives for it.

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

import { buildDir, ensureDirs } from './paths.mjs';

const harnessInclude = new URL('./c/', import.meta.url).pathname;

/**
 * Optimisation flags for the C peers. -march=native lets the compiler vectorise the
 * peers' own loops for this CPU, which makes the C loop the strictest floor; OpenBLAS
 * picks its kernels at run time regardless. (_POSIX_C_SOURCE: clock_gettime under
 * strict C11.)
 */
export const C_FLAGS = ['-O3', '-march=native', '-std=c11', '-D_POSIX_C_SOURCE=200809L', '-Wall'];

export function openblasFlags() {
  try {
    const out = execFileSync('pkg-config', ['--cflags', '--libs', 'openblas'], { encoding: 'utf8' });
    return out.trim().split(/\s+/).filter(Boolean);
  } catch {
    throw new Error(
      'pkg-config cannot find OpenBLAS, which the C peers link against. On Debian/Ubuntu: apt-get install -y libopenblas-dev pkg-config',
    );
  }
}

/** Compiles `sources` into bench/.build/`name` with the extra `flags`, and returns the executable's path. */
export function compileC(name, sources, flags = []) {
  ensureDirs();
  const output = join(buildDir, name);
  const args = [...C_FLAGS, ...flags, `-I${harnessInclude}`, '-o', output, ...sources, ...openblasFlags(), '-lm'];
  execFileSync('cc', args, { stdio: ['ignore', 'inherit', 'inherit'] });
  return output;
}

/**
 * What selects the element type of the C peers over lib/c/two_layer_step.h, per
 * precision, and the suffix of that build's executable: the one source compiled in
 * double and in float.
 */
export const PRECISION_BUILDS = {
  f64: { flags: [], suffix: '' },
  f32: { flags: ['-DBLASPROP_FLOAT32'], suffix: '_f32' },
};

/**
 * Compiles `sources` once per precision (`name` and `name`_f32) and returns
 * { f64, f32 }: each the executable's path, or the Error that stopped its build.
 */
export function compileEachPrecision(name, sources) {
  const built = {};
  for (const [precision, { flags, suffix }] of Object.entries(PRECISION_BUILDS)) {
    try {
      built[precision] = compileC(`${name}${suffix}`, sources, flags);
    } catch (error) {
      built[precision] = error;
    }
  }
  return built;
}

export function compilerVersion() {
  return execFileSync('cc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
}
