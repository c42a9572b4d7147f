/**
 * Atomic file writes: an interrupted or failing run never leaves a half-written result.
 *
 * Protocol: create a temporary file in the **same directory** (so the final `rename` never crosses a file
 * system), exclusive-create (`wx`, never clobbers another writer's temporary), write everything, `fsync`,
 * close, `rename` over the target (atomic on POSIX), then `fsync` the directory (best effort, so the rename
 * itself survives a power cut). On any failure the temporary file is removed and the target is untouched.
 *
 * Temporary names: `.<basename>.<pid>.<counter>.tmp` — unique within a process by the counter, across
 * processes by the pid; no randomness needed.
 *
 * @example
 * writeFileAtomic('out/mask.safetensors', bytes);
 * writeFileAtomic('big.bin', (write) => { for (const chunk of chunks) write(chunk); });
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidArgumentError } from '../errors';
import { fileError } from './open-file';

/** Receives the writer callback of {@link writeFileAtomic}: call `write(chunk)` in order. */
export type ChunkProducer = (write: (chunk: Uint8Array) => void) => void;

let counter = 0;

/** The bytes `producer` writes, joined in memory. Chunks are kept as given: a producer that reuses a buffer passes copies. */
export function collectChunks(producer: ChunkProducer): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  producer((chunk) => {
    chunks.push(chunk);
    total += chunk.length;
  });
  const out = new Uint8Array(total);
  let pos = 0;
  for (const chunk of chunks) {
    out.set(chunk, pos);
    pos += chunk.length;
  }
  return out;
}

/** Writes `data` (bytes, or a producer of chunks for streaming large files) to `file` atomically. */
export function writeFileAtomic(file: string, data: Uint8Array | ChunkProducer): void {
  if (typeof file !== 'string' || file.length === 0) {
    throw new InvalidArgumentError('path', file, 'a non-empty file path');
  }
  if (!(data instanceof Uint8Array) && typeof data !== 'function') {
    throw new InvalidArgumentError('data', data, 'a Uint8Array or a function (write) => void');
  }
  const dir = path.dirname(path.resolve(file));
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${counter++}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o666);
  } catch (error) {
    throw fileError(error, file, 'path', true);
  }
  try {
    const descriptor = fd;
    const write = (chunk: Uint8Array): void => {
      let off = 0;
      while (off < chunk.length) off += fs.writeSync(descriptor, chunk, off, chunk.length - off);
    };
    if (data instanceof Uint8Array) write(data);
    else data(write);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    try {
      fs.renameSync(tmp, file);
    } catch (error) {
      throw fileError(error, file, 'path', true);
    }
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing; the original error is the one to report.
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      // The temporary file may not exist (rename succeeded partially is impossible on POSIX).
    }
    throw error;
  }
  syncDirectory(dir);
}

function syncDirectory(dir: string): void {
  let dfd: number | undefined;
  try {
    dfd = fs.openSync(dir, 'r');
    fs.fsyncSync(dfd);
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic.
  } finally {
    if (dfd !== undefined) fs.closeSync(dfd);
  }
}
