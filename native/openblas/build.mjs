#!/usr/bin/env node
// Builds the OpenBLAS that the prebuilds link statically, from Debian's source package
// (see recipe.mjs), into a cache outside the repository. A release step: a build that
// is already in the cache is reused, so the long compile happens once per recipe.
//
//   npm run build:openblas -- [--arch x64|arm64] [--threading pthreads|pthreads-spin|openmp|serial]
//                             [--families PRESCOTT,COOPERLAKE] [--force]
//
// --families narrows the kernels (for measuring threading models on this CPU only).
// Needs a deb-src line for trixie (apt-get source), dpkg-dev, make and the compiler:
// gcc for x64, crossbuild-essential-arm64 for arm64. Compiles at nice 19 with two
// jobs, so that it stays out of the way of other work on the machine.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

import {
  buildDir,
  cacheRoot,
  KERNEL_FAMILIES,
  makeOptions,
  patchesFor,
  releaseBuild,
  SOURCE,
  THREADING,
} from './recipe.mjs';

const { values } = parseArgs({
  options: {
    arch: { type: 'string', default: process.arch },
    threading: { type: 'string', default: 'pthreads' },
    families: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
});
const recipe = { ...releaseBuild(values.arch), threading: values.threading };
if (!THREADING[recipe.threading]) fail(`unknown --threading ${recipe.threading} (expected ${Object.keys(THREADING)})`);
if (values.families) {
  const wanted = values.families.split(',');
  const unknown = wanted.filter((name) => !KERNEL_FAMILIES[recipe.arch].some((f) => f.list === name));
  if (unknown.length) fail(`unknown --families ${unknown} for ${recipe.arch}`);
  // The generic fallback is always built in.
  recipe.families = KERNEL_FAMILIES[recipe.arch].filter((f, i) => i === 0 || wanted.includes(f.list));
}

const out = buildDir(recipe);
const library = join(out, 'lib', 'libopenblas.a');
if (existsSync(library) && !values.force) {
  console.log(`build:openblas: cached, not rebuilt: ${library}`);
  process.exit(0);
}

function fail(message) {
  console.error(`build:openblas: ${message}`);
  process.exit(1);
}

function run(command, args, options = {}) {
  console.log(`build:openblas: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.status !== 0) fail(`${command} failed (exit ${result.status ?? result.signal})`);
}

// 1. Debian's source package, downloaded once and checked by apt against the signed
// trixie Sources index.
const sources = join(cacheRoot(), 'sources');
const dsc = join(sources, `${SOURCE.package}_${SOURCE.version}.dsc`);
mkdirSync(sources, { recursive: true });
if (!existsSync(dsc)) {
  const download = spawnSync('apt-get', ['source', '--download-only', `${SOURCE.package}=${SOURCE.version}`], {
    cwd: sources,
    stdio: 'inherit',
  });
  if (download.status !== 0 || !existsSync(dsc)) {
    fail(
      [
        `could not download the source package ${SOURCE.package} ${SOURCE.version}.`,
        `apt needs a deb-src line for Debian ${SOURCE.suite}, for example in /etc/apt/sources.list.d/${SOURCE.suite}-src.sources:`,
        `  Types: deb-src`,
        `  URIs: http://deb.debian.org/debian`,
        `  Suites: ${SOURCE.suite}`,
        `  Components: main`,
        `  Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg`,
        'then: apt-get update && apt-get install -y dpkg-dev',
      ].join('\n'),
    );
  }
}

// 2. A fresh tree with Debian's patches applied, built next to where it is installed.
const tree = `${out}.tree`;
rmSync(tree, { recursive: true, force: true });
rmSync(out, { recursive: true, force: true });
mkdirSync(dirname(out), { recursive: true });
run('dpkg-source', ['-x', dsc, tree], { stdio: ['ignore', 'ignore', 'inherit'] });
for (const patch of patchesFor(recipe))
  run('patch', ['-p1', '-d', tree, '-i', patch], { stdio: ['ignore', 'ignore', 'inherit'] });

const options = [...makeOptions(recipe), 'MAKE_NB_JOBS=2'];
const startedAt = Date.now();
run('nice', ['-n', '19', 'make', '-C', tree, 'libs', ...options]);
const staging = `${out}.partial`;
rmSync(staging, { recursive: true, force: true });
run('make', ['-C', tree, 'install', `PREFIX=${staging}`, ...options], { stdio: ['ignore', 'ignore', 'inherit'] });
const minutes = (Date.now() - startedAt) / 60000;

// 3. Only the static library (installed as a versioned file and a symlink to it) and
// the headers are kept; a half-finished build never takes the final name.
const installed = realpathSync(join(staging, 'lib', 'libopenblas.a'));
renameSync(installed, join(staging, 'libopenblas.a'));
rmSync(join(staging, 'lib'), { recursive: true });
rmSync(join(staging, 'bin'), { recursive: true, force: true });
mkdirSync(join(staging, 'lib'));
renameSync(join(staging, 'libopenblas.a'), join(staging, 'lib', 'libopenblas.a'));
const record = {
  source: SOURCE,
  patches: patchesFor(recipe).map((path) => basename(path)),
  ...recipe,
  options,
  buildMinutes: Number(minutes.toFixed(1)),
};
writeFileSync(join(staging, 'recipe.json'), `${JSON.stringify(record, null, 2)}\n`);
renameSync(staging, out);
rmSync(tree, { recursive: true, force: true });
const mib = (statSync(library).size / 2 ** 20).toFixed(1);
console.log(`build:openblas: ${library} (${mib} MiB, ${minutes.toFixed(1)} min)`);
