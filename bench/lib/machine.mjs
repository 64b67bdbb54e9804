// A description of the machine and software a run measured, printed above every
// table: numbers without it cannot be compared with anything.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

import { compilerVersion } from './compile.mjs';
import { repoDir } from './paths.mjs';

// OpenBLAS and OpenMP settings that change which kernels or how many threads run.
const TUNING_VARIABLES = [
  'OPENBLAS_NUM_THREADS',
  'OPENBLAS_CORETYPE',
  'OPENBLAS_L2_SIZE',
  'OPENBLAS_VERBOSE',
  'OMP_NUM_THREADS',
  'GOTO_NUM_THREADS',
];

function tryRun(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], cwd: repoDir }).trim();
  } catch {
    return undefined;
  }
}

function osName() {
  try {
    const release = readFileSync('/etc/os-release', 'utf8');
    return /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release)?.[1] ?? os.type();
  } catch {
    return `${os.type()} ${os.release()}`;
  }
}

/** "family F, model M" from /proc/cpuinfo: the marketing name alone does not tell generations apart. */
function cpuGeneration() {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const family = /^cpu family\s*:\s*(\d+)/m.exec(info)?.[1];
    const model = /^model\s*:\s*(\d+)/m.exec(info)?.[1];
    return family && model ? ` (family ${family}, model ${model})` : '';
  } catch {
    return '';
  }
}

function virtualization() {
  try {
    return /\bhypervisor\b/.test(readFileSync('/proc/cpuinfo', 'utf8')) ? 'virtual machine' : 'bare metal';
  } catch {
    return 'unknown';
  }
}

export function machineInfo() {
  const cpus = os.cpus();
  const commit = tryRun('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = tryRun('git', ['status', '--porcelain', '--untracked-files=no']);
  const tuning = Object.fromEntries(TUNING_VARIABLES.filter((v) => process.env[v]).map((v) => [v, process.env[v]]));
  return {
    date: new Date().toISOString(),
    cpu: `${cpus[0]?.model.trim() ?? 'unknown'}${cpuGeneration()}`,
    logicalCpus: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${osName()}, Linux ${os.release()}, ${virtualization()}`,
    node: process.version,
    compiler: compilerVersion(),
    openblas: tryRun('pkg-config', ['--modversion', 'openblas']) ?? 'not found',
    loadAverage: os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
    commit: commit ? `${commit}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown',
    // Peers inherit the runner's scheduling priority; a raised one keeps other work on
    // a shared machine from preempting them as often.
    nice: os.getPriority(),
    tuning,
  };
}

/** The load averages now, for the end of a run: the machine is shared, so say how busy it was. */
export function loadAverage() {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** The machine description as Markdown bullet lines. */
export function machineMarkdown(info, extra = []) {
  const tuning = Object.entries(info.tuning)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    `- Date: ${info.date}`,
    `- CPU: ${info.cpu}, ${info.logicalCpus} logical CPUs, ${info.memoryGiB} GiB RAM`,
    `- OS: ${info.os}`,
    `- Node.js ${info.node}; C compiler: ${info.compiler}; system OpenBLAS ${info.openblas}`,
    ...extra,
    `- OpenBLAS/OpenMP environment at start: ${tuning || 'none set'}`,
    `- Load average (1, 5, 15 min) at start: ${info.loadAverage}${info.loadAverageAtEnd ? `; at end: ${info.loadAverageAtEnd}` : ''}`,
    `- Commit ${info.commit}; run at scheduling priority nice ${info.nice}`,
  ].join('\n');
}
