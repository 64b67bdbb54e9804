import { types } from 'node:util';

import { typedArrayLength } from './typed-array.js';

/** A short, unambiguous rendering of a received value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint':
      return `${value}n`;
    case 'boolean':
    case 'symbol':
      return String(value);
    case 'function':
      return `function ${(value as { name?: string }).name || '(anonymous)'}`;
  }
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor?.name ?? 'ArrayBufferView';
    return types.isTypedArray(value) ? `${name} of length ${typedArrayLength(value)}` : name;
  }
  if (Array.isArray(value)) return `Array of length ${value.length}`;
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `${name} object` : 'object';
}
