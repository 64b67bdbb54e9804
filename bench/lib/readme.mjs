// Keeps a generated block of README.md up to date. Each benchmark owns the text
// between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` and nothing else.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoDir } from './paths.mjs';

export function updateReadmeBlock(name, markdown) {
  const path = join(repoDir, 'README.md');
  const text = readFileSync(path, 'utf8');
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to < from) {
    throw new Error(`README.md has no ${start} … ${end} block to write the results into`);
  }
  writeFileSync(path, `${text.slice(0, from + start.length)}\n${markdown.trim()}\n${text.slice(to)}`);
}
