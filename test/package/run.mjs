#!/usr/bin/env node
// End-to-end check of what `npm install blasprop` delivers on linux-x64 glibc:
//   1. builds the statically linked prebuild and packs the package;
//   2. checks the tarball's file list;
//   3. checks the binary: shared-library dependencies, exported and imported symbols,
//      glibc baseline;
//   4. installs the tarball into a new project with every compiler and make replaced
//      by traps that record the call and fail, so that any build attempt is caught;
//   5. uses the package there (consumer.mjs), also from two worker threads at once;
//   6. rebuilds it there from source, to show the tarball has all a source build needs.
// Prints one line per check and a final "N passed, M failed"; exits 1 on failure.
//
//   npm run test:package            (KEEP_TEMP=1 keeps the scratch folder)

import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'blasprop-package-'));
const prebuildPath = 'prebuilds/linux-x64/blasprop.glibc.node';

/** Shared libraries a Node.js addon may rely on anywhere glibc Node.js runs. */
const ALLOWED_NEEDED = [
  'libc.so.6',
  'libm.so.6',
  'libpthread.so.0',
  'libdl.so.2',
  'librt.so.1',
  'libstdc++.so.6',
  'libgcc_s.so.1',
  'ld-linux-x86-64.so.2',
];
const ALLOWED_EXPORTS = ['napi_register_module_v1', 'node_api_module_get_api_version_v1'];
/** Official Node.js 20 binaries need glibc 2.28; the addon must not ask for more. */
const GLIBC_CEILING = [2, 28];
const TRAPPED_TOOLS = ['cc', 'gcc', 'c++', 'g++', 'clang', 'clang++', 'make', 'python3', 'python'];

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail ? `\n       ${detail}` : ''}`);
}

/** Runs a command; on failure prints its output and ends the run. */
function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20, ...options });
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

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

// 1. Build and pack ---------------------------------------------------------------

for (const tool of ['readelf', 'nm', 'objdump']) {
  if (spawnSync(tool, ['--version']).status !== 0) {
    console.log(`FAIL ${tool} is missing: install binutils (apt-get install -y binutils)`);
    process.exit(1);
  }
}
run('npm', ['run', 'build'], { cwd: root });
run('npm', ['run', 'build:prebuild'], { cwd: root });
const [pack] = JSON.parse(
  run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: root }),
);
const tarball = join(scratch, pack.filename);
const prebuildSize = pack.files.find((file) => file.path === prebuildPath)?.size;
console.log(`tarball ${pack.filename}: ${mib(pack.size)} packed, ${mib(pack.unpackedSize)} unpacked`);
console.log(`prebuild ${prebuildPath}: ${prebuildSize === undefined ? 'missing' : mib(prebuildSize)}`);

// 2. The tarball's contents -------------------------------------------------------

const packed = pack.files.map((file) => file.path);
const required = [
  prebuildPath,
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
for (const path of required) check(`tarball contains ${path}`, packed.includes(path));
const forbidden = [
  /^test\//,
  /^bench\//,
  /^build(-[^/]*)?\//,
  /^scripts\//,
  /^src\//,
  /^node_modules\//,
  /\.(js|ts)\.map$/,
];
const unwanted = packed.filter((path) => forbidden.some((pattern) => pattern.test(path)));
check(
  'tarball has no tests, benchmarks, build folders, source maps or TypeScript sources',
  unwanted.length === 0,
  unwanted.join(', '),
);

// 3. The binary -------------------------------------------------------------------

const binary = join(root, prebuildPath);
const needed = [...run('readelf', ['-d', binary]).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map(
  (match) => match[1],
);
const unexpectedNeeded = needed.filter((library) => !ALLOWED_NEEDED.includes(library));
check(
  `NEEDED is only libc-level libraries (${needed.join(', ')})`,
  unexpectedNeeded.length === 0,
  unexpectedNeeded.join(', '),
);
check('no RPATH or RUNPATH', !/\((RPATH|RUNPATH)\)/.test(run('readelf', ['-d', binary])));

const symbolNames = (text) =>
  text
    .split('\n')
    .map((line) => line.trim().split(/\s+/).pop())
    .filter(Boolean);
const exported = symbolNames(run('nm', ['-D', '--defined-only', binary]));
const extraExports = exported.filter((name) => !ALLOWED_EXPORTS.includes(name));
check(
  'exports only the Node-API registration symbols',
  extraExports.length === 0 && exported.length === 2,
  extraExports.slice(0, 20).join(', '),
);

// Every import must come from Node.js itself (Node-API) or from a versioned system
// library; an unversioned leftover such as _gfortran_* would fail at load time.
const imported = symbolNames(run('nm', ['-D', '--undefined-only', binary]));
const stray = imported.filter(
  (name) =>
    !/^(napi_|node_api_)/.test(name) && !name.includes('@') && !/^(_ITM_|__gmon_start__|__cxa_finalize)/.test(name),
);
check(
  'every imported symbol is Node-API or versioned libc/libstdc++',
  stray.length === 0,
  stray.slice(0, 20).join(', '),
);

const glibcVersions = [...run('objdump', ['-T', binary]).matchAll(/GLIBC_(\d+)\.(\d+)/g)].map((match) => [
  Number(match[1]),
  Number(match[2]),
]);
const newest = glibcVersions.reduce((a, b) => (b[0] > a[0] || (b[0] === a[0] && b[1] > a[1]) ? b : a), [0, 0]);
console.log(`newest glibc symbol version required: GLIBC_${newest.join('.')}`);
check(
  `requires no glibc newer than ${GLIBC_CEILING.join('.')}`,
  newest[0] < GLIBC_CEILING[0] || (newest[0] === GLIBC_CEILING[0] && newest[1] <= GLIBC_CEILING[1]),
  `GLIBC_${newest.join('.')}`,
);

// 4. Install with no way to compile ------------------------------------------------

// A PATH of node, sh and traps: each trap logs that it was called and fails.
const tools = join(scratch, 'tools');
const trapLog = join(scratch, 'trapped-calls.log');
mkdirSync(tools);
execFileSync('ln', ['-s', process.execPath, join(tools, 'node')]);
execFileSync('ln', ['-s', '/bin/sh', join(tools, 'sh')]);
for (const tool of TRAPPED_TOOLS) {
  const trap = join(tools, tool);
  writeFileSync(
    trap,
    `#!/bin/sh\necho "${tool} $*" >> '${trapLog}'\necho "${tool} is not available here" >&2\nexit 127\n`,
  );
  chmodSync(trap, 0o755);
}
const npmCli =
  process.env.npm_execpath || realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
const noCompilerEnv = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !/^npm_/i.test(key) && !/^(BLASPROP_|OPENBLAS_|GOTO_|OMP_|PREBUILDS_ONLY$)/.test(key),
  ),
);
Object.assign(noCompilerEnv, {
  PATH: tools,
  CC: 'false',
  CXX: 'false',
  npm_config_build_from_source: 'false',
  PREBUILDS_ONLY: '1',
});
const compileAttempt = spawnSync('sh', ['-c', 'g++ --version && make --version'], { env: noCompilerEnv });
check('the install environment cannot compile (g++ and make fail)', compileAttempt.status !== 0);
rmSync(trapLog, { force: true });

const app = join(scratch, 'app');
mkdirSync(app);
writeFileSync(
  join(app, 'package.json'),
  JSON.stringify({ name: 'app', version: '1.0.0', private: true, type: 'module' }),
);
const startedAt = Date.now();
const install = spawnSync(
  process.execPath,
  [npmCli, 'install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
  { cwd: app, env: noCompilerEnv, encoding: 'utf8' },
);
check(
  `npm install of the tarball succeeds (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`,
  install.status === 0,
  `${install.stdout}${install.stderr}`.trim(),
);
check(
  'no compiler, make or python was called during install',
  !existsSync(trapLog),
  existsSync(trapLog) ? run('cat', [trapLog]) : '',
);
const installed = join(app, 'node_modules', 'blasprop');
check('install left no build/ folder in the package', !existsSync(join(installed, 'build')));

// 5. Use it -----------------------------------------------------------------------

if (install.status === 0) {
  copyFileSync(fileURLToPath(new URL('consumer.mjs', import.meta.url)), join(app, 'consumer.mjs'));
  const { PREBUILDS_ONLY: _, ...consumerEnv } = noCompilerEnv;
  const consumer = spawnSync(process.execPath, ['consumer.mjs'], { cwd: app, env: consumerEnv, encoding: 'utf8' });
  const lines = consumer.stdout.split('\n').filter((line) => line.startsWith('{'));
  for (const line of lines) {
    const { name, ok, detail } = JSON.parse(line);
    check(name, ok, detail);
  }
  check('the consumer script ran to the end', consumer.status === 0 && lines.length >= 12, `${consumer.stderr}`.trim());

  // bullmq and ioredis are optional peers, not installed here: the main entry must not
  // need them, and the queue entry and commands must say what to install.
  const probe = `await import('blasprop');
    await import('blasprop/queue').then(() => console.log('loaded'), (e) => console.log(e.code, e.message));`;
  const queueEntry = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    cwd: app,
    env: consumerEnv,
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
    { cwd: app, env: consumerEnv, encoding: 'utf8' },
  );
  check(
    'without them, blasprop worker says which packages to install (exit 1)',
    worker.status === 1 && /^blasprop: .*npm install bullmq@\S+ ioredis@\S+\n$/.test(worker.stderr),
    `${worker.stdout}${worker.stderr}`.trim(),
  );
}

// 6. The tarball also builds from source -------------------------------------------

// With compilers back on PATH, rebuilding from the installed files alone proves the
// tarball carries everything a platform without a prebuild needs.
if (install.status === 0) {
  const sourceEnv = { ...noCompilerEnv, PATH: process.env.PATH };
  for (const key of ['CC', 'CXX', 'npm_config_build_from_source', 'PREBUILDS_ONLY']) delete sourceEnv[key];
  const startedAt = Date.now();
  const rebuild = spawnSync(
    process.execPath,
    [npmCli, 'rebuild', 'blasprop', '--build-from-source', '--loglevel=error'],
    {
      cwd: app,
      env: sourceEnv,
      encoding: 'utf8',
    },
  );
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  check(
    `npm rebuild --build-from-source succeeds from the tarball's files (${seconds} s)`,
    rebuild.status === 0,
    `${rebuild.stdout}${rebuild.stderr}`.trim(),
  );
  // By hand: [1 2 3; 4 5 6]·[7 8; 9 10; 11 12] = [58 64; 139 154].
  const probe = `import { blasInfo, dgemm } from 'blasprop';
    const c = dgemm('N', 'N', 2, 2, 3, 1, new Float64Array([1, 2, 3, 4, 5, 6]), 3,
      new Float64Array([7, 8, 9, 10, 11, 12]), 2, 0, new Float64Array(4), 2);
    const { binary, linkage } = blasInfo();
    console.log(JSON.stringify({ product: c.join(), binary, linkage }));`;
  const used = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
    cwd: app,
    env: sourceEnv,
    encoding: 'utf8',
  });
  let result = {};
  try {
    result = JSON.parse(used.stdout);
  } catch {
    // Reported by the checks below, with stderr.
  }
  const detail = `${used.stdout}${used.stderr}`.trim();
  check(
    'the source build is the one loaded (binary "local", linkage "shared")',
    result.binary === 'local' && result.linkage === 'shared',
    detail,
  );
  check('the source build gives the hand-computed product', result.product === '58,64,139,154', detail);
}

finish();
