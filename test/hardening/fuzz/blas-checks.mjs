// The properties every fuzzed BLAS call must have. A valid call returns its output
// array, writes only the output elements, and agrees with the reference backend
// within the rounding-error bound; an invalid call throws the expected TypeError or
// RangeError, naming the offending parameter, and leaves every buffer untouched.
// Each check throws an Error describing the first violation.

import { blasGamma, withinBound } from '../../helpers/tolerance.mjs';
import { innerLength, OUTPUT, outputIndices, PARAMS } from './blas-routines.mjs';
import { changedSince, cloneArgs, snapshot } from './operands.mjs';

/**
 * The error bound's magnitude term for each output element: the same call on |A|,
 * |B|, |C| with |alpha|, |beta| (Higham's |alpha|·|A|·|B| + |beta|·|C|).
 */
function magnitudes(routine, args, reference) {
  const abs = cloneArgs(args).map((arg, i) => {
    const name = PARAMS[routine][i];
    if (ArrayBuffer.isView(arg)) {
      for (let j = 0; j < arg.length; j++) arg[j] = Math.abs(arg[j]);
      return arg;
    }
    return name === 'alpha' || name === 'beta' ? Math.abs(arg) : arg;
  });
  return reference[routine](...abs);
}

/** Copies the 8 bytes of element `index` of `view` into the same place of `bytes`. */
function copyElement(view, index, bytes) {
  const at = view.byteOffset + index * 8;
  bytes.set(new Uint8Array(view.buffer, at, 8), at);
}

/** @param {{ native: object, reference: object }} backends the public routines of each backend */
export function checkValidCall({ routine, args }, { native, reference }) {
  const outputIndex = PARAMS[routine].indexOf(OUTPUT[routine]);
  const output = args[outputIndex];
  const before = snapshot(args);
  const expectedArgs = cloneArgs(args);
  const bounds = magnitudes(routine, args, reference);

  const returned = native[routine](...args);
  if (returned !== output) throw new Error(`${routine} did not return its output argument`);
  const expected = reference[routine](...expectedArgs);

  const gamma = blasGamma(innerLength(routine, args));
  for (const i of outputIndices(routine, args)) {
    if (!withinBound(output[i], expected[i], bounds[i], gamma)) {
      throw new Error(`${routine} ${OUTPUT[routine]}[${i}] = ${output[i]}, reference ${expected[i]}`);
    }
  }
  // Everything but the output elements must be byte-for-byte what it was: inputs,
  // padding between rows, elements between strides, memory around the views.
  for (const i of outputIndices(routine, args)) copyElement(output, i, before.get(output.buffer));
  const changed = changedSince(before);
  if (changed) throw new Error(`${routine} wrote outside its output: ${changed}`);
}

/** The parameter an argument error names: `Expected … for <name> but received …`. */
export function namedParameter(error) {
  return /\bfor (\w+) but received\b/.exec(error.message)?.[1];
}

/** @param {{ routine: string, args: unknown[], error: string, names: string[], mutation: string }} call */
export function checkInvalidCall(call, { native }) {
  const before = snapshot(call.args);
  let thrown;
  try {
    native[call.routine](...call.args);
  } catch (error) {
    thrown = error;
  }
  const what = `${call.routine} with ${call.mutation}`;
  if (thrown === undefined) throw new Error(`${what} was accepted`);
  if (thrown?.constructor?.name !== call.error) {
    throw new Error(`${what} threw ${thrown?.constructor?.name}, expected ${call.error}: ${thrown?.message}`);
  }
  if (!call.names.includes(namedParameter(thrown))) {
    throw new Error(`${what}: message should name ${call.names.join(' or ')}: ${thrown.message}`);
  }
  const changed = changedSince(before);
  if (changed) throw new Error(`${what} modified memory before throwing: ${changed}`);
}

/**
 * Junk spliced into a call: the native backend must do exactly what the reference
 * does: throw the same TypeError or RangeError, or, when the call happens to be
 * valid, compute the same result.
 */
export function checkJunkCall({ routine, args }, backends) {
  let expectedError;
  try {
    backends.reference[routine](...cloneArgs(args));
  } catch (error) {
    expectedError = error;
  }
  if (expectedError === undefined) {
    checkValidCall({ routine, args }, backends);
    return;
  }
  if (!(expectedError instanceof TypeError || expectedError instanceof RangeError)) {
    throw new Error(`${routine} threw ${expectedError?.constructor?.name}: ${expectedError?.message}`);
  }
  const before = snapshot(args);
  try {
    backends.native[routine](...args);
  } catch (error) {
    if (error.constructor !== expectedError.constructor || error.message !== expectedError.message) {
      throw new Error(`${routine}: native threw "${error.message}", reference "${expectedError.message}"`);
    }
    const changed = changedSince(before);
    if (changed) throw new Error(`${routine} modified memory before throwing: ${changed}`);
    return;
  }
  throw new Error(`${routine}: native accepted what the reference rejected (${expectedError.message})`);
}

/**
 * The raw addon has no validation of its own; it relies on node-addon-api's checked
 * conversions, and converts every argument before it computes anything (even those a
 * call such as dgemm with alpha = 0 does not need). Called with an argument of the
 * wrong type it must therefore throw an Error, and the process survives, which is the
 * point (and, under test:sanitize, without a sanitizer report).
 */
export function checkRawBindingCall({ routine, args }, binding) {
  let returned;
  try {
    returned = binding[routine](...args);
  } catch (error) {
    if (error instanceof Error) return;
    throw new Error(`raw ${routine} threw a non-Error: ${String(error)}`);
  }
  throw new Error(`raw ${routine} accepted a wrong type and returned ${String(returned)}`);
}
