// Loads the compiled addon: a prebuilt binary from prebuilds/ when one matches this
// platform, else a local build from build/Release. Never falls back silently to the
// slow reference kernels: when loading fails, the error says why and what to do.

import { createRequire } from 'node:module';
import { arch, platform, versions } from 'node:process';
import { fileURLToPath } from 'node:url';

import type { BlasKernels } from '../blas/kernels.js';
import type { FloatArray } from '../util/dtype.js';

export interface NativeBuildInfo {
  config: string;
  corename: string;
  numProcs: number;
  parallel: number;
  staticallyLinked: boolean;
  compiledWith: string;
}

/** What the addon's Plan is built from (src/plan/step-plan.ts; native/src/plan/plan.cc says what each is). */
export interface PlanDescription {
  kernels: string[];
  values: Float64Array;
  isArray: Uint8Array;
  arrays: (FloatArray | Uint32Array)[];
  inputs: number;
  records: Uint32Array;
  lists: Uint32Array;
}

/** A recorded training step in the addon (native/src/plan/plan.h). */
export interface NativePlan {
  bind(slot: number, array: FloatArray): void;
  step(): number;
  trainBatches(
    x: FloatArray,
    xCols: number,
    y: FloatArray,
    yCols: number,
    rows: number,
    order: Uint32Array,
    start: number,
    batchRows: number,
    count: number,
    records: Float64Array,
    stop: Int32Array | null,
    budgetMs: number,
  ): number;
}

export interface NativeBinding extends BlasKernels {
  Plan: new (description: PlanDescription) => NativePlan;
  buildInfo(): NativeBuildInfo;
  getNumThreads(): number;
  setNumThreads(n: number): void;
  /** True for the first caller in the process only (see src/blas/threads.ts). */
  claimProcessDefaults(): boolean;
}

export interface LoadedBinding {
  binding: NativeBinding;
  /** Absolute path of the .node file that was loaded. */
  path: string;
  /** Whether it came from the package's prebuilds/ rather than a local build. */
  prebuilt: boolean;
}

const require = createRequire(import.meta.url);
/** The package root: this file lives in dist/native/. */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));

export function loadBinding(): LoadedBinding {
  const override = process.env.BLASPROP_BINDING;
  let path: string | undefined;
  try {
    const nodeGypBuild = require('node-gyp-build') as { resolve(dir: string): string };
    path = override || nodeGypBuild.resolve(packageRoot);
    const binding = require(path) as NativeBinding;
    return { binding, path, prebuilt: /[\\/]prebuilds[\\/]/.test(path) };
  } catch (cause) {
    throw new Error(loadFailureMessage(cause, path, override), { cause });
  }
}

/** What a source build needs here (see docs/installation.md, "Building from source"). */
function buildPrerequisites(): string[] {
  if (platform === 'linux') {
    return [
      'Debian/Ubuntu: sudo apt-get install -y libopenblas-dev g++ make python3',
      'Alpine:        apk add openblas-dev build-base python3',
    ];
  }
  if (platform === 'darwin') return ['macOS: xcode-select --install   (the BLAS is Apple Accelerate, part of macOS)'];
  return ['a C++17 compiler, Python 3 and OpenBLAS (see docs/installation.md: Building from source)'];
}

function loadFailureMessage(cause: unknown, path: string | undefined, override: string | undefined): string {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const lines = [
    `Could not load the blasprop native addon for ${platform}-${arch} (Node.js ${versions.node}, Node-API ${versions.napi}).`,
    `${path ? `Tried: ${path}\n` : ''}Cause: ${reason.split('\n')[0]}`,
    'Possible solutions:',
  ];
  if (/libopenblas/.test(reason)) {
    lines.push(
      '- This is a local build linked to the system OpenBLAS, which is not installed (anymore):',
      '    Debian/Ubuntu: sudo apt-get install -y libopenblas0',
    );
  } else if (override) {
    // The file was chosen by hand: reinstalling would not change what is loaded.
    lines.push(
      `- BLASPROP_BINDING=${override} overrides the binary: point it at a blasprop .node file built for ${platform}-${arch}, or unset it.`,
    );
  } else if (/No native build was found/.test(reason)) {
    lines.push(
      `- No prebuilt binary ships for ${platform}-${arch} and no local build exists. Build one from source:`,
      ...buildPrerequisites().map((line) => `    ${line}`),
      '    then: npm explore blasprop -- npm run build:native',
    );
  } else {
    lines.push('- Reinstall the package so that its binary matches this platform: npm install blasprop');
  }
  lines.push(
    '- Make sure "npm install" ran on this same OS and CPU architecture (not copied from another machine).',
    '- For testing without the addon only, BLASPROP_BACKEND=reference runs the slow pure-TypeScript kernels.',
  );
  return lines.join('\n');
}
