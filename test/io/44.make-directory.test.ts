import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

import { makeDirectory, removeCreatedDirectories } from '../../dist/io/make-directory.js';

const dir = mkdtempSync(join(tmpdir(), 'blasprop-mkdir-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MAKE_DIRECTORY = fileURLToPath(new URL('../../dist/io/make-directory.js', import.meta.url));

/** Whether this process may make mount namespaces and mount in them (root). */
const canMount = spawnSync('unshare', ['--mount', 'true']).status === 0;

describe('makeDirectory', () => {
  it('creates missing parents, reports what it created, and removes them again if still empty', async () => {
    const path = join(dir, 'a', 'b', 'c');
    const created = await makeDirectory(path);
    expect(created).toEqual([join(dir, 'a'), join(dir, 'a', 'b'), path]);
    expect(statSync(path).isDirectory()).toBe(true);
    expect(await makeDirectory(path)).toEqual([]);
    await removeCreatedDirectories(created);
    expect(existsSync(join(dir, 'a'))).toBe(false);
  });

  it('keeps a created folder that something was written to, and its parents', async () => {
    const path = join(dir, 'kept', 'inner');
    const created = await makeDirectory(path);
    writeFileSync(join(path, 'file'), 'x');
    await removeCreatedDirectories(created);
    expect(existsSync(join(path, 'file'))).toBe(true);
  });

  it('says when a file is in the way, or a parent is a file', async () => {
    const file = join(dir, 'file');
    writeFileSync(file, '');
    await expect(makeDirectory(file)).rejects.toMatchObject({
      code: 'ENOTDIR',
      message: `Cannot create the directory ${file}: a file is in the way`,
    });
    await expect(makeDirectory(join(file, 'sub'))).rejects.toMatchObject({
      code: 'ENOTDIR',
      message: `Cannot create the directory ${join(file, 'sub')}: ${file} is not a directory`,
    });
  });

  // Node's own recursive mkdir loops forever here; the child is killed if it hangs.
  it('fails at once under /proc, which makes no folders', () => {
    const script = `import { makeDirectory } from ${JSON.stringify(MAKE_DIRECTORY)};
      await makeDirectory('/proc/nope/deeper').then(() => console.log('created'), (e) => console.log(e.code, e.message));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.signal).toBeNull();
    expect(run.stdout.trim()).toBe(
      'ENOENT Cannot create the directory /proc/nope/deeper: /proc does not accept new directories (ENOENT)',
    );
  });

  it.skipIf(!canMount)('reports a read-only file system as such (Node reports ENOENT)', () => {
    const mountPoint = join(dir, 'ro');
    mkdirSync(mountPoint);
    const script = `import { makeDirectory } from ${JSON.stringify(MAKE_DIRECTORY)};
      await makeDirectory(${JSON.stringify(join(mountPoint, 'out', 'deeper'))}).then(() => console.log('created'), (e) => console.log(e.code, e.message));`;
    const run = spawnSync(
      'unshare',
      [
        '--mount',
        'sh',
        '-c',
        `mount -t tmpfs -o ro tmpfs "$0" && exec "$1" --input-type=module -e "$2"`,
        mountPoint,
        process.execPath,
        script,
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(
      `EROFS Cannot create the directory ${join(mountPoint, 'out', 'deeper')}: read-only file system (EROFS)`,
    );
  });
});
