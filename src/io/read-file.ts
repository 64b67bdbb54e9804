// Reading files whose size is known before the first byte is read. Only regular files
// qualify: a device never ends (/dev/zero would fill memory), a FIFO blocks until a
// writer comes, a directory is no data at all. Callers bound how much they read by
// the size found here and by limits of their own.

import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';

import { fileError, notRegularFileError } from './errors.js';

/** An open regular file and its size when opened. */
export interface RegularFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly size: number;
  /** Identifies the file, whatever path reaches it. */
  readonly stats: Stats;
}

// Opening a FIFO for reading blocks until a writer opens it, unless non-blocking (a
// regular file ignores the flag). Windows has no such flag and no FIFOs in the file system.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Opens `path` for reading if it is a regular file (symbolic links followed). Anything
 * else is refused before it is opened (a socket cannot be), and again after, in case
 * it was replaced in between. Errors name `path` and keep Node's `code`.
 */
export async function openRegularFile(path: string): Promise<RegularFile> {
  const before = await stat(path).catch((error) => {
    throw fileError('read', path, error);
  });
  if (!before.isFile()) throw notRegularFileError('read', path, before);
  const handle = await open(path, OPEN_FLAGS).catch((error) => {
    throw fileError('read', path, error);
  });
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegularFileError('read', path, stats);
    return { path, handle, size: stats.size, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Exactly `length` bytes from `position`; a file that ends sooner (it shrank) is an error. */
export async function readExactly(file: RegularFile, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.handle.read(buffer, done, length - done, position + done).catch((error) => {
      throw fileError('read', file.path, error);
    });
    if (bytesRead === 0) {
      throw Object.assign(new Error(`Cannot read ${file.path}: it became shorter while being read`), {
        code: 'EIO',
        path: file.path,
        reason: 'it became shorter while being read',
      });
    }
    done += bytesRead;
  }
  return buffer;
}

/** The file's bytes from `position` to the size it had when opened, `chunkBytes` at a time. */
export async function* readChunks(file: RegularFile, position = 0, chunkBytes = 64 * 1024): AsyncGenerator<Buffer> {
  for (let at = position; at < file.size; at += chunkBytes) {
    yield await readExactly(file, at, Math.min(chunkBytes, file.size - at));
  }
}

/** Whether two paths name the same file (the same device and inode); false if either does not exist. */
export async function isSameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
}
