import { cpus } from 'node:os';

import { checkInteger } from '../util/check.js';
import { backend } from './backend.js';
import { MAX_THREADS } from './threads.js';

/**
 * What runs the BLAS routines, as blasInfo() reports it. With the reference backend
 * (BLASPROP_BACKEND=reference) the OpenBLAS and addon fields are null, `threads` and
 * `processors` are 1, and `cpu` is still the processor's name.
 */
export interface BlasInfo {
  /** Which kernels run: the native addon, or the TypeScript reference (BLASPROP_BACKEND=reference). */
  backend: 'native' | 'reference';
  /** OpenBLAS version at run time, e.g. "0.3.21"; null for the reference backend. */
  version: string | null;
  /** OpenBLAS's build configuration string (openblas_get_config). */
  config: string | null;
  /**
   * The kernels OpenBLAS runs (openblas_get_corename), e.g. "Haswell": the family it
   * picked for this CPU, or the one OPENBLAS_CORETYPE forced. A family name, not the
   * CPU's: an AMD processor can run OpenBLAS's "Cooperlake" kernels.
   */
  corename: string | null;
  /** The processor's model name as the operating system reports it (os.cpus()); null if unknown. */
  cpu: string | null;
  /** Threads OpenBLAS uses for one call; process-wide. */
  threads: number;
  /** Processors OpenBLAS sees. */
  processors: number;
  /** Threading model OpenBLAS was built with. */
  threading: 'sequential' | 'pthreads' | 'openmp' | null;
  /** Whether OpenBLAS is linked into the addon (prebuilds) or loaded as a shared library. */
  linkage: 'static' | 'shared' | null;
  /**
   * Which kind of addon file loaded: 'prebuild' when it lies in a `prebuilds/` folder
   * (the package's prebuilt binaries), 'local' for any other file (a node-gyp build in
   * build/Release, which takes precedence over a prebuild, or a BLASPROP_BINDING file
   * elsewhere); null for the reference backend.
   */
  binary: 'prebuild' | 'local' | null;
  /** Absolute path of the loaded .node file; null for the reference backend. */
  path: string | null;
}

const THREADING = ['sequential', 'pthreads', 'openmp'] as const;

/** Which BLAS runs the routines: OpenBLAS's version, configuration and kernel family, the CPU, threads, and the addon's origin. */
export function blasInfo(): BlasInfo {
  const active = backend();
  if (active.kind === 'reference') {
    return {
      backend: 'reference',
      version: null,
      config: null,
      corename: null,
      cpu: cpuModel(),
      threads: 1,
      processors: 1,
      threading: null,
      linkage: null,
      binary: null,
      path: null,
    };
  }
  const { binding, path, prebuilt } = active.native;
  const build = binding.buildInfo();
  return {
    backend: 'native',
    version: /OpenBLAS\s+(\S+)/.exec(build.config)?.[1] ?? null,
    config: build.config,
    corename: build.corename,
    cpu: cpuModel(),
    threads: binding.getNumThreads(),
    processors: build.numProcs,
    threading: THREADING[build.parallel] ?? null,
    linkage: build.staticallyLinked ? 'static' : 'shared',
    binary: prebuilt ? 'prebuild' : 'local',
    path,
  };
}

/** libuv says "unknown" where the system names no model (some ARM boards), and cpus() is empty in some sandboxes. */
function cpuModel(): string | null {
  const model = cpus()[0]?.model.trim();
  return model && model !== 'unknown' ? model : null;
}

/** Threads OpenBLAS uses for one call (process-wide: shared by every worker thread). */
export function getNumThreads(): number {
  const active = backend();
  return active.kind === 'native' ? active.native.binding.getNumThreads() : 1;
}

/**
 * Sets how many threads OpenBLAS uses for one call, process-wide. OpenBLAS caps it at
 * the number it was built for; the count in effect is returned. Without a call, the
 * count is 1 unless BLASPROP_NUM_THREADS or OPENBLAS_NUM_THREADS says otherwise
 * (see ./threads.ts).
 */
export function setNumThreads(n: number): number {
  checkInteger('n', n, 1, MAX_THREADS);
  const active = backend();
  if (active.kind === 'reference') return 1;
  active.native.binding.setNumThreads(n);
  return active.native.binding.getNumThreads();
}
