import { EXIT_INTERRUPTED } from './errors.js';

export interface InterruptTrap {
  /** Aborted at the first Ctrl-C. */
  readonly signal: AbortSignal;
  dispose(): void;
}

/**
 * Turns the first Ctrl-C (SIGINT) into an abort, so that training stops after the
 * current batch and what it has learnt can be saved. A second Ctrl-C quits at once;
 * files are written atomically, so even that leaves none half-written.
 */
export function trapInterrupt(): InterruptTrap {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(EXIT_INTERRUPTED);
    controller.abort();
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', handler) };
}

/** Whether `error` is what an aborted operation rejects with. */
export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
