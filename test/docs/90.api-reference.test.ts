// What `npm run docs:check` (TypeDoc's validation) cannot see: which entry points it
// is given, and whether the prose of docs/ agrees with what the library returns.

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { blasInfo } from '../../dist/index.js';

const root = new URL('../../', import.meta.url);
const packageJson = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as {
  exports: Record<string, string | { types?: string }>;
  typedocOptions: { entryPoints: string[] };
};

describe('API reference', () => {
  it('documents every subpath of the package that has types, and nothing else', () => {
    const typed = Object.values(packageJson.exports)
      .map((target) => (typeof target === 'string' ? undefined : target.types))
      .filter((types): types is string => types !== undefined)
      .map((types) => types.replace(/^\.\/dist\//, 'src/').replace(/\.d\.ts$/, '.ts'));
    expect(typed.length).toBeGreaterThan(0);
    expect([...packageJson.typedocOptions.entryPoints].sort()).toEqual(typed.sort());
  });

  it('lists in docs/blas.md exactly the fields blasInfo() returns', () => {
    const prose = readFileSync(new URL('docs/blas.md', root), 'utf8');
    const listed = /`blasInfo\(\)` returns `\{([^}]*)\}`/.exec(prose);
    expect(listed, 'docs/blas.md names the fields of blasInfo()').not.toBeNull();
    const fields = listed![1].split(',').map((field) => field.trim());
    expect(fields.sort()).toEqual(Object.keys(blasInfo()).sort());
  });
});
