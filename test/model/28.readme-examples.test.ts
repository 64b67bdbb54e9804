// The README's classification and regression examples, run as written (with the built
// package), must print what the README says they print.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));
const DIST = pathToFileURL(fileURLToPath(new URL('../../dist/index.js', import.meta.url))).href;
const SECTION = '## Classification, Adam, schedules and early stopping';

/** The js blocks of the section, in order. */
function examples(): string[] {
  const readme = readFileSync(README, 'utf8');
  const start = readme.indexOf(SECTION);
  const section = readme.slice(start, readme.indexOf('\n## ', start + SECTION.length));
  return [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/** Runs an example as a module and returns what each console.log call printed, as JSON values. */
function run(code: string): unknown[][] {
  expect(code).toContain("from 'blasprop'");
  const dir = mkdtempSync(join(tmpdir(), 'blasprop-readme-'));
  const script = join(dir, 'example.mjs');
  const logAsJson = 'const console = { log: (...args) => process.stdout.write(JSON.stringify(args) + "\\n") };\n';
  writeFileSync(script, logAsJson + code.replaceAll("from 'blasprop'", `from '${DIST}'`));
  const stdout = execFileSync(process.execPath, [script], { encoding: 'utf8' });
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('the README’s examples of classification and of Adam with early stopping', () => {
  const [classification, regression] = examples();

  it('a classifier reaches the accuracy the comment says and predicts the two probes’ classes', () => {
    const [[accuracy], [proba], [classes]] = run(classification) as [[number], [number[][]], [number[][]]];
    expect(accuracy).toBeGreaterThan(0.95);
    expect(proba).toHaveLength(2);
    for (const row of proba) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(classes).toEqual([[0], [1]]);
  });

  it('the regression stops early, keeping its best epoch, and explains the data well', () => {
    const [[stopped, best, r2]] = run(regression) as [[number, number, number]];
    expect(stopped).toBeGreaterThan(best);
    expect(best).toBeGreaterThan(0);
    expect(r2).toBeGreaterThan(0.9);
  });
});
