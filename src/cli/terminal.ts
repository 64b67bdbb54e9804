/**
 * Whether to colour output to `stream`: only a terminal, and Node's own test, which
 * honours NO_COLOR, NODE_DISABLE_COLORS, FORCE_COLOR and TERM=dumb.
 */
export function supportsColour(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && typeof stream.hasColors === 'function' && stream.hasColors();
}

export interface Palette {
  bold(text: string): string;
  dim(text: string): string;
  accent(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

export function palette(colour: boolean): Palette {
  return colour
    ? { bold: wrap(1, 22), dim: wrap(2, 22), accent: wrap(36, 39) }
    : { bold: plain, dim: plain, accent: plain };
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return grouped.format(n);
}

/** A loss or error to four significant digits, exponent form when very small or large. */
export function formatLoss(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6) ? value.toExponential(3) : value.toPrecision(4);
}

/** 75.2 → "1 min 15 s", 3.14 → "3.1 s". */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '–';
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}
