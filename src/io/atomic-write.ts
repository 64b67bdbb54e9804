// Replacing a file so that a crash at any moment leaves either its old or its new
// contents: the bytes go to a temporary file beside it, which is fsynced and renamed
// over it, and the folder is fsynced so that the rename lasts.
//
// The rename must replace only what a write would have written to:
// - a symbolic link is followed, and its target replaced (the temporary goes in the
//   target's folder, since a rename cannot cross file systems); the link stays;
// - anything else that is not a regular file — a directory, a device such as
//   /dev/null, a FIFO, a socket — is refused, not replaced;
// - an existing file keeps its permission bits, and its owner where the process may
//   set it (root); a file the process could not write to is refused, as a write would be.

import type { Stats } from 'node:fs';
import { constants } from 'node:fs';
import { access, type FileHandle, lstat, open, readlink, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

import { fileError, notRegularFileError } from './errors.js';
import { removeAbandonedTemporaries, temporaryName } from './temporary-files.js';

/** Links followed before giving up, as Linux's path resolution does (ELOOP). */
const MAX_SYMBOLIC_LINKS = 40;

/** A file written to its temporary, waiting to replace its target. */
export interface PendingWrite {
  /** The file that `commit` replaces: the path asked for, with symbolic links followed. */
  readonly target: string;
  /** Whether `commit` has replaced the target. */
  readonly committed: boolean;
  /** Renames the temporary over the target. */
  commit(): Promise<void>;
  /** Deletes the temporary; the target is left as it was. */
  abort(): Promise<void>;
}

/** Writes `bytes` to `path` atomically (see the top of this file). Errors name `path`. */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await (await prepareFileWrite(path, bytes)).commit();
}

/**
 * The first half of an atomic write: everything that can fail for lack of space or
 * permission (writing and syncing the temporary) without touching `path`. Committing
 * several prepared writes one after another replaces a set of files with almost no
 * window in which some are new and others old.
 */
export async function prepareFileWrite(path: string, bytes: Uint8Array): Promise<PendingWrite> {
  const { target, existing } = await resolveTarget(path);
  const folder = dirname(target);
  const temporary = join(folder, temporaryName(basename(target)));
  try {
    const file = await open(temporary, 'wx', existing ? existing.mode & 0o777 : 0o666);
    try {
      if (existing) await keepOwnerAndMode(file, existing);
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw writeError(path, target, error);
  }

  let settled = false;
  let committed = false;
  const settle = () => {
    if (settled) throw new Error(`The write of ${path} has already been committed or aborted`);
    settled = true;
  };
  return {
    target,
    get committed() {
      return committed;
    },
    async commit() {
      settle();
      try {
        // The path was checked before writing; whatever stands there now must still be
        // a regular file (or nothing) for the rename to replace it.
        const now = await lstat(target).catch(() => undefined);
        if (now && !now.isFile()) throw notRegularFileError('write', path, now);
        await rename(temporary, target);
        committed = true;
      } catch (error) {
        await unlink(temporary).catch(() => {});
        throw writeError(path, target, error);
      }
      await syncFolder(folder);
      await removeAbandonedTemporaries(folder, basename(target));
    },
    async abort() {
      settle();
      await unlink(temporary).catch(() => {});
    },
  };
}

/**
 * Refuses, as a write would, a path that cannot be written: one that is (or links to)
 * something other than a regular file, or a file the process may not write.
 */
export async function checkWriteTarget(path: string): Promise<void> {
  await resolveTarget(path);
}

/** The regular file `path` names once symbolic links are followed, and its stats if it exists. */
async function resolveTarget(path: string): Promise<{ target: string; existing: Stats | undefined }> {
  let current = resolve(path);
  for (let links = 0; ; links++) {
    let stats: Stats;
    try {
      stats = await lstat(current);
    } catch (error) {
      // Nothing there yet (a missing folder is reported when the temporary is created).
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { target: current, existing: undefined };
      throw fileError('write', path, error);
    }
    if (stats.isFile()) {
      // Refuse what a plain write would be refused: a read-only file stays as it is.
      await access(current, constants.W_OK).catch((error) => {
        throw fileError('write', path, error);
      });
      return { target: current, existing: stats };
    }
    if (!stats.isSymbolicLink()) throw notRegularFileError('write', path, stats);
    if (links === MAX_SYMBOLIC_LINKS) {
      throw fileError('write', path, Object.assign(new Error('ELOOP'), { code: 'ELOOP' }));
    }
    current = resolve(dirname(current), await readlink(current));
  }
}

async function keepOwnerAndMode(file: FileHandle, existing: Stats): Promise<void> {
  const created = await file.stat();
  if (created.uid !== existing.uid || created.gid !== existing.gid) {
    // Only root may give a file away; anyone else gets a file of their own, as with cp.
    await file.chown(existing.uid, existing.gid).catch(() => {});
  }
  // After chown, which clears set-user-ID bits; and exactly, whatever the umask.
  await file.chmod(existing.mode & 0o7777);
}

/** Makes a rename in `folder` durable. Not every platform can fsync a folder. */
async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r').catch(() => undefined);
  if (handle) {
    await handle.sync().catch(() => {});
    await handle.close();
  }
}

/** An error while writing, worded for `path` rather than the temporary that failed. */
function writeError(path: string, target: string, error: unknown): Error {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return fileError('write', path, error);
  // The temporary could not be created: its folder is missing.
  const folder = dirname(target) === dirname(resolve(path)) ? dirname(path) : dirname(target);
  const reason = `the directory ${folder} does not exist (ENOENT)`;
  return Object.assign(new Error(`Cannot write ${path}: ${reason}`, { cause: error }), {
    code: 'ENOENT',
    path,
    reason,
  });
}
