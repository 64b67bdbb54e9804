// The worker threads that run background fits. At most `maxWorkers` fits train at
// once; more wait in a queue, first come first served. Workers start on demand and
// are reused by the next fit; an idle worker does not keep the process alive and
// ends after `idleTimeoutMs`.
//
// Sizing: OpenBLAS's thread count is process-wide, shared by every worker, so each
// training worker may occupy up to that many cores. The default pool therefore has
// cores ÷ OpenBLAS threads workers — with blasprop's default of one OpenBLAS thread
// (src/blas/threads.ts), one worker per core. On small models one thread per product
// is also the fastest (bench/server, docs/background-training.md).

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import { getNumThreads, setNumThreads } from '../../blas/info.js';
import { checkInteger, typeError } from '../../util/check.js';

/** How background training uses the machine (configureTraining, trainingConfig). */
export interface TrainingConfig {
  /** Fits that train at once (default: cores ÷ OpenBLAS threads, at least 1). */
  maxWorkers: number;
  /** OpenBLAS threads per product, process-wide: setNumThreads (default: the current count). */
  blasThreads: number;
  /** Milliseconds an idle worker waits for the next fit before it ends (default 5000). */
  idleTimeoutMs: number;
}

const WORKER_URL = new URL('./worker.js', import.meta.url);
const DEFAULT_IDLE_TIMEOUT_MS = 5000;

interface Waiter {
  resolve(worker: Worker): void;
  reject(error: unknown): void;
}

class WorkerPool {
  /** Set by configureTraining; undefined follows the OpenBLAS thread count. */
  configuredMaxWorkers: number | undefined;
  idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  private busy = 0;
  private readonly idle: { worker: Worker; timer: NodeJS.Timeout }[] = [];
  private readonly waiting: Waiter[] = [];

  get maxWorkers(): number {
    return this.configuredMaxWorkers ?? Math.max(1, Math.floor(availableParallelism() / getNumThreads()));
  }

  /** A worker for one fit: an idle one, a new one, or the next to free up. */
  acquire(signal: AbortSignal | undefined, onAbort: () => Error): Promise<Worker> {
    const ready = this.idle.pop();
    if (ready) {
      clearTimeout(ready.timer);
      ready.worker.ref();
      this.busy++;
      return Promise.resolve(ready.worker);
    }
    if (this.busy < this.maxWorkers) {
      this.busy++;
      return Promise.resolve(this.spawn());
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (worker) => {
          signal?.removeEventListener('abort', leave);
          resolve(worker);
        },
        reject,
      };
      const leave = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(onAbort());
      };
      signal?.addEventListener('abort', leave, { once: true });
      this.waiting.push(waiter);
    });
  }

  /**
   * Hands a worker back after a fit. A worker that is no longer trustworthy (it was
   * stopped, or crashed) is ended and its place is free for a new one.
   */
  release(worker: Worker, reusable: boolean): void {
    this.busy--;
    if (!reusable || this.busy >= this.maxWorkers) {
      void worker.terminate();
      this.startWaiting();
      return;
    }
    const next = this.waiting.shift();
    if (next) {
      this.busy++;
      next.resolve(worker);
      return;
    }
    worker.unref();
    const timer = setTimeout(() => this.retire(worker), this.idleTimeoutMs);
    timer.unref();
    this.idle.push({ worker, timer });
  }

  /** Starts queued fits while there is room (after a worker ended, or the pool grew). */
  startWaiting(): void {
    while (this.waiting.length > 0 && this.busy < this.maxWorkers) {
      this.busy++;
      this.waiting.shift()!.resolve(this.spawn());
    }
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_URL);
    // A worker that dies while idle (it should not) must not be handed out again.
    // While it trains, the fit listens for these too and fails with the error.
    worker.on('error', () => this.forget(worker));
    worker.once('exit', () => this.forget(worker));
    return worker;
  }

  private retire(worker: Worker): void {
    this.forget(worker);
    void worker.terminate();
  }

  private forget(worker: Worker): void {
    const at = this.idle.findIndex((entry) => entry.worker === worker);
    if (at >= 0) clearTimeout(this.idle.splice(at, 1)[0].timer);
  }
}

export const pool = new WorkerPool();

/**
 * Sets how background training uses the machine, and returns the settings in effect.
 * `blasThreads` calls setNumThreads (process-wide); `maxWorkers` then defaults to
 * cores ÷ blasThreads, so that workers × OpenBLAS threads do not exceed the cores.
 * Fits already training keep their worker; a smaller pool takes effect as they end.
 */
export function configureTraining(options: Partial<TrainingConfig> = {}): TrainingConfig {
  if (typeof options !== 'object' || options === null) throw typeError('options', 'an object', options);
  const { maxWorkers, blasThreads, idleTimeoutMs } = options;
  if (maxWorkers !== undefined) checkInteger('maxWorkers', maxWorkers, 1, 1024);
  if (blasThreads !== undefined) checkInteger('blasThreads', blasThreads, 1, 1024);
  if (idleTimeoutMs !== undefined) checkInteger('idleTimeoutMs', idleTimeoutMs, 0, 2 ** 31 - 1);
  if (blasThreads !== undefined) setNumThreads(blasThreads);
  if (maxWorkers !== undefined) pool.configuredMaxWorkers = maxWorkers;
  if (idleTimeoutMs !== undefined) pool.idleTimeoutMs = idleTimeoutMs;
  pool.startWaiting();
  return trainingConfig();
}

/** The settings background training uses now. */
export function trainingConfig(): TrainingConfig {
  return { maxWorkers: pool.maxWorkers, blasThreads: getNumThreads(), idleTimeoutMs: pool.idleTimeoutMs };
}
