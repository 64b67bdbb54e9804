#!/usr/bin/env node
// Prints the compiler or linker flags for OpenBLAS, for binding.gyp's command
// expansions. Kept in one script so that a missing OpenBLAS fails the build with a
// message that says what to install, instead of a bare "cblas.h: No such file".
//
//   node openblas.cjs include_dirs | libs | defines | sources  [target_arch]
//
// Three ways to get OpenBLAS:
// - BLASPROP_OPENBLAS_DIR=<prefix> links <prefix>/lib/libopenblas.a statically, with
//   <prefix>/include's headers: the prebuilds' own OpenBLAS, built from source by
//   native/openblas/build.mjs (Windows: <prefix>/lib/openblas.lib);
// - BLASPROP_OPENBLAS_STATIC=1 links the system's PIC libopenblas.a (Debian's);
// - otherwise the shared system library found through pkg-config is used.
// target_arch is gyp's (binding.gyp passes it), which differs from this process's
// when cross-compiling.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const [mode, targetArch = process.arch] = process.argv.slice(2);
const ownBuild = process.env.BLASPROP_OPENBLAS_DIR;
const wantStatic = Boolean(ownBuild) || process.env.BLASPROP_OPENBLAS_STATIC === '1';

function fail(lines) {
  process.stderr.write(`\nblasprop: ${lines.join('\nblasprop: ')}\n\n`);
  process.exit(1);
}

function pkgConfig(args) {
  try {
    return execFileSync('pkg-config', [...args, 'openblas'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

// Debian and Ubuntu put each OpenBLAS flavour in its own multiarch folder; the
// pthread one is the default and the one a static build must use (DYNAMIC_ARCH, PIC).
function debianCandidates() {
  const arch = execFileSync('gcc', ['-dumpmachine'], { encoding: 'utf8' }).trim();
  return ['openblas-pthread', 'openblas-openmp', 'openblas-serial'].map((flavour) => ({
    include: `/usr/include/${arch}/${flavour}`,
    lib: `/usr/lib/${arch}/${flavour}`,
  }));
}

// A static build takes Debian's pthread flavour even when the system's default
// (pkg-config) is another: the OpenMP one would tie the binary to libgomp.
function staticPthreadFlavour() {
  let pthread;
  try {
    pthread = debianCandidates()[0];
  } catch {
    return undefined; // gcc missing: node-gyp will report that itself.
  }
  const complete =
    fs.existsSync(path.join(pthread.include, 'cblas.h')) && fs.existsSync(path.join(pthread.lib, 'libopenblas.a'));
  return complete ? pthread : undefined;
}

// vcpkg puts the headers one folder down, in include/openblas.
function locateOwnBuild() {
  const include = [path.join(ownBuild, 'include'), path.join(ownBuild, 'include', 'openblas')].find((dir) =>
    fs.existsSync(path.join(dir, 'cblas.h')),
  );
  const found = { include, lib: path.join(ownBuild, 'lib') };
  if (!include) {
    fail([
      `BLASPROP_OPENBLAS_DIR=${ownBuild} has no include/cblas.h.`,
      'Point it at an OpenBLAS installation prefix, such as the one `npm run build:openblas` prints.',
    ]);
  }
  return found;
}

function locate() {
  if (ownBuild) return locateOwnBuild();
  if (targetArch !== process.arch) {
    fail([
      `cross-compiling for ${targetArch} needs an OpenBLAS built for it:`,
      `  npm run build:openblas -- --arch ${targetArch}, then BLASPROP_OPENBLAS_DIR=<its prefix>`,
      `  (npm run build:prebuild -- --arch ${targetArch} does both).`,
    ]);
  }
  if (wantStatic) {
    const pthread = staticPthreadFlavour();
    if (pthread) return pthread;
  }
  const cflags = pkgConfig(['--cflags']);
  const libs = pkgConfig(['--libs']);
  if (cflags !== undefined && libs !== undefined) {
    const includeDir = (cflags.match(/-I(\S+)/) || [])[1];
    const libDir = (libs.match(/-L(\S+)/) || [])[1];
    if (includeDir && fs.existsSync(path.join(includeDir, 'cblas.h'))) return { include: includeDir, lib: libDir };
    if (!includeDir && fs.existsSync('/usr/include/cblas.h')) return { include: undefined, lib: libDir };
  }
  try {
    for (const c of debianCandidates()) {
      if (fs.existsSync(path.join(c.include, 'cblas.h'))) return c;
    }
  } catch {
    // gcc missing: node-gyp will report that itself.
  }
  return undefined;
}

// The pthread functions that glibc >= 2.32/2.34 versions anew, which a static build
// would otherwise require: native/src/glibc_baseline.cc binds each to its original
// version (x86-64 and arm64), so that the binary also loads on older glibc. The list
// is read from the forwarders that file defines, so the two cannot drift apart. A
// cross build targets the same glibc as this machine's (Debian's cross toolchains).
const GLIBC_BASELINE_SOURCE = 'native/src/glibc_baseline.cc';
const GLIBC_BASELINE_ARCHES = ['x64', 'arm64'];
function functionsToWrapForGlibcBaseline() {
  const glibc = process.platform === 'linux' && process.report.getReport().header.glibcVersionRuntime;
  if (!wantStatic || !glibc || !GLIBC_BASELINE_ARCHES.includes(targetArch)) return [];
  const source = fs.readFileSync(path.join(__dirname, '..', '..', GLIBC_BASELINE_SOURCE), 'utf8');
  return [...source.matchAll(/^FORWARDER \w+ __wrap_(\w+)\(/gm)].map((match) => match[1]);
}

const found = locate();
if (!found) {
  fail([
    'OpenBLAS was not found, so the native addon cannot be built from source.',
    'Install its development files and build again:',
    '  Debian/Ubuntu:  sudo apt-get install -y libopenblas-dev',
    '  Fedora/RHEL:    sudo dnf install -y openblas-devel',
    '  Alpine:         apk add openblas-dev',
    'pkg-config must be able to find "openblas" (check: pkg-config --libs openblas).',
  ]);
}

function staticLibraryFlags() {
  if (process.platform === 'win32') return path.join(found.lib, 'openblas.lib');
  const archive = found.lib && path.join(found.lib, 'libopenblas.a');
  if (!archive || !fs.existsSync(archive)) {
    fail([`a static build was asked for, but ${archive || 'libopenblas.a'} does not exist.`]);
  }
  // --exclude-libs keeps every OpenBLAS symbol local to the addon, so it cannot
  // clash with another BLAS loaded into the same process (numpy, torch, ...).
  // The archive needs only libm and pthreads from outside: a BLAS-only build (or the
  // BLAS part of Debian's) pulls in no Fortran, so no libgfortran.
  const wraps = functionsToWrapForGlibcBaseline().map((name) => `-Wl,--wrap=${name}`);
  return [archive, '-Wl,--exclude-libs,ALL', ...wraps, '-lpthread', '-lm'].join(' ');
}

if (mode === 'include_dirs') {
  process.stdout.write(found.include ?? '');
} else if (mode === 'libs') {
  if (wantStatic) {
    process.stdout.write(staticLibraryFlags());
  } else {
    const dir = found.lib ? `-L${found.lib} ` : '';
    process.stdout.write(`${dir}-lopenblas`);
  }
} else if (mode === 'defines') {
  process.stdout.write(wantStatic ? 'BLASPROP_OPENBLAS_STATIC=1' : 'BLASPROP_OPENBLAS_STATIC=0');
} else if (mode === 'sources') {
  process.stdout.write(functionsToWrapForGlibcBaseline().length ? GLIBC_BASELINE_SOURCE : '');
} else {
  fail([`unknown mode "${mode}" (expected include_dirs, libs, defines or sources)`]);
}
