// File-system errors worded for the person who gave the path. Node's own messages
// name the syscall and, for a write through a temporary file, the temporary's name
// ("ENOENT: no such file or directory, open 'out/.model.blasprop.1a2b….tmp'"); these
// name the user's path and say what went wrong in words, and keep `code`, `errno`
// and `syscall` so that programs can still tell the cases apart.

import type { Stats } from 'node:fs';

/** The code of an error that refuses a path for its kind: it exists but is not a regular file. libuv's name. */
export const NOT_REGULAR_FILE = 'EFTYPE';

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many levels of symbolic links',
  EMFILE: 'too many open files',
  EBUSY: 'resource busy',
  EXDEV: 'not on the same file system',
};

/** What kind of file `stats` describes, in words ("a directory", "a FIFO", …). */
export function describeFileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** The refusal of a path that exists but is not a regular file. */
export function notRegularFileError(action: string, path: string, stats: Stats): Error {
  const reason = `it is ${describeFileKind(stats)}, not a regular file`;
  return Object.assign(new Error(`Cannot ${action} ${path}: ${reason}`), { code: NOT_REGULAR_FILE, path, reason });
}

/**
 * A file-system error re-worded as "Cannot <action> <path>: <reason> (<code>)", with the
 * original as its cause. `path` is what the user asked for, whatever file failed.
 */
export function fileError(action: string, path: string, cause: unknown): Error {
  if (!(cause instanceof Error)) return new Error(`Cannot ${action} ${path}: ${String(cause)}`);
  const { code, errno, syscall } = cause as NodeJS.ErrnoException;
  if (code === NOT_REGULAR_FILE) return cause;
  const reason = fileErrorReason(cause);
  const error = new Error(`Cannot ${action} ${path}: ${reason}`, { cause });
  return Object.assign(error, { code, errno, syscall, path, reason });
}

/** A file-system error's cause in words, with its code: "no space left on device (ENOSPC)". */
export function fileErrorReason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const { code, reason } = error as NodeJS.ErrnoException & { reason?: string };
  if (typeof reason === 'string') return reason;
  if (code === undefined) return error.message;
  // Node's message is "CODE: what, syscall 'path'": keep the words, drop the rest.
  const words = REASONS[code] ?? /^[A-Z0-9_]+: ([^,]+)/.exec(error.message)?.[1] ?? error.message;
  return `${words} (${code})`;
}

/** Whether a file-system error means that the path cannot be used as given (rather than a failure while using it). */
export function isPathError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && PATH_CODES.has(code);
}

const PATH_CODES = new Set([
  NOT_REGULAR_FILE,
  'ENOENT',
  'ENOTDIR',
  'EISDIR',
  'EACCES',
  'EPERM',
  'EROFS',
  'ENAMETOOLONG',
  'ELOOP',
  'EEXIST',
]);
