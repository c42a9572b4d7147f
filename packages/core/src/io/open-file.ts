/**
 * Opening files for the readers, with file-system failures turned into typed errors: a missing or
 * unreadable input is the user's to fix (CLI exit code 2), not an internal error.
 */
import * as fs from 'node:fs';
import { FormatError, InvalidArgumentError } from '../errors';

const REASONS: Record<string, [string, string]> = {
  ENOENT: ['an existing file', 'check the path (relative paths start at the working directory)'],
  EACCES: ['a readable file', 'check the file permissions'],
  EPERM: ['a readable file', 'check the file permissions'],
  EISDIR: ['a file, not a directory', 'pass the path of the file inside the directory'],
  ENOTDIR: ['a path whose parents are directories', 'check the path'],
};

/** Opens `path` read-only; returns the descriptor. */
export function openForReading(path: string, argument = 'path'): number {
  if (typeof path !== 'string' || path.length === 0)
    throw new InvalidArgumentError(argument, path, 'a file path');
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    throw fileError(error, path, argument);
  }
  try {
    if (fs.fstatSync(fd).isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (error) {
    fs.closeSync(fd);
    throw fileError(error, path, argument);
  }
  return fd;
}

/** Maps a Node file-system error to an `InvalidArgumentError` naming the path (others pass through). */
export function fileError(error: unknown, path: string, argument = 'path', writing = false): unknown {
  const code = (error as { code?: string })?.code;
  const reason = code ? REASONS[code] : undefined;
  if (!reason) return error;
  const [expected, fix] = reason;
  return new InvalidArgumentError(
    argument,
    path,
    writing && code === 'ENOENT' ? 'a path in an existing directory' : expected,
    {
      fix: writing && code === 'ENOENT' ? 'create the directory first (mkdir -p)' : fix,
      cause: error,
    },
  );
}

/** Reads exactly `into.length` bytes at `position`; a short file is a `FormatError` naming `source`. */
export function readFully(fd: number, into: Uint8Array, position: number, source: string): void {
  let off = 0;
  while (off < into.length) {
    const got = fs.readSync(fd, into, off, into.length - off, position + off);
    if (got === 0) {
      throw new FormatError(
        `file ended at byte ${position + off} while ${into.length - off} more bytes were expected`,
        { source, fix: 'the file was truncated or changed while being read; write it again' },
      );
    }
    off += got;
  }
}
