/**
 * A reader for IDX files, the format the MNIST and Fashion-MNIST distributions use
 * (`train-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, …).
 *
 * Layout (all integers big-endian):
 *
 *     bytes 0–1   zero
 *     byte  2     element type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
 *     byte  3     number of dimensions d (≥ 1)
 *     4 · d bytes the dimensions, uint32 each
 *     then        Π dims elements, row-major (last dimension fastest), big-endian
 *
 * Validation happens before any allocation: the magic bytes, the element type, the dimension count, and
 * that the file holds exactly `4 + 4d + Π dims · itemSize` bytes (a truncated file and trailing bytes are
 * both `FormatError`s naming the file and the byte counts). `maxBytes` (default 1 GiB) caps the data size
 * a header may announce, so a corrupt or hostile header cannot make the reader allocate gigabytes.
 *
 * Complexity: one read of the file, one byte swap pass for multi-byte types on little-endian hosts.
 *
 * @example
 * const images = readIdx('train-images-idx3-ubyte');   // { dtype: 'uint8', shape: [60000, 28, 28], data: Uint8Array }
 */
import * as fs from 'node:fs';
import { FormatError, InvalidArgumentError } from '@graphon-pai/core';

export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export interface IdxArray {
  dtype: IdxDType;
  shape: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

export interface ReadIdxOptions {
  /** Largest data size (bytes) a header may announce (default 2³⁰). */
  maxBytes?: number;
}

const TYPES = new Map<number, { dtype: IdxDType; size: number }>([
  [0x08, { dtype: 'uint8', size: 1 }],
  [0x09, { dtype: 'int8', size: 1 }],
  [0x0b, { dtype: 'int16', size: 2 }],
  [0x0c, { dtype: 'int32', size: 4 }],
  [0x0d, { dtype: 'float32', size: 4 }],
  [0x0e, { dtype: 'float64', size: 8 }],
]);

/** Largest dimension count accepted (the MNIST files have 1 or 3). */
const MAX_DIMS = 16;

export const IDX_DEFAULT_MAX_BYTES = 2 ** 30;

interface IdxHeader {
  dtype: IdxDType;
  itemSize: number;
  shape: number[];
  headerBytes: number;
  dataBytes: number;
}

function parseHeader(head: Uint8Array, fileBytes: number, maxBytes: number, source: string): IdxHeader {
  const fail = (message: string, fix = 'pass an IDX file (e.g. train-images-idx3-ubyte), not compressed') =>
    new FormatError(message, { source, fix });
  if (fileBytes < 4) throw fail(`file has ${fileBytes} bytes; an IDX header needs at least 4`);
  if (head[0] !== 0 || head[1] !== 0) {
    const gz = head[0] === 0x1f && head[1] === 0x8b;
    throw fail(
      gz ? 'file is gzip-compressed' : `bad magic bytes ${head[0]}, ${head[1]} (expected 0, 0)`,
      gz ? 'decompress it first (gunzip)' : undefined,
    );
  }
  const type = TYPES.get(head[2]);
  if (!type) throw fail(`unknown element type 0x${head[2].toString(16).padStart(2, '0')}`);
  const dims = head[3];
  if (dims < 1 || dims > MAX_DIMS) throw fail(`dimension count ${dims} is outside [1, ${MAX_DIMS}]`);
  const headerBytes = 4 + 4 * dims;
  if (fileBytes < headerBytes) {
    throw fail(
      `file ended at byte ${fileBytes} inside the header (${headerBytes} bytes for ${dims} dimensions)`,
    );
  }
  const view = new DataView(head.buffer, head.byteOffset, headerBytes);
  const shape: number[] = [];
  let elements = 1;
  for (let i = 0; i < dims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    shape.push(d);
    elements *= d;
  }
  const dataBytes = elements * type.size;
  if (dataBytes > maxBytes) {
    throw new FormatError(
      `header announces ${dataBytes} data bytes (shape [${shape.join(', ')}]), above the limit of ${maxBytes}`,
      { source, fix: 'check the file, or raise maxBytes if it really is that large' },
    );
  }
  const expected = headerBytes + dataBytes;
  if (fileBytes !== expected) {
    throw new FormatError(
      fileBytes < expected
        ? `file is truncated: ${fileBytes} bytes, but its header (shape [${shape.join(', ')}], ${type.dtype}) needs ${expected}`
        : `file has ${fileBytes - expected} bytes after the ${expected} its header announces`,
      { source, fix: 'download or copy the file again' },
    );
  }
  return { dtype: type.dtype, itemSize: type.size, shape, headerBytes, dataBytes };
}

function decodeData(h: IdxHeader, raw: Uint8Array): IdxArray['data'] {
  const n = h.dataBytes / h.itemSize;
  if (h.dtype === 'uint8') return raw;
  if (h.dtype === 'int8') return new Int8Array(raw.buffer, raw.byteOffset, n);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (h.dtype) {
    case 'int16': {
      const out = new Int16Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt16(2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, false);
      return out;
    }
    default: {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, false);
      return out;
    }
  }
}

function checkMaxBytes(options: ReadIdxOptions): number {
  const maxBytes = options.maxBytes ?? IDX_DEFAULT_MAX_BYTES;
  if (!(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) {
    throw new InvalidArgumentError('options.maxBytes', maxBytes, 'a non-negative integer number of bytes');
  }
  return maxBytes;
}

/** Decodes an IDX payload held in memory. */
export function decodeIdx(bytes: Uint8Array, options: ReadIdxOptions = {}, source = '<buffer>'): IdxArray {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes', bytes, 'a Uint8Array');
  const h = parseHeader(bytes.subarray(0, 4 + 4 * MAX_DIMS), bytes.length, checkMaxBytes(options), source);
  const raw = bytes.slice(h.headerBytes, h.headerBytes + h.dataBytes);
  return { dtype: h.dtype, shape: h.shape, data: decodeData(h, raw) };
}

/** Reads an IDX file (a path) or payload: the header is validated against the file size before the data is read. */
export function readIdx(source: string | Uint8Array, options: ReadIdxOptions = {}): IdxArray {
  if (typeof source !== 'string') return decodeIdx(source, options);
  const maxBytes = checkMaxBytes(options);
  let fd: number;
  try {
    fd = fs.openSync(source, 'r');
  } catch (error) {
    throw new InvalidArgumentError('path', source, 'a readable IDX file', {
      fix: 'check the path',
      cause: error,
    });
  }
  try {
    const size = fs.fstatSync(fd).size;
    const head = new Uint8Array(4 + 4 * MAX_DIMS);
    fs.readSync(fd, head, 0, Math.min(head.length, size), 0);
    const h = parseHeader(head, size, maxBytes, source);
    const raw = new Uint8Array(h.dataBytes);
    let off = 0;
    while (off < raw.length) {
      const got = fs.readSync(fd, raw, off, raw.length - off, h.headerBytes + off);
      if (got === 0) {
        throw new FormatError(`file ended at byte ${h.headerBytes + off} while reading its data`, {
          source,
          fix: 'the file changed while being read; read it again',
        });
      }
      off += got;
    }
    return { dtype: h.dtype, shape: h.shape, data: decodeData(h, raw) };
  } finally {
    fs.closeSync(fd);
  }
}
