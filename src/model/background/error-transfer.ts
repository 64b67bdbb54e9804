// Errors cross from a worker as plain data and are rebuilt on the calling thread with
// the same class, message and fields, so that a background fit fails exactly as one
// on the calling thread would. Structured cloning alone keeps the message but turns
// TrainingDivergedError and ModelFileError into plain Errors and drops their fields.

import { DataError } from '../../data/errors.js';
import { ModelFileError, TrainingDivergedError } from '../errors.js';

export interface SerializedError {
  name: string;
  message: string;
  stack: string | undefined;
  /** The error's own fields with primitive values (epoch, batch, loss, path, code, …). */
  fields: Record<string, unknown>;
}

type ErrorClass = { prototype: Error };

/** Classes rebuilt as themselves; any other error arrives as a plain Error with its name. */
const CLASSES: Record<string, ErrorClass> = {
  Error,
  TypeError,
  RangeError,
  TrainingDivergedError,
  ModelFileError,
  DataError,
};

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), stack: undefined, fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) fields[key] = value;
  }
  return { name: error.name, message: error.message, stack: error.stack, fields };
}

export function reviveError(serialized: SerializedError): Error {
  const { name, message, stack, fields } = serialized;
  if (name === 'AbortError') return new DOMException(message, 'AbortError');
  const error = new Error(message);
  const known = Object.hasOwn(CLASSES, name) ? CLASSES[name] : undefined;
  if (known) Object.setPrototypeOf(error, known.prototype);
  Object.assign(error, fields);
  if (!known) error.name = name;
  // The worker's stack says where the error arose; the calling thread's would only
  // show the message handler.
  if (stack !== undefined) error.stack = stack;
  return error;
}
