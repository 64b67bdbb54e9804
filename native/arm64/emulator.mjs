#!/usr/bin/env node
// Runs arm64 Linux programs on this x86-64 machine: qemu-user (qemu-aarch64-static)
// with a sysroot that holds Debian trixie's arm64 Node.js and the libraries it needs,
// unpacked from Debian's packages (nothing is installed into the system). Used to
// test the linux-arm64 prebuild where no arm64 machine is at hand.
//
//   node native/arm64/emulator.mjs            prepares the sysroot and prints Node.js's version
//
// As a module: arm64Node() returns how to run that Node.js, for a given emulated CPU.
// Needs: apt-get install -y qemu-user-static (and network access to Debian's mirror
// the first time).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { cacheRoot } from '../openblas/recipe.mjs';

const SUITE = 'trixie';
const QEMU = 'qemu-aarch64-static';

function fail(message) {
  throw new Error(`arm64 emulation: ${message}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    fail(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal}):\n${result.stderr ?? ''}`);
  }
  return result.stdout;
}

/**
 * Downloads nodejs:arm64 and everything it depends on with a private apt
 * configuration (its own sources, lists and empty package database, so that the
 * closure is complete and the system's apt state is not touched), then unpacks them.
 */
function createSysroot(sysroot) {
  const apt = `${sysroot}.apt`;
  rmSync(apt, { recursive: true, force: true });
  for (const dir of ['etc/sources.list.d', 'etc/preferences.d', 'lists/partial', 'archives/partial']) {
    mkdirSync(join(apt, dir), { recursive: true });
  }
  writeFileSync(join(apt, 'status'), '');
  writeFileSync(
    join(apt, 'etc/sources.list.d', `${SUITE}.sources`),
    [
      'Types: deb',
      'URIs: http://deb.debian.org/debian',
      `Suites: ${SUITE}`,
      'Components: main',
      'Architectures: arm64',
      'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
      '',
    ].join('\n'),
  );
  const config = join(apt, 'apt.conf');
  writeFileSync(
    config,
    [
      `Dir::Etc "${join(apt, 'etc')}";`,
      'Dir::Etc::sourcelist "/dev/null";',
      `Dir::State "${apt}";`,
      `Dir::State::lists "${join(apt, 'lists')}";`,
      `Dir::State::status "${join(apt, 'status')}";`,
      `Dir::Cache "${apt}";`,
      `Dir::Cache::archives "${join(apt, 'archives')}";`,
      'APT::Architecture "arm64";',
      'APT::Architectures { "arm64"; };',
      'APT::Install-Recommends "false";',
      // The private database is not the system's: there is nothing to lock.
      'Debug::NoLocking "true";',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, APT_CONFIG: config, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '--download-only', '-y', '-qq', 'nodejs'], { env });

  const partial = `${sysroot}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial);
  const debs = readdirSync(join(apt, 'archives')).filter((file) => file.endsWith('.deb'));
  for (const deb of debs) run('dpkg-deb', ['-x', join(apt, 'archives', deb), partial]);
  // Debian's merged /usr: the loader is looked up as /lib/ld-linux-aarch64.so.1.
  for (const link of ['lib', 'bin', 'sbin']) {
    if (!existsSync(join(partial, link))) symlinkSync(join('usr', link), join(partial, link));
  }
  writeFileSync(join(partial, 'packages.txt'), `${debs.sort().join('\n')}\n`);
  renameSync(partial, sysroot);
  rmSync(apt, { recursive: true, force: true });
}

/** The sysroot, created on first use. */
export function arm64Sysroot() {
  if (spawnSync(QEMU, ['--version']).status !== 0) {
    fail(`${QEMU} is missing: apt-get install -y qemu-user-static`);
  }
  const sysroot = join(cacheRoot(), `arm64-sysroot-${SUITE}`);
  if (!existsSync(join(sysroot, 'usr/bin/node'))) createSysroot(sysroot);
  return sysroot;
}

/**
 * The command that runs arm64 Node.js under emulation of `cpu` (a qemu -cpu model,
 * with options, e.g. "max,sve-default-vector-length=32"): spawn `command` with
 * `[...args, script, ...]`.
 */
export function arm64Node(cpu = 'max') {
  const sysroot = arm64Sysroot();
  // An absolute path, so that callers may run it with a PATH of their own.
  const qemu = run('sh', ['-c', `command -v ${QEMU}`]).trim();
  return { command: qemu, args: ['-L', sysroot, '-cpu', cpu, join(sysroot, 'usr/bin/node')], sysroot };
}

/** The qemu -cpu models this qemu offers (`-cpu help` lists them, then exits with 1). */
export function qemuCpuModels() {
  return spawnSync(QEMU, ['-cpu', 'help'], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/:$/.test(line) && !/^Available/.test(line));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { command, args, sysroot } = arm64Node();
  const version = run(command, [
    ...args,
    '-p',
    "[process.version, process.arch, 'Node-API', process.versions.napi].join(' ')",
  ]);
  console.log(`${sysroot}: Node.js ${version.trim()}, ${run(QEMU, ['--version']).split('\n')[0]}`);
  console.log(`qemu -cpu models: ${qemuCpuModels().join(', ')}`);
}
