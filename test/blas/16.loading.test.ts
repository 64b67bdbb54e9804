// How the addon is found and what happens when it cannot be: each case runs in a
// fresh Node.js process, since the backend is chosen once per process.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { blasInfo } from '../../dist/index.js';
import { distIndex, runNode } from '../helpers/node-process.js';

/** A script that reports, as JSON, what each call returned or threw. */
const probe = `
const lib = await import(${JSON.stringify(distIndex)});
const outcome = (call) => {
  try {
    return { returned: call() };
  } catch (error) {
    return { threw: error.constructor.name, message: error.message, hasCause: error.cause !== undefined };
  }
};
const product = (dgemm) => Array.from(dgemm('N', 'T', 2, 2, 2, 1, new Float64Array([1, 2, 3, 4]), 2,
  new Float64Array([5, 6, 7, 8]), 2, 0, new Float64Array(4), 2));
console.log(JSON.stringify({
  info: outcome(() => lib.blasInfo()),
  native: outcome(() => product(lib.dgemm)),
  reference: outcome(() => product(lib.reference.dgemm)),
}));
`;

function runProbe(env: Record<string, string>) {
  const run = runNode(probe, env);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout);
}

// [[1, 2], [3, 4]] · [[5, 6], [7, 8]]ᵀ
const PRODUCT = [17, 23, 39, 53];

describe('loading the addon', () => {
  it('fails loudly, with the cause and what to do, when BLASPROP_BINDING names no file', () => {
    const result = runProbe({ BLASPROP_BINDING: '/nonexistent.node' });
    // No silent fallback to the reference kernels: both the info and the routines throw.
    expect(result.info.threw).toBe('Error');
    expect(result.native).toEqual(result.info);
    expect(result.info.hasCause).toBe(true);
    const lines: string[] = result.info.message.split('\n');
    expect(lines[0]).toMatch(
      /^Could not load the blasprop native addon for \w+-\w+ \(Node\.js [\d.]+, Node-API \d+\)\.$/,
    );
    expect(lines).toContain('Tried: /nonexistent.node');
    expect(lines.find((line) => line.startsWith('Cause: '))).toContain('/nonexistent.node');
    const solutions = lines.indexOf('Possible solutions:');
    expect(solutions).toBeGreaterThan(0);
    const advice = lines.slice(solutions + 1);
    expect(advice.length).toBeGreaterThanOrEqual(3);
    expect(advice.every((line) => line.startsWith('- ') || line.startsWith('    '))).toBe(true);
    // The file was chosen by hand, so the first advice is about that, not about reinstalling.
    expect(advice[0]).toMatch(/^- BLASPROP_BINDING=\/nonexistent\.node overrides the binary/);
    expect(advice.join('\n')).not.toContain('Reinstall');
    expect(advice.join('\n')).toContain('BLASPROP_BACKEND=reference');
    // The reference routines, asked for explicitly, still work.
    expect(result.reference.returned).toEqual(PRODUCT);
  });

  it('names the file and the loader error when BLASPROP_BINDING is not an addon', () => {
    const bogus = join(mkdtempSync(join(tmpdir(), 'blasprop-')), 'bogus.node');
    writeFileSync(bogus, 'not a shared object');
    const result = runProbe({ BLASPROP_BINDING: bogus });
    expect(result.info.threw).toBe('Error');
    expect(result.info.message).toContain(`Tried: ${bogus}`);
    expect(result.info.message).toMatch(/Cause: .*(invalid ELF header|file too short|not a valid)/);
  });

  it('reports the load error on stderr and exits non-zero when the application does not catch it', () => {
    const script = `const { dgemm } = await import(${JSON.stringify(distIndex)});
      dgemm('N', 'N', 1, 1, 1, 1, new Float64Array(1), 1, new Float64Array(1), 1, 0, new Float64Array(1), 1);`;
    const run = runNode(script, { BLASPROP_BINDING: '/nonexistent.node' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('Could not load the blasprop native addon');
    expect(run.stderr).toContain('Possible solutions:');
  });

  it('loads the file BLASPROP_BINDING names', () => {
    const path = blasInfo().path as string;
    const result = runProbe({ BLASPROP_BINDING: path });
    expect(result.info.returned).toMatchObject({ backend: 'native', path });
    expect(result.native.returned).toEqual(PRODUCT);
  });
});

describe('BLASPROP_BACKEND', () => {
  it('=reference runs the TypeScript kernels without loading the addon at all', () => {
    const result = runProbe({ BLASPROP_BACKEND: 'reference', BLASPROP_BINDING: '/nonexistent.node' });
    expect(result.info.returned).toMatchObject({
      backend: 'reference',
      version: null,
      corename: null,
      cpu: blasInfo().cpu,
      path: null,
    });
    expect(result.native.returned).toEqual(PRODUCT);
  });

  it('=native is the default, spelled out', () => {
    const result = runProbe({ BLASPROP_BACKEND: 'native' });
    expect(result.info.returned.backend).toBe('native');
    expect(result.native.returned).toEqual(PRODUCT);
  });

  it.each(['bogus', 'Reference', 'ref'])('=%s is refused with a RangeError naming the variable', (value) => {
    const result = runProbe({ BLASPROP_BACKEND: value });
    expect(result.info).toMatchObject({
      threw: 'RangeError',
      message: `Expected "native" or "reference" for BLASPROP_BACKEND but received "${value}"`,
    });
    expect(result.native).toEqual(result.info);
  });
});
