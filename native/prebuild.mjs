#!/usr/bin/env node
// Builds the prebuilt binary that ships in the package:
//   prebuilds/<platform>-<arch>/blasprop.<libc>.node
// with OpenBLAS linked statically (BLASPROP_OPENBLAS_STATIC=1, read by binding.gyp
// through native/build-config/openblas.cjs) and stripped.
//
// One Node-API build (NAPI_VERSION in binding.gyp) serves every Node.js version that
// has that Node-API version, so the build targets the running Node.js only for its
// headers. It runs in a scratch copy of the native sources, so that it neither
// overwrites nor reuses the developer's own build/ (a shared, dynamically linked one).

import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
// Inside the repository so that node_modules (node-addon-api, node-gyp) resolve;
// matched by .gitignore's build-*/.
const stage = join(root, 'build-prebuild');
const prebuildify = join(root, 'node_modules', 'prebuildify', 'bin.js');
const outDir = join(root, 'prebuilds', `${process.platform}-${process.arch}`);

rmSync(stage, { recursive: true, force: true });
mkdirSync(stage);
for (const entry of ['binding.gyp', 'package.json', 'native'])
  cpSync(join(root, entry), join(stage, entry), { recursive: true });
rmSync(outDir, { recursive: true, force: true });

const env = { ...process.env, BLASPROP_OPENBLAS_STATIC: '1' };
// Build against this Node.js's own headers when it ships them (distribution packages
// and official tarballs do), instead of letting node-gyp download them.
const ownHeaders = join(dirname(dirname(process.execPath)), 'include', 'node', 'node_api.h');
if (!env.npm_config_nodedir && existsSync(ownHeaders)) env.npm_config_nodedir = dirname(dirname(process.execPath));

const args = [prebuildify, stage, '--napi', '--strip', '--tag-libc', `--target=node@${process.versions.node}`];
args.push(`--out=${root}`);
const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
if (result.status !== 0) {
  console.error(`prebuild: prebuildify failed (exit ${result.status ?? result.signal})`);
  process.exit(1);
}
rmSync(stage, { recursive: true, force: true });

for (const file of readdirSync(outDir)) {
  const { size } = statSync(join(outDir, file));
  console.log(
    `prebuild: ${join('prebuilds', `${process.platform}-${process.arch}`, file)} (${(size / 2 ** 20).toFixed(1)} MiB)`,
  );
}
