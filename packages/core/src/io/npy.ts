/**
 * NumPy `.npy` read/write: single matrices (graphons, kernels, score arrays) exchanged with numpy.
 *
 * Layout (numpy `lib.format`, NEP 1):
 *
 *     \x93NUMPY  major minor          6 + 2 bytes; versions 1.0, 2.0, 3.0
 *     header length                   u16 LE (1.0) or u32 LE (2.0, 3.0)
 *     header                          Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
 *                                     latin-1 (1.0, 2.0) or UTF-8 (3.0), space-padded, ending in '\n'
 *     data                            product(shape) · itemsize bytes
 *
 * Reading: versions 1.0/2.0/3.0; descr `|b1 |u1 |i1 <u2 <i2 <u4 <i4 <u8 <i8 <f2 <f4 <f8` and their big-endian
 * `>` forms (byte-swapped on load); `fortran_order: True` arrays are **transposed into C order** on load
 * (the returned tensor is always C order with the file's shape). Structured, object, complex, string and
 * native-order (`=`) dtypes are rejected with `UnsupportedError`. dtypes map to the safetensors vocabulary
 * of `./dtype` (`<f2` → F16 decoded to Float32Array, `<i8` → I64 as BigInt64Array, `|b1` → BOOL).
 *
 * Writing: version 1.0, or 2.0 when the header exceeds 65535 bytes; little-endian, C order; header padded
 * so the data start at a multiple of 64 bytes (as numpy ≥ 1.17 writes). BF16 has no numpy dtype and is
 * rejected.
 *
 * Validation before allocating: magic, version, header length ≤ 1 MiB and within the file, header syntax
 * (a strict parser, never `eval`, nesting at most 16 deep), the three keys present, shape non-negative
 * integers, data size exactly `product(shape) · itemsize` (truncated files and trailing bytes are errors),
 * and the memory the array implies within the read budget (`./read-budget`: 2 GiB by default).
 *
 * @example
 * writeNpy('k.npy', { dtype: 'F64', shape: [2, 2], data: new Float64Array([1, 0, 0, 1]) });
 * readNpy('k.npy').data; // Float64Array [1, 0, 0, 1]
 */
import * as fs from 'node:fs';
import { FormatError, InvalidArgumentError, UnsupportedError } from '../errors';
import { writeFileAtomic } from './atomic-write';
import {
  allocateForRead,
  copyBytes,
  type DType,
  decodeLittleEndian,
  dtypeInfo,
  encodeLittleEndian,
  isDType,
  setOwn,
  shapeSize,
  swapBytes,
  type Tensor,
  type TensorInput,
} from './dtype';
import { jsonExcerpt } from './json-excerpt';
import { openForReading, readFully } from './open-file';
import { checkReadBytes, impliedTensorBytes, type ReadBudget } from './read-budget';

/** Largest `.npy` header accepted when reading. */
const NPY_MAX_HEADER_BYTES = 1 << 20;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DESCR_TO_DTYPE: Record<string, DType> = {
  b1: 'BOOL',
  u1: 'U8',
  i1: 'I8',
  u2: 'U16',
  i2: 'I16',
  u4: 'U32',
  i4: 'I32',
  u8: 'U64',
  i8: 'I64',
  f2: 'F16',
  f4: 'F32',
  f8: 'F64',
};

const DTYPE_TO_DESCR: Partial<Record<DType, string>> = {
  BOOL: '|b1',
  U8: '|u1',
  I8: '|i1',
  U16: '<u2',
  I16: '<i2',
  U32: '<u4',
  I32: '<i4',
  U64: '<u8',
  I64: '<i8',
  F16: '<f2',
  F32: '<f4',
  F64: '<f8',
};

/** A parsed `.npy` header. */
export interface NpyHeader {
  readonly version: [number, number];
  readonly dtype: DType;
  /** The descr string as written in the file (e.g. `>f8`). */
  readonly descr: string;
  readonly bigEndian: boolean;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Byte offset of the data. */
  readonly dataStart: number;
  /** Bytes of data: product(shape) · itemsize. */
  readonly dataLength: number;
}

const FIX_CORRUPT = 'the file is truncated, corrupt or not a .npy file; re-save it with numpy.save';

/** Reads the fixed preamble; returns version and header length. */
function parsePreamble(
  pre: Uint8Array,
  totalBytes: number,
  source: string,
): { version: [number, number]; start: number; length: number } {
  if (totalBytes < 10 || !MAGIC.every((b, i) => pre[i] === b)) {
    throw new FormatError('not a .npy file (missing the \\x93NUMPY magic)', { source, fix: FIX_CORRUPT });
  }
  const major = pre[6];
  const minor = pre[7];
  const dv = new DataView(pre.buffer, pre.byteOffset, pre.byteLength);
  let length: number;
  let start: number;
  if (major === 1 && minor === 0) {
    length = dv.getUint16(8, true);
    start = 10;
  } else if ((major === 2 || major === 3) && minor === 0) {
    if (totalBytes < 12)
      throw new FormatError('file ends inside the .npy preamble', { source, fix: FIX_CORRUPT });
    length = dv.getUint32(8, true);
    start = 12;
  } else {
    throw new UnsupportedError(
      `${source}: .npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`,
      {
        fix: 'save the array with numpy.save from numpy ≥ 1.9',
      },
    );
  }
  if (length > NPY_MAX_HEADER_BYTES) {
    throw new FormatError(`header length ${length} bytes exceeds the ${NPY_MAX_HEADER_BYTES}-byte limit`, {
      source,
      fix: FIX_CORRUPT,
    });
  }
  if (start + length > totalBytes) {
    throw new FormatError(`header length ${length} bytes runs past the end of the ${totalBytes}-byte file`, {
      source,
      fix: FIX_CORRUPT,
    });
  }
  return { version: [major, minor], start, length };
}

type PyValue = string | boolean | number | PyValue[] | { [k: string]: PyValue };

/** Deepest nesting of tuples, lists and dicts accepted in a header (numpy writes depth 2). */
const MAX_HEADER_DEPTH = 16;

/** Strict parser for the Python literal subset numpy writes: dicts, tuples, lists, str, int, True/False. */
function parsePyLiteral(text: string, source: string): PyValue {
  let i = 0;
  let depth = 0;
  const fail = (what: string): never => {
    throw new FormatError(`header is not a valid Python dict literal (${what} at character ${i})`, {
      source,
      fix: FIX_CORRUPT,
    });
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (): PyValue => {
    ws();
    const c = text[i];
    if ((c === '{' || c === '(' || c === '[') && ++depth > MAX_HEADER_DEPTH) fail('nesting too deep');
    if (c === '{') {
      i++;
      const obj: Record<string, PyValue> = {};
      ws();
      while (text[i] !== '}') {
        const k = value();
        if (typeof k !== 'string') fail('a non-string key');
        ws();
        if (text[i] !== ':') fail("a missing ':'");
        i++;
        if (Object.hasOwn(obj, k as string)) fail(`a repeated key '${k}'`);
        setOwn(obj, k as string, value());
        ws();
        if (text[i] === ',') {
          i++;
          ws();
        } else if (text[i] !== '}') fail("a missing ',' or '}'");
      }
      i++;
      depth--;
      return obj;
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      i++;
      const arr: PyValue[] = [];
      ws();
      while (text[i] !== close) {
        arr.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          ws();
        } else if (text[i] !== close) fail(`a missing ',' or '${close}'`);
      }
      i++;
      depth--;
      return arr;
    }
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) fail('an unterminated string');
      const s = text.slice(i + 1, end);
      if (s.includes('\\')) fail('an escaped string');
      i = end + 1;
      return s;
    }
    const m = /^(True|False|-?\d+L?)/.exec(text.slice(i, i + 32));
    if (!m) return fail('an unexpected token');
    i += m[0].length;
    if (m[0] === 'True') return true;
    if (m[0] === 'False') return false;
    const n = Number(m[0].replace('L', ''));
    if (!Number.isSafeInteger(n)) fail('an integer beyond 2^53');
    return n;
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}

/** Parses and validates the header text; `dataAvailable` is the number of bytes after the header. */
function parseHeaderText(
  text: string,
  version: [number, number],
  dataStart: number,
  dataAvailable: number,
  source: string,
): NpyHeader {
  const dict = parsePyLiteral(text, source);
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) {
    throw new FormatError('header must be a dict', { source, fix: FIX_CORRUPT });
  }
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!Object.hasOwn(dict, key))
      throw new FormatError(`header lacks the '${key}' key`, { source, fix: FIX_CORRUPT });
  }
  const { descr, fortran_order: fortranOrder, shape } = dict as Record<string, PyValue>;
  if (typeof descr !== 'string') {
    throw new UnsupportedError(`${source}: structured dtype ${jsonExcerpt(descr)} is not supported`, {
      fix: 'save a plain numeric array (e.g. arr.astype(np.float32))',
    });
  }
  const m = /^([<>|=])([a-zA-Z]\d+)$/.exec(descr);
  const dtype = m ? DESCR_TO_DTYPE[m[2]] : undefined;
  if (!m || !dtype) {
    throw new UnsupportedError(`${source}: dtype '${descr}' is not supported`, {
      fix: 'save as one of bool, uint8/16/32/64, int8/16/32/64, float16/32/64',
    });
  }
  const order = m[1];
  if (order === '=') {
    throw new UnsupportedError(`${source}: dtype '${descr}' does not state its byte order`, {
      fix: "re-save with an explicit '<' (little-endian) dtype, e.g. arr.astype('<f4')",
    });
  }
  if (order === '|' && dtypeInfo(dtype).itemSize > 1) {
    throw new FormatError(`dtype '${descr}' is multi-byte but has no byte order`, {
      source,
      fix: FIX_CORRUPT,
    });
  }
  if (typeof fortranOrder !== 'boolean') {
    throw new FormatError(`'fortran_order' must be True or False; got ${jsonExcerpt(fortranOrder)}`, {
      source,
      fix: FIX_CORRUPT,
    });
  }
  if (!Array.isArray(shape))
    throw new FormatError(`'shape' must be a tuple; got ${jsonExcerpt(shape)}`, {
      source,
      fix: FIX_CORRUPT,
    });
  const count = shapeSize(shape, "'shape'", source);
  const dataLength = count * dtypeInfo(dtype).itemSize;
  if (dataLength > dataAvailable) {
    throw new FormatError(
      `data needs ${dataLength} bytes (${descr} × shape (${shape.join(', ')})) but only ${dataAvailable} follow the header`,
      { source, fix: 'the file is truncated; re-save it with numpy.save' },
    );
  }
  if (dataLength < dataAvailable) {
    throw new FormatError(
      `${dataAvailable - dataLength} unexpected bytes follow the ${dataLength}-byte data`,
      {
        source,
        fix: FIX_CORRUPT,
      },
    );
  }
  return {
    version,
    dtype,
    descr,
    bigEndian: order === '>',
    fortranOrder,
    shape: (shape as number[]).slice(),
    dataStart,
    dataLength,
  };
}

function decodeHeaderText(bytes: Uint8Array, version: [number, number], source: string): string {
  if (version[0] === 3) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (cause) {
      throw new FormatError('version 3.0 header is not valid UTF-8', { source, fix: FIX_CORRUPT, cause });
    }
  }
  return new TextDecoder('latin1').decode(bytes);
}

/** Throws when the array of `h` implies more memory than the budget (a Fortran-order array is copied once). */
function checkBudget(h: NpyHeader, source: string, budget: ReadBudget | undefined): void {
  const bytes = impliedTensorBytes(h.dtype, h.shape) * (h.fortranOrder && h.shape.length > 1 ? 2 : 1);
  checkReadBytes(bytes, `the array (${h.descr}, shape (${h.shape.join(', ')}))`, source, budget);
}

/** Decodes raw data bytes (owned, aligned copy) according to a header. */
function decodeData(h: NpyHeader, raw: Uint8Array, source: string): Tensor {
  const { itemSize } = dtypeInfo(h.dtype);
  if (h.bigEndian) swapBytes(raw, itemSize);
  const count = h.dataLength / itemSize;
  let data = decodeLittleEndian(h.dtype, raw, count, 'array', source);
  if (h.fortranOrder && h.shape.length > 1) data = fortranToC(data, h.shape);
  return { dtype: h.dtype, shape: h.shape, data };
}

/** Reorders column-major (Fortran) data into row-major (C) order for the same logical shape. */
function fortranToC<T extends Tensor['data']>(src: T, shape: readonly number[]): T {
  const out = new (src.constructor as new (n: number) => T)(src.length);
  const nd = shape.length;
  // Fortran strides: stride[0] = 1, stride[k] = stride[k-1] · shape[k-1]. Walk C order with an odometer.
  const fStride = new Array<number>(nd);
  fStride[0] = 1;
  for (let k = 1; k < nd; k++) fStride[k] = fStride[k - 1] * shape[k - 1];
  const idx = new Array<number>(nd).fill(0);
  let f = 0;
  for (let c = 0; c < src.length; c++) {
    (out as unknown as number[])[c] = (src as unknown as number[])[f];
    for (let k = nd - 1; k >= 0; k--) {
      idx[k]++;
      f += fStride[k];
      if (idx[k] < shape[k]) break;
      f -= fStride[k] * shape[k];
      idx[k] = 0;
    }
  }
  return out;
}

/** Decodes a `.npy` payload held in memory (the data are copied). */
export function decodeNpy(bytes: Uint8Array, source = '<buffer>', budget?: ReadBudget): Tensor {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes', bytes, 'a Uint8Array');
  const pre = parsePreamble(bytes.subarray(0, 12), bytes.length, source);
  const text = decodeHeaderText(bytes.subarray(pre.start, pre.start + pre.length), pre.version, source);
  const dataStart = pre.start + pre.length;
  const h = parseHeaderText(text, pre.version, dataStart, bytes.length - dataStart, source);
  checkBudget(h, source, budget);
  return decodeData(h, copyBytes(bytes, dataStart, dataStart + h.dataLength), source);
}

/** Reads only the validated header of a `.npy` file. */
export function readNpyHeader(path: string): NpyHeader {
  const fd = openForReading(path);
  try {
    return readHeaderFd(fd, path);
  } finally {
    fs.closeSync(fd);
  }
}

function readHeaderFd(fd: number, path: string): NpyHeader {
  const size = fs.fstatSync(fd).size;
  const pre = new Uint8Array(12);
  fs.readSync(fd, pre, 0, Math.min(12, size), 0);
  const p = parsePreamble(pre, size, path);
  const headerBytes = new Uint8Array(p.length);
  readFully(fd, headerBytes, p.start, path);
  const dataStart = p.start + p.length;
  return parseHeaderText(
    decodeHeaderText(headerBytes, p.version, path),
    p.version,
    dataStart,
    size - dataStart,
    path,
  );
}

/**
 * Reads a `.npy` file (a path) or payload (a Uint8Array): header first, then — within `budget` — the
 * data once.
 */
export function readNpy(source: string | Uint8Array, options: { budget?: ReadBudget } = {}): Tensor {
  if (source instanceof Uint8Array) return decodeNpy(source, '<buffer>', options.budget);
  const fd = openForReading(source);
  try {
    const h = readHeaderFd(fd, source);
    checkBudget(h, source, options.budget);
    const raw = allocateForRead(h.dataLength);
    readFully(fd, raw, h.dataStart, source);
    return decodeData(h, raw, source);
  } finally {
    fs.closeSync(fd);
  }
}

function npyHeader(t: TensorInput): { preamble: Uint8Array; count: number } {
  if (t === null || typeof t !== 'object')
    throw new InvalidArgumentError('tensor', t, 'an object {dtype, shape, data}');
  if (!isDType(t.dtype)) throw new InvalidArgumentError('tensor.dtype', t.dtype, 'a dtype name such as F32');
  const descr = DTYPE_TO_DESCR[t.dtype];
  if (!descr) {
    throw new UnsupportedError(`dtype ${t.dtype} has no numpy equivalent`, {
      fix: 'write BF16 data as F32, or use safetensors',
    });
  }
  const count = shapeSize(t.shape, 'tensor.shape');
  if (!t.data || t.data.length !== count) {
    throw new InvalidArgumentError('tensor.data', t.data, `an array of product(shape) = ${count} elements`);
  }
  const shapeText = t.shape.length === 1 ? `(${t.shape[0]},)` : `(${t.shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Version 1.0 unless the padded header needs more than a u16 length.
  let start = 10;
  let major = 1;
  let total = Math.ceil((start + dict.length + 1) / 64) * 64;
  if (total - start > 0xffff) {
    start = 12;
    major = 2;
    total = Math.ceil((start + dict.length + 1) / 64) * 64;
  }
  const headerLength = total - start;
  const text = `${dict}${' '.repeat(headerLength - dict.length - 1)}\n`;
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = major;
  out[7] = 0;
  const dv = new DataView(out.buffer);
  if (major === 1) dv.setUint16(8, headerLength, true);
  else dv.setUint32(8, headerLength, true);
  for (let i = 0; i < text.length; i++) out[start + i] = text.charCodeAt(i);
  return { preamble: out, count };
}

/** Encodes a tensor as a `.npy` payload (C order, little-endian). */
export function encodeNpy(tensor: TensorInput): Uint8Array {
  const { preamble } = npyHeader(tensor);
  const data = encodeLittleEndian(tensor.dtype, tensor.data, 'tensor.data');
  const out = new Uint8Array(preamble.length + data.length);
  out.set(preamble, 0);
  out.set(data, preamble.length);
  return out;
}

/** Writes a `.npy` file atomically (temporary file + rename). */
export function writeNpy(path: string, tensor: TensorInput): void {
  const { preamble } = npyHeader(tensor);
  writeFileAtomic(path, (write) => {
    write(preamble);
    write(encodeLittleEndian(tensor.dtype, tensor.data, 'tensor.data'));
  });
}
