import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFileError, TwoLayerRegressor } from '../../dist/index.js';
import { openRegularFile, readExactly } from '../../dist/io/read-file.js';
import { MAX_MODEL_FILE_BYTES } from '../../dist/model/model-file.js';

let dir: string;
let fifo: string;
let socketPath: string;
let socketServer: Server;
let model: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'blasprop-read-'));
  fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  socketPath = join(dir, 'socket');
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(socketPath, resolve));
  model = join(dir, 'good.blasprop');
  await new TwoLayerRegressor({ inputSize: 3, hiddenSize: 4, outputSize: 2 }).save(model);
});
afterAll(() => {
  socketServer.close();
  rmSync(dir, { recursive: true, force: true });
});

async function loadError(path: string): Promise<string> {
  const error = await TwoLayerRegressor.load(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelFileError);
  return (error as Error).message;
}

describe('openRegularFile', () => {
  // Each of these would block (a FIFO with no writer), never end (/dev/zero) or not be data.
  it('refuses devices, FIFOs, sockets and directories before reading a byte', async () => {
    const cases: [string, string][] = [
      ['/dev/zero', 'a character device'],
      [fifo, 'a FIFO (named pipe)'],
      [socketPath, 'a socket'],
      [dir, 'a directory'],
    ];
    for (const [path, kind] of cases) {
      await expect(openRegularFile(path)).rejects.toMatchObject({
        code: 'EFTYPE',
        message: `Cannot read ${path}: it is ${kind}, not a regular file`,
      });
    }
  });

  it('names the path and keeps the code of a missing file', async () => {
    const path = join(dir, 'none');
    await expect(openRegularFile(path)).rejects.toMatchObject({
      code: 'ENOENT',
      message: `Cannot read ${path}: no such file or directory (ENOENT)`,
    });
  });

  it('reads exactly the bytes asked for, and reports a file that shrank', async () => {
    const path = join(dir, 'shrinks');
    writeFileSync(path, 'abcdefgh');
    const file = await openRegularFile(path);
    try {
      expect(file.size).toBe(8);
      expect((await readExactly(file, 2, 4)).toString()).toBe('cdef');
      truncateSync(path, 3);
      await expect(readExactly(file, 0, 8)).rejects.toThrow(/became shorter while being read/);
    } finally {
      await file.handle.close();
    }
  });
});

describe('TwoLayerRegressor.load reads only what a model file can be', () => {
  it('refuses /dev/zero, a FIFO, a socket and a directory with a ModelFileError', async () => {
    expect(await loadError('/dev/zero')).toBe(
      'Cannot load model file /dev/zero: it is a character device, not a regular file',
    );
    expect(await loadError(fifo)).toMatch(/it is a FIFO \(named pipe\), not a regular file$/);
    expect(await loadError(socketPath)).toMatch(/it is a socket, not a regular file$/);
    expect(await loadError(dir)).toMatch(/it is a directory, not a regular file$/);
  });

  it('refuses a file larger than the documented maximum without reading it', async () => {
    // Sparse: it takes no space, and reading it would need 4 GiB of memory.
    const path = join(dir, 'huge.blasprop');
    writeFileSync(path, readFileSync(model));
    truncateSync(path, MAX_MODEL_FILE_BYTES + 1);
    expect(await loadError(path)).toMatch(
      new RegExp(`it is ${MAX_MODEL_FILE_BYTES + 1} bytes, more than a model file may be`),
    );
  });

  it('compares the file’s size with what its header declares before reading the rest', async () => {
    const good = readFileSync(model);
    const longer = join(dir, 'longer.blasprop');
    // A valid header followed by 100 MB of zeros: refused from the header alone.
    writeFileSync(longer, good);
    truncateSync(longer, 100_000_000);
    expect(await loadError(longer)).toMatch(
      new RegExp(`its header describes ${good.length} bytes but the file has 100000000: it is truncated or corrupted`),
    );
    const shorter = join(dir, 'shorter.blasprop');
    writeFileSync(shorter, good.subarray(0, good.length - 8));
    expect(await loadError(shorter)).toMatch(/truncated or corrupted/);
  });
});
