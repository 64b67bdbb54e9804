// `blasprop info`: which BLAS does the work.

import { blasInfo } from '../blas/info.js';
import { parseOptions } from './args.js';
import { INFO_HELP } from './help.js';

const INFO_OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/**
 * Why these kernels: OpenBLAS names its kernel families after CPUs, so next to the
 * CPU's own name they can look wrong (an AMD processor running "Cooperlake"). A name
 * OPENBLAS_CORETYPE gives that the build does not offer falls back to its own choice.
 */
function kernelChoice(corename: string): string {
  const forced = process.env.OPENBLAS_CORETYPE;
  if (forced === undefined) return "OpenBLAS's kernel family for this CPU";
  if (forced.toLowerCase() === corename.toLowerCase()) return `OPENBLAS_CORETYPE=${forced}`;
  return `OpenBLAS's own choice: OPENBLAS_CORETYPE=${forced} names no family it offers`;
}

export function infoCommand(args: readonly string[]): number {
  const values = parseOptions('info', args, INFO_OPTIONS);
  if (values.help) {
    process.stdout.write(INFO_HELP);
    return 0;
  }
  const info = blasInfo();
  if (values.json) {
    process.stdout.write(`${JSON.stringify(info)}\n`);
    return 0;
  }
  const rows: [string, string | number | null][] = [
    ['backend', info.backend],
    ['OpenBLAS', info.version],
    ['CPU', info.cpu],
    ['kernel', info.corename && `${info.corename} (${kernelChoice(info.corename)})`],
    ['threads', `${info.threads} (of ${info.processors} processors)`],
    ['threading', info.threading],
    ['linkage', info.linkage],
    ['binary', info.binary],
    ['loaded from', info.path],
    ['config', info.config],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  for (const [name, value] of rows) process.stdout.write(`${name.padEnd(width)}  ${value ?? '–'}\n`);
  return 0;
}
