#!/usr/bin/env node
// Builds a prebuilt binary that ships in the package:
//   prebuilds/linux-<arch>/blasprop.glibc.node
// with OpenBLAS linked statically (read by binding.gyp through
// native/build-config/openblas.cjs) and stripped.
//
//   npm run build:prebuild -- [--arch x64|arm64] [--openblas release|system|PREFIX] [--out DIR]
//
// --openblas release (the default, and what ships) links the OpenBLAS built from
// source by `npm run build:openblas` (native/openblas/), building it first when it is
// not in the cache yet. --openblas system links Debian's libopenblas.a (0.3.21 on
// Debian 12) instead: quick, for CI and for checking the packaging; it is never
// what ships. --openblas PREFIX links another OpenBLAS installed there (include/,
// lib/libopenblas.a), such as a variant from `npm run build:openblas -- --threading`;
// --out then writes DIR/prebuilds/... instead of into the package, for comparing
// builds (bench/openblas-compare). --arch arm64 cross-compiles on x86-64 with
// Debian's crossbuild-essential-arm64.
//
// One Node-API build (NAPI_VERSION in binding.gyp) serves every Node.js version that
// has that Node-API version, so the build targets the running Node.js only for its
// headers. It runs in a scratch copy of the native sources, so that it neither
// overwrites nor reuses the developer's own build/ (a shared, dynamically linked one).

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { buildDir, releaseBuild, SUPPORTED_ARCHES, toolchain } from './openblas/recipe.mjs';

const { values } = parseArgs({
  options: {
    arch: { type: 'string', default: process.arch },
    openblas: { type: 'string', default: 'release' },
    out: { type: 'string' },
  },
});
const { arch, openblas } = values;

function fail(message) {
  console.error(`prebuild: ${message}`);
  process.exit(1);
}
if (process.platform !== 'linux') fail('this script builds the Linux prebuilds; see .github/workflows/ for the others');
if (!SUPPORTED_ARCHES.includes(arch)) fail(`unknown --arch ${arch} (expected ${SUPPORTED_ARCHES.join(' or ')})`);
const tools = toolchain(arch);
const otherPrefix = !['release', 'system'].includes(openblas) && resolve(openblas);
if (otherPrefix && !existsSync(join(otherPrefix, 'lib', 'libopenblas.a'))) {
  fail(`--openblas ${openblas}: expected release, system, or an OpenBLAS prefix with lib/libopenblas.a`);
}
if (openblas === 'system' && arch !== process.arch) fail('--openblas system builds for this machine only');

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the repository so that node_modules (node-addon-api, node-gyp) resolve;
// matched by .gitignore's build-*/.
const stage = join(root, `build-prebuild-${arch}`);
const prebuildify = join(root, 'node_modules', 'prebuildify', 'bin.js');
const outRoot = values.out ? resolve(values.out) : root;
const outDir = join(outRoot, 'prebuilds', `linux-${arch}`);

const env = { ...process.env };
delete env.BLASPROP_OPENBLAS_DIR;
delete env.BLASPROP_OPENBLAS_STATIC;
if (openblas === 'release') {
  const recipe = releaseBuild(arch);
  const prefix = buildDir(recipe);
  if (!existsSync(join(prefix, 'lib', 'libopenblas.a'))) {
    console.log(`prebuild: OpenBLAS for linux-${arch} is not built yet; building it (a few minutes, once)`);
    const built = spawnSync(process.execPath, [join(root, 'native/openblas/build.mjs'), '--arch', arch], {
      stdio: 'inherit',
    });
    if (built.status !== 0) fail('building OpenBLAS failed');
  }
  env.BLASPROP_OPENBLAS_DIR = prefix;
} else if (otherPrefix) {
  env.BLASPROP_OPENBLAS_DIR = otherPrefix;
} else {
  env.BLASPROP_OPENBLAS_STATIC = '1';
}
if (tools.cross) {
  // node-gyp's make files compile and link with these; strip must read the target's ELF.
  Object.assign(env, { CC: tools.cc, CXX: tools.cxx, LINK: tools.cxx });
}
// Build against this Node.js's own headers when it ships them (distribution packages
// and official tarballs do), instead of letting node-gyp download them. Node-API's
// headers are the same for every architecture.
const ownHeaders = join(dirname(dirname(process.execPath)), 'include', 'node', 'node_api.h');
if (!env.npm_config_nodedir && existsSync(ownHeaders)) env.npm_config_nodedir = dirname(dirname(process.execPath));

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage);
for (const entry of ['binding.gyp', 'package.json', 'native'])
  cpSync(join(root, entry), join(stage, entry), { recursive: true });
rmSync(outDir, { recursive: true, force: true });

const args = [
  prebuildify,
  stage,
  '--napi',
  '--strip',
  `--strip-bin=${tools.binutils}strip`,
  '--tag-libc',
  `--arch=${arch}`,
  `--target=node@${process.versions.node}`,
  `--out=${outRoot}`,
];
const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
if (result.status !== 0) fail(`prebuildify failed (exit ${result.status ?? result.signal})`);
rmSync(stage, { recursive: true, force: true });

for (const file of readdirSync(outDir)) {
  const { size } = statSync(join(outDir, file));
  console.log(`prebuild: ${join(outDir, file)} (${(size / 2 ** 20).toFixed(1)} MiB)`);
}
