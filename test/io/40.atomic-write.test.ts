import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwoLayerRegressor } from '../../dist/index.js';
import { prepareFileWrite, writeFileAtomic } from '../../dist/io/atomic-write.js';

const isRoot = process.getuid?.() === 0;
let dir: string;
let socketServer: Server;
let socketPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'blasprop-io-'));
  socketPath = join(dir, 'socket');
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(socketPath, resolve));
});
afterAll(() => {
  socketServer.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder inside the test folder. */
function folder(): string {
  return mkdtempSync(join(dir, 'f-'));
}

const bytes = (text: string) => Buffer.from(text);
const temporaries = (path: string) => readdirSync(path).filter((name) => name.endsWith('.tmp'));

async function rejection(promise: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a rejection').toBeInstanceOf(Error);
  return error as NodeJS.ErrnoException;
}

describe('writeFileAtomic replaces only what a write would write to', () => {
  it('writes through a symbolic link to its target, which keeps its folder, and leaves the link', async () => {
    const here = folder();
    const there = folder();
    const target = join(there, 'real.blasprop');
    writeFileSync(target, 'old');
    const link = join(here, 'link.blasprop');
    symlinkSync(target, link);
    await writeFileAtomic(link, bytes('new'));
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(temporaries(here)).toEqual([]);
    expect(temporaries(there)).toEqual([]);
  });

  it('follows a chain of relative links, and creates the file a dangling link points to', async () => {
    const here = folder();
    mkdirSync(join(here, 'sub'));
    symlinkSync('sub/second', join(here, 'first'));
    symlinkSync('real', join(here, 'sub', 'second'));
    await writeFileAtomic(join(here, 'first'), bytes('made'));
    expect(readFileSync(join(here, 'sub', 'real'), 'utf8')).toBe('made');
    expect(lstatSync(join(here, 'first')).isSymbolicLink()).toBe(true);
  });

  it('refuses a loop of links', async () => {
    const here = folder();
    symlinkSync('b', join(here, 'a'));
    symlinkSync('a', join(here, 'b'));
    const error = await rejection(writeFileAtomic(join(here, 'a'), bytes('x')));
    expect(error.code).toBe('ELOOP');
  });

  it('refuses a directory, a FIFO, a socket and a device, leaving each as it was', async () => {
    const here = folder();
    const fifo = join(here, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const directory = join(here, 'directory');
    mkdirSync(directory);
    const cases: [string, RegExp][] = [
      [directory, /it is a directory, not a regular file$/],
      [fifo, /it is a FIFO \(named pipe\), not a regular file$/],
      [socketPath, /it is a socket, not a regular file$/],
      ['/dev/null', /it is a character device, not a regular file$/],
    ];
    for (const [path, message] of cases) {
      const before = lstatSync(path);
      const error = await rejection(writeFileAtomic(path, bytes('x')));
      expect(error.message).toMatch(new RegExp(`^Cannot write ${path}: `));
      expect(error.message).toMatch(message);
      expect(error.code).toBe('EFTYPE');
      const after = lstatSync(path);
      expect([after.mode, after.ino, after.rdev]).toEqual([before.mode, before.ino, before.rdev]);
    }
    expect(temporaries(here)).toEqual([]);
  });

  it('refuses a link to a device, and the device stays', async () => {
    const here = folder();
    const link = join(here, 'null-link');
    symlinkSync('/dev/null', link);
    const error = await rejection(writeFileAtomic(link, bytes('x')));
    expect(error.message).toMatch(/character device/);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('keeps an existing file’s permission bits, whatever the umask', async () => {
    const here = folder();
    for (const mode of [0o600, 0o640, 0o755, 0o604]) {
      const path = join(here, `m${mode.toString(8)}`);
      writeFileSync(path, 'old');
      chmodSync(path, mode);
      await writeFileAtomic(path, bytes('new'));
      expect(statSync(path).mode & 0o7777).toBe(mode);
      expect(readFileSync(path, 'utf8')).toBe('new');
    }
    // A new file gets the usual 0666 less the umask.
    const fresh = join(here, 'fresh');
    await writeFileAtomic(fresh, bytes('x'));
    const umask = process.umask();
    expect(statSync(fresh).mode & 0o777).toBe(0o666 & ~umask);
  });

  it.skipIf(isRoot)('refuses a file the process may not write, as a write would', async () => {
    const path = join(folder(), 'read-only');
    writeFileSync(path, 'old');
    chmodSync(path, 0o444);
    const error = await rejection(writeFileAtomic(path, bytes('new')));
    expect(error.code).toBe('EACCES');
    expect(readFileSync(path, 'utf8')).toBe('old');
  });

  it.skipIf(!isRoot)('as root, keeps an existing file’s owner and group', async () => {
    const path = join(folder(), 'owned');
    writeFileSync(path, 'old');
    chownSync(path, 1234, 5678);
    chmodSync(path, 0o640);
    await writeFileAtomic(path, bytes('new'));
    const stats = statSync(path);
    expect([stats.uid, stats.gid, stats.mode & 0o7777]).toEqual([1234, 5678, 0o640]);
  });

  it('saves a model through a link, and keeps the model file’s mode', async () => {
    const here = folder();
    const model = new TwoLayerRegressor({ inputSize: 2, hiddenSize: 3, outputSize: 1, seed: 4 });
    const target = join(here, 'real.blasprop');
    await model.save(target);
    chmodSync(target, 0o600);
    const link = join(here, 'current.blasprop');
    symlinkSync('real.blasprop', link);
    await model.save(link);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect((await TwoLayerRegressor.load(link)).stateDict()).toEqual(model.stateDict());
  });
});

describe('writeFileAtomic errors name the path asked for', () => {
  it('a missing folder is named as such, not the temporary file', async () => {
    const here = folder();
    const path = join(here, 'missing', 'out.csv');
    const error = await rejection(writeFileAtomic(path, bytes('x')));
    expect(error.message).toBe(`Cannot write ${path}: the directory ${join(here, 'missing')} does not exist (ENOENT)`);
    expect(error.code).toBe('ENOENT');
    expect(error.path).toBe(path);
    expect(error.message).not.toMatch(/\.tmp/);
  });

  it('a parent that is a file', async () => {
    const here = folder();
    writeFileSync(join(here, 'file'), '');
    const error = await rejection(writeFileAtomic(join(here, 'file', 'out.csv'), bytes('x')));
    expect(error.code).toBe('ENOTDIR');
    expect(error.message).toMatch(/^Cannot write .*file\/out\.csv: a part of the path is not a directory \(ENOTDIR\)$/);
  });
});

describe('writeFileAtomic and long names', () => {
  it('writes a file whose name has the longest length allowed, 255 bytes, and leaves no temporary', async () => {
    const here = folder();
    for (const length of [200, 218, 219, 249, 255]) {
      const name = `${'n'.repeat(length - 4)}.csv`;
      await writeFileAtomic(join(here, name), bytes(`length ${length}`));
      expect(readFileSync(join(here, name), 'utf8')).toBe(`length ${length}`);
    }
    // Multi-byte characters count in bytes, and are never cut in half.
    const accented = `${'é'.repeat(124)}.csv`; // 248 + 4 bytes
    await writeFileAtomic(join(here, accented), bytes('é'));
    expect(readFileSync(join(here, accented), 'utf8')).toBe('é');
    expect(temporaries(here)).toEqual([]);
  });

  it('saves a model under a 249-byte name', async () => {
    const path = join(folder(), `${'m'.repeat(240)}.blasprop`);
    const model = new TwoLayerRegressor({ inputSize: 1, hiddenSize: 1, outputSize: 1 });
    await model.save(path);
    expect((await TwoLayerRegressor.load(path)).config).toEqual(model.config);
  });
});

describe('prepareFileWrite', () => {
  it('leaves the target untouched until commit, and as it was after abort', async () => {
    const here = folder();
    const path = join(here, 'chart.svg');
    writeFileSync(path, 'old');
    const first = await prepareFileWrite(path, bytes('new'));
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(temporaries(here)).toHaveLength(1);
    await first.abort();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(temporaries(here)).toEqual([]);

    const second = await prepareFileWrite(path, bytes('new'));
    expect(second.committed).toBe(false);
    await second.commit();
    expect(second.committed).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('new');
    await expect(second.abort()).rejects.toThrow(/already been committed or aborted/);
  });

  it('refuses to commit over something that became a directory meanwhile', async () => {
    const here = folder();
    const path = join(here, 'target');
    const pending = await prepareFileWrite(path, bytes('x'));
    mkdirSync(path);
    const error = await rejection(pending.commit());
    expect(error.code).toBe('EFTYPE');
    expect(statSync(path).isDirectory()).toBe(true);
    expect(temporaries(here)).toEqual([]);
  });
});
