// The kernels of layers, losses, optimizers and metrics: every element-wise or
// reducing loop a training step runs. Each is defined once, with its checks and a
// plain TypeScript reference, and runs natively (the addon's function of the same
// name) unless BLASPROP_BACKEND=reference asks for the reference. Keeping every loop
// of a step behind this one door is what lets a whole step be recorded once and
// replayed natively (src/plan/).

import { backend } from '../blas/backend.js';
import { isRecording, recordCall, spoilRecording } from '../plan/recorder.js';

export interface KernelSpec<A extends unknown[], R> {
  /** The addon's function of this name runs the kernel natively. */
  readonly name: string;
  /** Checks every argument: a TypeError or RangeError naming the first bad one, before anything runs. */
  validate(...args: A): void;
  /** The kernel in plain TypeScript: the oracle the native one is tested against. */
  reference(...args: A): R;
}

/** A checked kernel: validates its arguments, then runs on the active backend. */
export type Kernel<A extends unknown[], R> = ((...args: A) => R) & {
  readonly spec: KernelSpec<A, R>;
  /** The same checks, then the TypeScript reference, whatever the backend. */
  readonly reference: (...args: A) => R;
};

export function defineKernel<A extends unknown[], R>(spec: KernelSpec<A, R>): Kernel<A, R> {
  let implementation: ((...args: A) => R) | undefined;
  const resolve = (): ((...args: A) => R) => {
    const active = backend();
    if (active.kind === 'reference') return spec.reference;
    const native = (active.native.binding as unknown as Record<string, unknown>)[spec.name];
    if (typeof native !== 'function') {
      throw new Error(
        `The native addon at ${active.native.path} has no kernel ${spec.name}: it is older than this library`,
      );
    }
    return native as (...args: A) => R;
  };
  const run = (...args: A): R => {
    spec.validate(...args);
    implementation ??= resolve();
    if (isRecording()) {
      if (implementation === spec.reference) spoilRecording(`${spec.name} ran on the TypeScript reference`);
      else recordCall(spec.name, args);
    }
    return implementation(...args);
  };
  const reference = (...args: A): R => {
    spec.validate(...args);
    spoilRecording(`${spec.name} ran on the TypeScript reference`);
    return spec.reference(...args);
  };
  return Object.assign(run, { spec, reference });
}
