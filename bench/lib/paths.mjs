// Where the benchmarks keep things: compiled peers and generated data in .build/
// (not committed), tables and charts in results/ (committed), logs in results/raw/.

import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const benchDir = fileURLToPath(new URL('../', import.meta.url));
export const repoDir = fileURLToPath(new URL('../../', import.meta.url));
export const buildDir = fileURLToPath(new URL('../.build/', import.meta.url));
export const resultsDir = fileURLToPath(new URL('../results/', import.meta.url));
export const rawDir = fileURLToPath(new URL('../results/raw/', import.meta.url));

export function ensureDirs() {
  for (const dir of [buildDir, resultsDir, rawDir]) mkdirSync(dir, { recursive: true });
}
