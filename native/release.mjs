// What a release of the package ships: one prebuilt binary per Linux architecture in
// KERNEL_FAMILIES (native/openblas/recipe.mjs), each linked to the OpenBLAS built from
// that recipe. Read by the prepack check, the prebuild script and the package test.

import { readFileSync } from 'node:fs';

import { KERNEL_FAMILIES } from './openblas/recipe.mjs';

export const RELEASE_ARCHES = Object.keys(KERNEL_FAMILIES);

/** The prebuild's path inside the package, as node-gyp-build looks it up. */
export function prebuildPath(arch) {
  return `prebuilds/linux-${arch}/blasprop.glibc.node`;
}

/**
 * The OpenBLAS version a binary was linked with, read from the configuration string
 * OpenBLAS embeds ("OpenBLAS 0.3.29 NO_LAPACK ..."), so that a binary for another
 * architecture can be checked without loading it; undefined if there is none.
 */
export function embeddedOpenBlasVersion(file) {
  const match = /OpenBLAS (\d+\.\d+\.\d+)/.exec(readFileSync(file).toString('latin1'));
  return match?.[1];
}
