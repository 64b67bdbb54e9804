// How a job's failure reaches the producer: the worker stores the error as data
// (error-transfer's SerializedError, the form background fits already use) and the
// producer rebuilds it with its class, message and fields, so that a job fails with
// the same TypeError, RangeError, DataError, TrainingDivergedError or ModelFileError
// that a local fit on the same data would have thrown.

import { reviveError, type SerializedError, serializeError } from '../model/background/error-transfer.js';

export { serializeError };

/** Why a job's AbortSignal fired: the reason, as BullMQ passes it to `signal.reason`. */
export const ABORT_REASONS = {
  /** TrainingQueue.cancel: the job fails, as cancelled, without retries. */
  cancelled: 'blasprop:cancelled',
  /** The worker is closing: the job goes back to waiting, to resume elsewhere. */
  shutdown: 'blasprop:shutdown',
  /** The worker lost the job's lock, so another worker may already run it: this one stops. */
  lockLost: 'blasprop:lock-lost',
} as const;

/** The failure BullMQ records for a cancelled job (its `failedReason`). */
export const CANCELLED_MESSAGE = 'Training was cancelled';

/** A job is not in the state an operation needs: the result of a job still training, say. */
export class JobStateError extends Error {
  /** Always 'JobStateError'. */
  override name = 'JobStateError';
  /** The job's id. */
  readonly id: string;
  /** The state it is in. */
  readonly state: string;

  constructor(id: string, state: string, needed: string) {
    super(`Job ${id} is ${state}; ${needed}`);
    this.id = id;
    this.state = state;
  }
}

/**
 * A SerializedError as JSON text, for Redis. JSON has no NaN, ±Infinity, -0 or
 * undefined, and error fields hold them (a diverged loss is Infinity, a missing
 * parameter name undefined): such a field travels as a small tagged object, which no
 * other field value can be since only primitives are kept.
 */
export function encodeError(serialized: SerializedError): string {
  const fields = Object.fromEntries(Object.entries(serialized.fields).map(([key, value]) => [key, encodeField(value)]));
  return JSON.stringify({ ...serialized, fields });
}

export function decodeError(text: string): SerializedError {
  const parsed = JSON.parse(text) as SerializedError;
  const fields = Object.fromEntries(Object.entries(parsed.fields).map(([key, value]) => [key, decodeField(value)]));
  return { ...parsed, fields };
}

function encodeField(value: unknown): unknown {
  if (value === undefined) return { undefined: true };
  if (typeof value === 'number' && (!Number.isFinite(value) || Object.is(value, -0))) return { number: String(value) };
  return value;
}

function decodeField(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const tagged = value as { number?: string };
  return tagged.number === undefined ? undefined : Number(tagged.number);
}

/** The error a worker stored, as its own class again. */
export function reviveJobError(serialized: SerializedError): Error {
  return reviveError(serialized);
}

/** The AbortError a cancelled job's result rejects with, as an aborted fit's does. */
export function cancelledError(): Error {
  return new DOMException(CANCELLED_MESSAGE, 'AbortError');
}
