// Which optional npm packages are installed, and at which version, without loading them.

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The installed version of package `name`, or undefined when it cannot be resolved. */
export function packageVersion(name) {
  let dir;
  try {
    dir = dirname(require.resolve(name));
  } catch {
    return undefined;
  }
  // Walk up from the entry point to the package's own package.json.
  for (; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8'));
      if (parsed.name === name) return parsed.version;
    }
  }
  return undefined;
}
