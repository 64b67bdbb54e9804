// Keeps a generated block of the documentation up to date: README.md or a guide in
// docs/. Each benchmark owns the text between `<!-- bench:NAME:start -->` and
// `<!-- bench:NAME:end -->`, wherever it is, and nothing else.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoDir } from './paths.mjs';

export function updateReadmeBlock(name, markdown) {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const docs = readdirSync(join(repoDir, 'docs')).filter((file) => file.endsWith('.md'));
  const paths = [join(repoDir, 'README.md'), ...docs.map((file) => join(repoDir, 'docs', file))];
  for (const path of paths) {
    const text = readFileSync(path, 'utf8');
    const from = text.indexOf(start);
    const to = text.indexOf(end);
    if (from === -1 || to < from) continue;
    writeFileSync(path, `${text.slice(0, from + start.length)}\n${markdown.trim()}\n${text.slice(to)}`);
    return;
  }
  throw new Error(`neither README.md nor docs/ has a ${start} … ${end} block to write the results into`);
}
