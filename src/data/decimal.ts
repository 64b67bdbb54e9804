/** A plain decimal number: no hex, no empty string, no whitespace — stricter than `Number()`. */
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a decimal string spells (possibly ±Infinity on overflow), or undefined if it is not one. */
export function parseDecimal(text: string): number | undefined {
  return DECIMAL.test(text) ? Number(text) : undefined;
}
