// The one check of a model's metadata, for saving and for loading alike, so that save
// refuses what load would refuse, and what is saved loads back equal. Metadata is
// stored as JSON, and JSON.stringify quietly changes much of what JavaScript can hold:
// it writes NaN and ±Infinity as null, −0 as 0, a Map or Set as {}, a Date as a
// string, undefined and functions in arrays as null, skips symbol keys and
// non-enumerable properties, fills array holes with null, and calls any toJSON method,
// whatever it returns. Each of those is refused here instead, naming where it is
// (metadata.scale[2]). One change is kept, because it changes nothing a reader sees:
// an object's property whose value is undefined is left out, as JSON leaves it out,
// and reads as undefined either way.

import { isPlainObject, rangeError, typeError } from '../util/check.js';

/** Objects and arrays nested deeper than this are refused (deeper JSON is data, not metadata). */
export const MAX_METADATA_DEPTH = 100;

const JSON_VALUE = 'JSON data (null, a boolean, a finite number, a string, an array or a plain object)';

/**
 * Checks that `value` is usable model metadata — a plain object of JSON data that a
 * JSON round trip gives back unchanged — and returns a copy of it in which every
 * property was read exactly once (so a getter cannot answer differently later).
 */
export function checkMetadata(value: unknown, name = 'metadata'): Record<string, unknown> {
  if (!isPlainObject(value)) throw typeError(name, 'a plain object of JSON data', value);
  return copyJson(value, name, 0, new Set()) as Record<string, unknown>;
}

function copyJson(value: unknown, name: string, depth: number, ancestors: Set<object>): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw rangeError(name, 'a finite number', value, 'JSON has no NaN or Infinity');
      if (Object.is(value, -0)) throw rangeError(name, 'a number other than -0', value, 'JSON writes -0 as 0');
      return value;
    case 'object':
      if (value === null) return null;
      break;
    default:
      throw typeError(name, JSON_VALUE, value);
  }
  if (depth === MAX_METADATA_DEPTH) {
    throw rangeError(name, `JSON nested at most ${MAX_METADATA_DEPTH} levels deep`, value);
  }
  if (ancestors.has(value)) throw rangeError(name, JSON_VALUE, value, 'it contains itself');
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return copyArray(value, name, depth, ancestors);
    if (isPlainObject(value)) return copyObject(value, name, depth, ancestors);
    // A Map, Set, Date, typed array, class instance, …
    throw typeError(name, JSON_VALUE, value);
  } finally {
    ancestors.delete(value);
  }
}

function copyArray(array: unknown[], name: string, depth: number, ancestors: Set<object>): unknown[] {
  // An Array.prototype (of any realm) is itself an array; a subclass's prototype is not.
  if (!Array.isArray(Object.getPrototypeOf(array))) throw typeError(name, JSON_VALUE, array);
  const copy: unknown[] = [];
  const length = array.length;
  for (const key of Reflect.ownKeys(array)) {
    if (key === 'length') continue;
    const index = typeof key === 'string' ? Number(key) : Number.NaN;
    if (!(Number.isInteger(index) && index >= 0 && index < length && String(index) === key)) {
      throw typeError(name, 'an array without extra properties', array, `it has a property ${String(key)}`);
    }
  }
  for (let i = 0; i < length; i++) {
    const descriptor = Object.getOwnPropertyDescriptor(array, i);
    if (descriptor === undefined) throw typeError(name, 'an array without holes', array, `index ${i} is a hole`);
    copy.push(copyJson(dataValue(descriptor, `${name}[${i}]`), `${name}[${i}]`, depth + 1, ancestors));
  }
  return copy;
}

function copyObject(
  object: Record<string, unknown>,
  name: string,
  depth: number,
  ancestors: Set<object>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Reflect.ownKeys(object)) {
    if (typeof key === 'symbol') throw typeError(name, 'an object with string keys only', object, String(key));
    const path = propertyPath(name, key);
    // Assigning it to the copy would set the copy's prototype; JSON.parse makes it an own property.
    if (key === '__proto__') throw rangeError(name, 'an object without a key "__proto__"', object);
    const descriptor = Object.getOwnPropertyDescriptor(object, key);
    if (descriptor === undefined) continue;
    if (!descriptor.enumerable) throw typeError(path, 'an enumerable property', object, 'JSON skips the others');
    const value = dataValue(descriptor, path);
    if (value !== undefined) copy[key] = copyJson(value, path, depth + 1, ancestors);
  }
  return copy;
}

/** The value of a data property; a getter is refused, since JSON would call it and keep whatever it returns. */
function dataValue(descriptor: PropertyDescriptor, name: string): unknown {
  if (descriptor.get !== undefined || descriptor.set !== undefined) {
    throw typeError(name, 'a data property', descriptor.get ?? descriptor.set, 'it is an accessor');
  }
  return descriptor.value;
}

function propertyPath(name: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${name}.${key}` : `${name}[${JSON.stringify(key)}]`;
}
