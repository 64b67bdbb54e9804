import { expect } from 'vitest';

export interface ArgumentErrorShape {
  type: typeof TypeError | typeof RangeError;
  /** The argument the message must name. */
  name: string;
  /** How the message must render the value received, e.g. `Float32Array of length 8`. */
  received: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Asserts that `call` throws exactly `type` with a message in the library's shape,
 * `Expected <what> for <name> but received <value>`, optionally followed by a
 * parenthesised detail. Returns the error for further checks.
 */
export function expectArgumentError(call: () => unknown, { type, name, received }: ArgumentErrorShape): Error {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected the call to throw').toBeInstanceOf(Error);
  const error = thrown as Error;
  expect(error.constructor, error.message).toBe(type);
  const shape = new RegExp(
    `^Expected .+ for ${escapeRegExp(name)} but received ${escapeRegExp(received)}( \\(.+\\))?$`,
  );
  expect(error.message).toMatch(shape);
  return error;
}
