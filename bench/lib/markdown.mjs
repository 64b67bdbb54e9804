// Markdown tables and number formatting shared by the reports.

/** A GitHub-flavoured Markdown table; `align` holds 'l' or 'r' per column. */
export function markdownTable(headers, rows, align = headers.map((_, i) => (i === 0 ? 'l' : 'r'))) {
  const rule = align.map((a) => (a === 'r' ? '---:' : ':---'));
  return [headers, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A number with `digits` significant digits, without exponent notation for the usual range. */
export function sig(value, digits = 3) {
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toFixed(decimals);
}

/** Microseconds, switching to milliseconds or seconds where that reads better. */
export function duration(us) {
  if (!Number.isFinite(us)) return '—';
  if (us >= 1e6) return `${sig(us / 1e6)} s`;
  if (us >= 1e4) return `${sig(us / 1e3)} ms`;
  return `${sig(us)} µs`;
}

/** A rate of rows per second, in M/s or k/s where that reads better. */
export function rate(perSecond) {
  if (!Number.isFinite(perSecond)) return '—';
  if (perSecond >= 1e6) return `${sig(perSecond / 1e6)} M/s`;
  if (perSecond >= 1e3) return `${sig(perSecond / 1e3)} k/s`;
  return `${sig(perSecond)} /s`;
}

/** What the reports call each precision. */
export const PRECISION_NAMES = { f64: 'float64', f32: 'float32' };

/**
 * A peer's name in a table or chart: its label, then its form where the benchmark
 * measures a library in several ("fastest form" or "idiomatic"; `form: false` when a
 * column shows it), then float32 (in bold where `bold`), which every float64 row is not.
 */
export function peerName(peer, { bold = true, form = true } = {}) {
  const formText = form && peer.form ? ` (${peer.form === 'fastest' ? 'fastest form' : 'idiomatic'})` : '';
  const f32 = peer.precision === 'f32' ? (bold ? ` **(${PRECISION_NAMES.f32})**` : ` (${PRECISION_NAMES.f32})`) : '';
  return `${peer.label}${formText}${f32}`;
}
