#!/usr/bin/env node
// End-to-end check of what `npm install blasprop` delivers on Linux, per prebuilt
// architecture (x64 natively, arm64 under qemu-user emulation):
//   1. builds the statically linked prebuilds and packs the package with `npm pack`,
//      whose prepack check must refuse a package without its release binaries;
//   2. checks the tarball's file list and sizes;
//   3. checks each binary: shared-library dependencies, exported and imported
//      symbols, glibc baseline, the OpenBLAS version inside;
//   4. installs the tarball into a new project with every compiler and make replaced
//      by traps that record the call and fail, so that any build attempt is caught,
//      and with npm's output checked for install-script warnings;
//   5. uses the package there (consumer.mjs), also from two worker threads at once,
//      and checks every OpenBLAS kernel family in the build (kernel-family.mjs);
//   6. shows the error a platform without a prebuild gets, then rebuilds from source
//      there, to show the tarball has all a source build needs.
// Prints one line per check and a final "N passed, M failed"; exits 1 on failure.
//
//   npm run test:package                        the release: x64 and arm64, OpenBLAS
//                                               built from source (npm run build:openblas)
//   npm run test:package -- --openblas system   this machine's architecture only, linked to
//                                               the system's libopenblas.a (CI: quick, and
//                                               not what ships)
//   --arch x64|arm64 narrows the architectures; KEEP_TEMP=1 keeps the scratch folder.

import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { arm64Node } from '../../native/arm64/emulator.mjs';
import { KERNEL_FAMILIES, OPENBLAS_VERSION, toolchain } from '../../native/openblas/recipe.mjs';
import { embeddedOpenBlasVersion, prebuildPath, RELEASE_ARCHES } from '../../native/release.mjs';

const { values: options } = parseArgs({
  options: { openblas: { type: 'string', default: 'release' }, arch: { type: 'string' } },
});
const release = options.openblas === 'release';
if (!['release', 'system'].includes(options.openblas)) {
  console.log(`FAIL unknown --openblas ${options.openblas} (expected release or system)`);
  process.exit(1);
}
const arches = options.arch ? options.arch.split(',') : release ? RELEASE_ARCHES : [process.arch];

const root = fileURLToPath(new URL('../..', import.meta.url));
const helpersUrl = pathToFileURL(join(root, 'test', 'helpers')).href;
const scratch = mkdtempSync(join(tmpdir(), 'blasprop-package-'));

/** Shared libraries a Node.js addon may rely on anywhere glibc Node.js runs. */
const ALLOWED_NEEDED = ['libc.so.6', 'libm.so.6', 'libpthread.so.0', 'libdl.so.2', 'librt.so.1', 'libstdc++.so.6'];
const LOADER = { x64: 'ld-linux-x86-64.so.2', arm64: 'ld-linux-aarch64.so.1' };
const ALLOWED_EXPORTS = ['napi_register_module_v1', 'node_api_module_get_api_version_v1'];
/** Official Node.js 20 binaries need glibc 2.28 (x64 and arm64); the addon must not ask for more. */
const GLIBC_CEILING = [2, 28];
/** Size goals for the release build: one binary, and the tarball a user downloads. */
const MAX_BINARY_BYTES = 10 * 2 ** 20;
const MAX_TARBALL_BYTES = 4 * 2 ** 20;
const TRAPPED_TOOLS = ['cc', 'gcc', 'c++', 'g++', 'clang', 'clang++', 'make', 'python3', 'python'];

/**
 * How each arm64 kernel family is checked under emulation: the qemu CPU model, and
 * OPENBLAS_CORETYPE where the family is forced rather than detected. The SVE families
 * run at both vector lengths their hardware has (128-bit: Neoverse N2, Graviton4;
 * 256-bit: Neoverse V1, Graviton3), since their kernels read the length at run time.
 */
const ARM64_CASES = [
  { cpu: 'cortex-a57', expect: 'armv8' },
  { cpu: 'neoverse-n1', expect: 'neoversen1' },
  { cpu: 'max', expect: 'armv8' }, // an SVE CPU OpenBLAS does not know: the generic kernels
  { cpu: 'max,sve-default-vector-length=32', coretype: 'neoversev1', expect: 'neoversev1' },
  { cpu: 'max,sve-default-vector-length=16', coretype: 'neoversev1', expect: 'neoversev1' },
  { cpu: 'max,sve-default-vector-length=16', coretype: 'neoversen2', expect: 'neoversen2' },
  { cpu: 'max,sve-default-vector-length=32', coretype: 'neoversen2', expect: 'neoversen2' },
];

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail ? `\n       ${detail}` : ''}`);
}

/** Runs a command; on failure prints its output and ends the run. */
function run(command, args, opts = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, ...opts });
  if (result.status !== 0) {
    console.log(`FAIL ${command} ${args.join(' ')} (exit ${result.status ?? result.signal})`);
    console.log(`${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`.trim());
    finish();
  }
  return result.stdout;
}

function finish() {
  if (process.env.KEEP_TEMP) console.log(`scratch folder kept: ${scratch}`);
  else rmSync(scratch, { recursive: true, force: true });
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(2)} MiB`;

/** Reads the JSON lines { name, ok, detail } a script run in the project printed. */
function countChecks(result, prefix, minimum) {
  const lines = result.stdout.split('\n').filter((line) => line.startsWith('{'));
  for (const line of lines) {
    const { name, ok, detail } = JSON.parse(line);
    check(`${prefix}${name}`, ok, detail);
  }
  check(
    `${prefix}the script ran to the end`,
    result.status === 0 && lines.length >= minimum,
    `${result.stderr ?? ''}${result.error ?? ''}`.trim(),
  );
}

// 1. Build and pack ---------------------------------------------------------------

const binutils = (arch) => toolchain(arch).binutils;
for (const arch of arches) {
  for (const tool of ['readelf', 'nm', 'objdump']) {
    if (spawnSync(`${binutils(arch)}${tool}`, ['--version']).status !== 0) {
      const hint = arch === process.arch ? 'binutils' : `crossbuild-essential-${arch}`;
      console.log(`FAIL ${binutils(arch)}${tool} is missing: apt-get install -y ${hint}`);
      process.exit(1);
    }
  }
}
const expectedOpenBlas = release
  ? OPENBLAS_VERSION
  : execFileSync('pkg-config', ['--modversion', 'openblas'], { encoding: 'utf8' }).trim();
console.log(`testing ${arches.map((arch) => `linux-${arch}`).join(', ')} with OpenBLAS ${expectedOpenBlas}`);

run('npm', ['run', 'build'], { cwd: root });
for (const arch of arches) {
  run('npm', ['run', 'build:prebuild', '--', '--arch', arch, '--openblas', options.openblas], { cwd: root });
}

const packArgs = ['pack', '--json', '--pack-destination', scratch];
// npm prints the prepack script's output on stdout too, ahead of its JSON.
const packResult = (stdout) => JSON.parse(stdout.slice(stdout.search(/^\[/m)));
const packed = spawnSync('npm', packArgs, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
const tarballs = () => readdirSync(scratch).filter((file) => file.endsWith('.tgz'));
let pack;
if (release && arches.length === RELEASE_ARCHES.length) {
  check('npm pack (with its prepack check) succeeds', packed.status === 0, packed.stderr.trim());
  if (packed.status !== 0) finish();
  [pack] = packResult(packed.stdout);
} else {
  // Without every release binary, linked to the release OpenBLAS, packing must fail
  // and say why, rather than make a tarball that needs a compiler everywhere.
  check(
    'npm pack refuses a package without its release binaries, and says which',
    packed.status !== 0 && /refusing to pack/.test(packed.stderr) && tarballs().length === 0,
    `exit ${packed.status}, ${tarballs().length} tarball(s): ${packed.stderr.trim().split('\n').slice(-4).join(' | ')}`,
  );
  [pack] = packResult(run('npm', [...packArgs, '--ignore-scripts'], { cwd: root }));
}
const tarball = join(scratch, pack.filename);
console.log(`tarball ${pack.filename}: ${mib(pack.size)} packed, ${mib(pack.unpackedSize)} unpacked`);

// 2. The tarball's contents -------------------------------------------------------

const packedPaths = pack.files.map((file) => file.path);
const required = [
  ...arches.map((arch) => prebuildPath(arch)),
  'dist/index.js',
  'dist/index.d.ts',
  'dist/queue/index.js',
  'dist/queue/index.d.ts',
  'binding.gyp',
  'native/src/addon.cc',
  'native/src/glibc_baseline.cc',
  'native/build-config/openblas.cjs',
  'native/build-config/exports.map',
  'native/licenses/OpenBLAS-LICENSE.txt',
  'LICENSE',
  'README.md',
  'package.json',
];
for (const path of required) check(`tarball contains ${path}`, packedPaths.includes(path));
const forbidden = [
  /^test\//,
  /^bench\//,
  /^build(-[^/]*)?\//,
  /^scripts\//,
  /^src\//,
  /^node_modules\//,
  /^native\/(openblas|arm64)\//,
  /\.(js|ts)\.map$/,
];
const unwanted = packedPaths.filter((path) => forbidden.some((pattern) => pattern.test(path)));
check(
  'tarball has no tests, benchmarks, build folders, release scripts, source maps or TypeScript sources',
  unwanted.length === 0,
  unwanted.join(', '),
);
if (release) {
  check(
    `the tarball (all a user downloads) is at most ${mib(MAX_TARBALL_BYTES)}: ${mib(pack.size)}`,
    pack.size <= MAX_TARBALL_BYTES,
  );
}

// 3. The binaries -----------------------------------------------------------------

const symbolNames = (text) =>
  text
    .split('\n')
    .map((line) => line.trim().split(/\s+/).pop())
    .filter(Boolean);

for (const arch of arches) {
  const tag = `linux-${arch}: `;
  const binary = join(root, prebuildPath(arch));
  const tool = (name) => `${binutils(arch)}${name}`;
  const size = pack.files.find((file) => file.path === prebuildPath(arch))?.size ?? 0;
  console.log(`${tag}${prebuildPath(arch)} is ${mib(size)}`);
  if (release) check(`${tag}the binary is at most ${mib(MAX_BINARY_BYTES)}: ${mib(size)}`, size <= MAX_BINARY_BYTES);
  const version = embeddedOpenBlasVersion(binary);
  check(`${tag}links OpenBLAS ${expectedOpenBlas}`, version === expectedOpenBlas, `found ${version}`);

  const dynamic = run(tool('readelf'), ['-d', binary]);
  const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((match) => match[1]);
  const allowed = [...ALLOWED_NEEDED, LOADER[arch], 'libgcc_s.so.1'];
  const unexpectedNeeded = needed.filter((library) => !allowed.includes(library));
  check(
    `${tag}NEEDED is only libc-level libraries (${needed.join(', ')})`,
    unexpectedNeeded.length === 0,
    unexpectedNeeded.join(', '),
  );
  check(`${tag}no RPATH or RUNPATH`, !/\((RPATH|RUNPATH)\)/.test(dynamic));

  const exported = symbolNames(run(tool('nm'), ['-D', '--defined-only', binary]));
  const extraExports = exported.filter((name) => !ALLOWED_EXPORTS.includes(name));
  check(
    `${tag}exports only the Node-API registration symbols`,
    extraExports.length === 0 && exported.length === 2,
    extraExports.slice(0, 20).join(', '),
  );

  // Every import must come from Node.js itself (Node-API) or from a versioned system
  // library; an unversioned leftover such as _gfortran_* would fail at load time.
  const imported = symbolNames(run(tool('nm'), ['-D', '--undefined-only', binary]));
  const stray = imported.filter(
    (name) =>
      !/^(napi_|node_api_)/.test(name) && !name.includes('@') && !/^(_ITM_|__gmon_start__|__cxa_finalize)/.test(name),
  );
  check(
    `${tag}every imported symbol is Node-API or versioned libc/libstdc++`,
    stray.length === 0,
    stray.slice(0, 20).join(', '),
  );

  const glibcVersions = [...run(tool('objdump'), ['-T', binary]).matchAll(/GLIBC_(\d+)\.(\d+)/g)].map((match) => [
    Number(match[1]),
    Number(match[2]),
  ]);
  const newest = glibcVersions.reduce((a, b) => (b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? b : a), [0, 0]);
  check(
    `${tag}requires no glibc newer than ${GLIBC_CEILING.join('.')} (newest: GLIBC_${newest.join('.')})`,
    newest[0] < GLIBC_CEILING[0] || (newest[0] === GLIBC_CEILING[0] && newest[1] <= GLIBC_CEILING[1]),
  );
}

// 4. Install with no way to compile ------------------------------------------------

const npmCli =
  process.env.npm_execpath || realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());

/**
 * How to run Node.js for `arch`: this process's for its own architecture, else the
 * arm64 one under qemu, emulating `cpu`.
 */
function nodeFor(arch, cpu) {
  if (arch === process.arch) return { command: process.execPath, args: [] };
  if (arch === 'arm64' && process.arch === 'x64') return arm64Node(cpu);
  throw new Error(`linux-${arch} cannot be run on this ${process.arch} machine (emulated: arm64 on x64)`);
}

/**
 * A PATH of node, sh and traps: each trap logs that it was called and fails. `node`
 * is the target architecture's, so that npm's own child processes run on it too.
 */
function noCompilerTools(arch, trapLog) {
  const tools = join(scratch, `tools-${arch}`);
  mkdirSync(tools);
  const node = nodeFor(arch);
  if (arch === process.arch) execFileSync('ln', ['-s', process.execPath, join(tools, 'node')]);
  else writeFileSync(join(tools, 'node'), `#!/bin/sh\nexec ${[node.command, ...node.args].join(' ')} "$@"\n`);
  chmodSync(join(tools, 'node'), 0o755);
  execFileSync('ln', ['-s', '/bin/sh', join(tools, 'sh')]);
  for (const name of TRAPPED_TOOLS) {
    const trap = join(tools, name);
    writeFileSync(
      trap,
      `#!/bin/sh\necho "${name} $*" >> '${trapLog}'\necho "${name} is not available here" >&2\nexit 127\n`,
    );
    chmodSync(trap, 0o755);
  }
  return tools;
}

function noCompilerEnv(tools) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_/i.test(key) && !/^(BLASPROP_|OPENBLAS_|GOTO_|OMP_|PREBUILDS_ONLY$)/.test(key),
    ),
  );
  return { ...env, PATH: tools, CC: 'false', CXX: 'false', npm_config_build_from_source: 'false' };
}

/** npm's warnings about lifecycle scripts of installed packages, as npm 11 prints them. */
const installScriptNoise = (output) =>
  output
    .split('\n')
    .filter((line) => /install-scripts|blasprop@[^ ]* \((preinstall|install|postinstall|prepare)/.test(line));

const apps = {};
for (const arch of arches) {
  const tag = `linux-${arch}: `;
  const trapLog = join(scratch, `trapped-calls-${arch}.log`);
  const env = noCompilerEnv(noCompilerTools(arch, trapLog));
  const compileAttempt = spawnSync('sh', ['-c', 'g++ --version && make --version'], { env });
  check(`${tag}the install environment cannot compile (g++ and make fail)`, compileAttempt.status !== 0);
  rmSync(trapLog, { force: true });

  const app = join(scratch, `app-${arch}`);
  mkdirSync(app);
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }),
  );
  const node = nodeFor(arch);
  const startedAt = Date.now();
  const install = spawnSync(
    node.command,
    [...node.args, npmCli, 'install', tarball, '--prefer-offline', '--no-audit', '--no-fund'],
    { cwd: app, env, encoding: 'utf8' },
  );
  const output = `${install.stdout}${install.stderr}`.trim();
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  check(`${tag}npm install of the tarball succeeds (${seconds} s)`, install.status === 0, output);
  check(
    `${tag}no compiler, make or python was called during install`,
    !existsSync(trapLog),
    existsSync(trapLog) ? run('cat', [trapLog]) : '',
  );
  const noise = installScriptNoise(output);
  check(`${tag}npm prints no install-script warning`, noise.length === 0, noise.join(' | '));
  check(`${tag}install left no build/ folder in the package`, !existsSync(join(app, 'node_modules/blasprop/build')));
  if (install.status === 0) apps[arch] = { app, env };
}

// 5. Use it -----------------------------------------------------------------------

function runInApp(arch, script, args, { cpu, env: extraEnv = {} } = {}) {
  const { app, env } = apps[arch];
  copyFileSync(fileURLToPath(new URL(script, import.meta.url)), join(app, script));
  const node = nodeFor(arch, cpu);
  return spawnSync(node.command, [...node.args, script, ...args], {
    cwd: app,
    env: { ...env, ...extraEnv },
    encoding: 'utf8',
    timeout: 15 * 60_000,
  });
}

for (const arch of Object.keys(apps)) {
  const tag = `linux-${arch}: `;
  countChecks(runInApp(arch, 'consumer.mjs', [expectedOpenBlas]), tag, 17);

  const families = KERNEL_FAMILIES[arch].map((family) => family.coretype);
  const cases =
    arch === 'arm64' ? ARM64_CASES : families.map((coretype) => ({ cpu: undefined, coretype, expect: coretype }));
  const uncovered = families.filter((family) => !cases.some((c) => c.expect === family));
  check(
    `${tag}every kernel family of the build is checked (${families.join(', ')})`,
    uncovered.length === 0,
    uncovered.join(', '),
  );
  for (const { cpu, coretype, expect } of cases) {
    const where = cpu ? `qemu -cpu ${cpu}: ` : '';
    const env = coretype ? { OPENBLAS_CORETYPE: coretype } : {};
    countChecks(runInApp(arch, 'kernel-family.mjs', [expect, helpersUrl], { cpu, env }), `${tag}${where}`, 19);
  }
}

// bullmq and ioredis are optional peers, not installed here: the main entry must not
// need them, and the queue entry and commands must say what to install.
if (apps[process.arch]) {
  const { app, env } = apps[process.arch];
  const installed = join(app, 'node_modules', 'blasprop');
  const probe = `await import('blasprop');
    await import('blasprop/queue').then(() => console.log('loaded'), (e) => console.log(e.code, e.message));`;
  const queueEntry = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    cwd: app,
    env,
    encoding: 'utf8',
  });
  check(
    'without bullmq and ioredis, blasprop loads and blasprop/queue fails naming a missing package',
    queueEntry.status === 0 && /^ERR_MODULE_NOT_FOUND .*'(bullmq|ioredis)'/.test(queueEntry.stdout),
    `${queueEntry.stdout}${queueEntry.stderr}`.trim(),
  );
  const worker = spawnSync(
    process.execPath,
    [join(installed, 'dist/cli/main.js'), 'worker', '--redis', 'redis://127.0.0.1:1'],
    { cwd: app, env, encoding: 'utf8' },
  );
  check(
    'without them, blasprop worker says which packages to install (exit 1)',
    worker.status === 1 && /^blasprop: .*npm install bullmq@\S+ ioredis@\S+\n$/.test(worker.stderr),
    `${worker.stdout}${worker.stderr}`.trim(),
  );
}

// 6. No prebuild for the platform, then a build from source ------------------------

if (apps[process.arch]) {
  const tag = `linux-${process.arch}: `;
  const { app, env } = apps[process.arch];
  const installed = join(app, 'node_modules', 'blasprop');

  // With no binary for the platform and no compiler, the first use must say what to do.
  renameSync(join(installed, 'prebuilds'), join(installed, 'prebuilds.hidden'));
  const probe = `import { dgemm } from 'blasprop';
    try { dgemm('N', 'N', 1, 1, 1, 1, new Float64Array(1), 1, new Float64Array(1), 1, 0, new Float64Array(1), 1); }
    catch (error) { console.log(JSON.stringify(error.message)); }`;
  const missing = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    cwd: app,
    env,
    encoding: 'utf8',
  });
  renameSync(join(installed, 'prebuilds.hidden'), join(installed, 'prebuilds'));
  let message = '';
  try {
    message = JSON.parse(missing.stdout);
  } catch {
    // Reported by the check below.
  }
  check(
    `${tag}without a prebuild or a compiler, the first call explains how to build one`,
    message.startsWith('Could not load the blasprop native addon') &&
      message.includes(`No prebuilt binary ships for linux-${process.arch}`) &&
      message.includes('npm explore blasprop -- npm run build:native') &&
      message.includes('BLASPROP_BACKEND=reference'),
    `${message || missing.stderr}`,
  );

  // With compilers back on PATH, building from the installed files alone proves the
  // tarball carries everything a platform without a prebuild needs.
  const sourceEnv = { ...env, PATH: process.env.PATH };
  for (const key of ['CC', 'CXX', 'npm_config_build_from_source']) delete sourceEnv[key];
  const startedAt = Date.now();
  const rebuild = spawnSync(
    process.execPath,
    [npmCli, 'explore', 'blasprop', '--', 'npm', 'run', 'build:native', '--loglevel=error'],
    { cwd: app, env: sourceEnv, encoding: 'utf8' },
  );
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  check(
    `${tag}npm explore blasprop -- npm run build:native builds from the tarball's files (${seconds} s)`,
    rebuild.status === 0,
    `${rebuild.stdout}${rebuild.stderr}`.trim(),
  );
  // By hand: [1 2 3; 4 5 6]·[7 8; 9 10; 11 12] = [58 64; 139 154].
  const used = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { blasInfo, dgemm } from 'blasprop';
      const c = dgemm('N', 'N', 2, 2, 3, 1, new Float64Array([1, 2, 3, 4, 5, 6]), 3,
        new Float64Array([7, 8, 9, 10, 11, 12]), 2, 0, new Float64Array(4), 2);
      const { binary, linkage } = blasInfo();
      console.log(JSON.stringify({ product: c.join(), binary, linkage }));`,
    ],
    { cwd: app, env: sourceEnv, encoding: 'utf8' },
  );
  let result = {};
  try {
    result = JSON.parse(used.stdout);
  } catch {
    // Reported by the checks below, with stderr.
  }
  const detail = `${used.stdout}${used.stderr}`.trim();
  check(
    `${tag}the source build is the one loaded (binary "local", linkage "shared")`,
    result.binary === 'local' && result.linkage === 'shared',
    detail,
  );
  check(`${tag}the source build gives the hand-computed product`, result.product === '58,64,139,154', detail);
}

finish();
