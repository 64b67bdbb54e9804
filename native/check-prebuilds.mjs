#!/usr/bin/env node
// prepack: refuses to pack a package without its prebuilt binaries. Without them the
// tarball would install fine and then need a compiler, make, Python and OpenBLAS on
// every machine, which is what the prebuilds exist to spare.
//
// Every release architecture must have its binary, linked to the OpenBLAS version of
// the recipe and built after the last change to the native sources; nothing else may
// sit in prebuilds/. On failure it says which command builds what is missing.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { OPENBLAS_VERSION } from './openblas/recipe.mjs';
import { embeddedOpenBlasVersion, prebuildPath, RELEASE_ARCHES } from './release.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const NATIVE_INPUTS = ['binding.gyp', 'native/src', 'native/build-config', 'native/openblas'];

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((entry) => files(join(path, entry)));
}

const newestInput = files(join(root, NATIVE_INPUTS[0]))
  .concat(...NATIVE_INPUTS.slice(1).map((dir) => files(join(root, dir))))
  .map((path) => ({ path, mtime: statSync(path).mtimeMs }))
  .reduce((a, b) => (b.mtime > a.mtime ? b : a));

const problems = [];
for (const arch of RELEASE_ARCHES) {
  const file = join(root, prebuildPath(arch));
  const rebuild = `npm run build:prebuild -- --arch ${arch}`;
  if (!existsSync(file)) {
    problems.push(`${prebuildPath(arch)} is missing: ${rebuild}`);
    continue;
  }
  const version = embeddedOpenBlasVersion(file);
  if (version !== OPENBLAS_VERSION) {
    problems.push(
      `${prebuildPath(arch)} links OpenBLAS ${version ?? '(none found)'}, not the release's ${OPENBLAS_VERSION}: ${rebuild}`,
    );
  } else if (statSync(file).mtimeMs < newestInput.mtime) {
    problems.push(`${prebuildPath(arch)} is older than ${relative(root, newestInput.path)}: ${rebuild}`);
  } else {
    // On stderr: npm pack --json keeps stdout for its own report.
    console.error(`check-prebuilds: ${prebuildPath(arch)} (OpenBLAS ${version})`);
  }
}
const expected = new Set(RELEASE_ARCHES.map((arch) => prebuildPath(arch)));
const extra = files(join(root, 'prebuilds'))
  .map((path) => relative(root, path))
  .filter((path) => !expected.has(path));
for (const path of extra) problems.push(`${path} is not a release binary: remove it`);

if (problems.length) {
  console.error(
    [
      'check-prebuilds: refusing to pack without the prebuilt binaries, which every install on Linux relies on:',
      ...problems.map((problem) => `  - ${problem}`),
    ].join('\n'),
  );
  process.exit(1);
}
