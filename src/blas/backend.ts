// Chooses, once and lazily, which kernels run: the native addon by default, or the
// pure TypeScript reference when BLASPROP_BACKEND=reference asks for it explicitly.
// Loading the addon also applies blasprop's default OpenBLAS thread count (threads.ts).

import { type LoadedBinding, loadBinding } from '../native/binding.js';
import type { BlasKernels } from './kernels.js';
import { referenceKernels } from './reference-kernels.js';
import { applyDefaultThreads } from './threads.js';

export type Backend =
  | { kind: 'native'; kernels: BlasKernels; native: LoadedBinding }
  | { kind: 'reference'; kernels: BlasKernels; native?: undefined };

let active: Backend | undefined;

function select(): Backend {
  const requested = process.env.BLASPROP_BACKEND;
  if (requested === 'reference') return { kind: 'reference', kernels: referenceKernels };
  if (requested !== undefined && requested !== '' && requested !== 'native') {
    throw new RangeError(
      `Expected "native" or "reference" for BLASPROP_BACKEND but received ${JSON.stringify(requested)}`,
    );
  }
  const native = loadBinding();
  applyDefaultThreads(native.binding);
  return { kind: 'native', kernels: native.binding, native };
}

export function backend(): Backend {
  if (active === undefined) active = select();
  return active;
}
