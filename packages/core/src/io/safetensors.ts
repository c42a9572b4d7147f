/**
 * safetensors read/write: the interchange format for weights, scores and masks (PyTorch, numpy, JAX).
 *
 * Layout (https://github.com/huggingface/safetensors):
 *
 *     [8 bytes]  N, unsigned 64-bit little-endian: length of the header
 *     [N bytes]  UTF-8 JSON object, starting with '{', possibly padded with trailing spaces:
 *                { "<name>": { "dtype": "F32", "shape": [rows, cols], "data_offsets": [begin, end] }, …,
 *                  "__metadata__": { "<key>": "<string value>", … } }
 *     [rest]     the byte buffer; tensor bytes are little-endian, C order, at [begin, end) of the buffer
 *
 * Conventions here: dtypes and their in-memory arrays as in `./dtype` (F16/BF16 decode to Float32Array,
 * I64/U64 to BigInt64Array/BigUint64Array). The writer keeps the caller's tensor order, packs the buffer
 * without gaps and pads the header with spaces to a multiple of 8 bytes, like the reference writer.
 *
 * Validation (before any allocation proportional to a claimed size): N ≤ 100 MB and 8 + N ≤ file size;
 * the header is UTF-8 JSON, an object, with no repeated names; every dtype known; every shape a list of
 * non-negative integers; `end − begin = product(shape) · itemSize`; the ranges, sorted, tile the buffer
 * exactly (no overlap, no gap, no trailing bytes), as the reference implementation requires.
 *
 * Budgets (`./read-budget`): at most 65,536 header entries (counted before the JSON is parsed) and at most
 * 2 GiB of implied memory per read (decoded tensors plus 8 bytes per index), both overridable; checked
 * before any tensor is allocated.
 *
 * Complexity: O(header + bytes read). `readSafetensors(path)` reads the header first, then each tensor
 * once straight into its own buffer; `openSafetensors` reads tensors one at a time on demand.
 *
 * @example
 * writeSafetensors('w.safetensors', { '0.weight': { dtype: 'F32', shape: [2, 3], data: new Float32Array(6) } },
 *   { criterion: 'snip' });
 * const { tensors, metadata } = readSafetensors('w.safetensors');
 * tensors.get('0.weight')!.data; // Float32Array(6)
 */
import * as fs from 'node:fs';
import { FormatError, InvalidArgumentError, UnsupportedError } from '../errors';
import { collectChunks, writeFileAtomic } from './atomic-write';
import {
  allocateForRead,
  copyBytes,
  DTYPES,
  type DType,
  decodeLittleEndian,
  dtypeInfo,
  encodeLittleEndian,
  isDType,
  setOwn,
  shapeSize,
  type Tensor,
  type TensorInput,
} from './dtype';
import { jsonExcerpt } from './json-excerpt';
import { countTopLevelKeys, topLevelKeys } from './json-keys';
import { openForReading, readFully } from './open-file';
import { checkReadBytes, checkTensorCount, impliedTensorBytes, type ReadBudget } from './read-budget';

/** Largest header accepted (the reference implementation's limit). */
const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** Metadata: string keys to string values (the format allows nothing else). */
export type SafetensorsMetadata = Record<string, string>;

/** One tensor as described by the header. */
export interface SafetensorsEntry {
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** Byte range inside the data buffer, [begin, end). */
  readonly dataOffsets: readonly [number, number];
}

/** A validated header. */
export interface SafetensorsHeader {
  /** Tensor entries in header order. */
  readonly entries: Map<string, SafetensorsEntry>;
  readonly metadata: SafetensorsMetadata;
  /** Absolute byte offset of the data buffer in the file (8 + N). */
  readonly dataStart: number;
  /** Length of the data buffer in bytes. */
  readonly dataLength: number;
}

export interface SafetensorsContents {
  readonly tensors: Map<string, Tensor>;
  readonly metadata: SafetensorsMetadata;
}

/** Tensors to write: a Map (order kept) or a plain object (key order kept). */
export type TensorsInput = ReadonlyMap<string, TensorInput> | Readonly<Record<string, TensorInput>>;

/** Safetensors dtypes that are valid in the format but that graphon-pai does not decode. */
const KNOWN_UNSUPPORTED = new Set([
  'F8_E4M3',
  'F8_E5M2',
  'F8_E8M0',
  'F6_E2M3',
  'F6_E3M2',
  'F4',
  'C64',
  'E8M0',
]);

const FIX_CORRUPT =
  'the file is truncated, corrupt or not a safetensors file; re-export it with safetensors or graphon-pai';

/** Validates the 8-byte length prefix against the bytes available; returns N. */
function checkHeaderLength(prefix: Uint8Array, totalBytes: number, source: string): number {
  if (totalBytes < 8) {
    throw new FormatError(`file is ${totalBytes} bytes, shorter than the 8-byte header length prefix`, {
      source,
      fix: FIX_CORRUPT,
    });
  }
  const n64 = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  if (n64 > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    throw new FormatError(
      `header length ${n64} bytes exceeds the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit (hostile or not a safetensors file)`,
      { source, fix: FIX_CORRUPT },
    );
  }
  const n = Number(n64);
  if (8 + n > totalBytes) {
    throw new FormatError(`header length ${n} bytes runs past the end of the ${totalBytes}-byte file`, {
      source,
      fix: FIX_CORRUPT,
    });
  }
  if (n < 2) {
    throw new FormatError(`header length ${n} bytes is too short to hold a JSON object`, {
      source,
      fix: FIX_CORRUPT,
    });
  }
  return n;
}

/** Parses and validates a header; `dataLength` is the number of bytes after the header. */
export function parseSafetensorsHeader(
  headerBytes: Uint8Array,
  dataLength: number,
  source = '<buffer>',
  budget?: ReadBudget,
): SafetensorsHeader {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch (cause) {
    throw new FormatError('header is not valid UTF-8', { source, fix: FIX_CORRUPT, cause });
  }
  if (text[0] !== '{') {
    throw new FormatError(`header must start with '{'; it starts with ${JSON.stringify(text.slice(0, 16))}`, {
      source,
      fix: FIX_CORRUPT,
    });
  }
  checkTensorCount(countTopLevelKeys(text), source, budget);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new FormatError(`header is not valid JSON (${(cause as Error).message})`, {
      source,
      fix: FIX_CORRUPT,
      cause,
    });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new FormatError('header must be a JSON object', { source, fix: FIX_CORRUPT });
  }
  const { keys, duplicate: dup } = topLevelKeys(text);
  if (dup !== undefined) {
    throw new FormatError(`header names tensor ${JSON.stringify(dup)} twice`, {
      source,
      fix: 'give every tensor a unique name when writing the file',
    });
  }
  const entries = new Map<string, SafetensorsEntry>();
  let metadata: SafetensorsMetadata = {};
  // In the order of the header text (Object.entries would put integer-like names such as "0" first).
  for (const name of keys) {
    const value = (json as Record<string, unknown>)[name];
    if (name === '__metadata__') {
      metadata = checkMetadata(value, source);
      continue;
    }
    entries.set(name, parseEntry(name, value, dataLength, source));
  }
  checkTiling(entries, dataLength, source);
  return { entries, metadata, dataStart: 8 + headerBytes.length, dataLength };
}

function checkMetadata(value: unknown, source: string): SafetensorsMetadata {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FormatError('__metadata__ must be an object of string values', { source, fix: FIX_CORRUPT });
  }
  const out: SafetensorsMetadata = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') {
      throw new FormatError(
        `__metadata__[${JSON.stringify(k)}] is ${jsonExcerpt(v)}; metadata values must be strings`,
        {
          source,
          fix: 'store numbers and lists in metadata as strings (e.g. JSON text)',
        },
      );
    }
    setOwn(out, k, v);
  }
  return out;
}

function parseEntry(name: string, value: unknown, dataLength: number, source: string): SafetensorsEntry {
  const what = `tensor ${JSON.stringify(name)}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FormatError(`${what}: header entry must be an object {dtype, shape, data_offsets}`, {
      source,
      fix: FIX_CORRUPT,
    });
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isDType(dtype)) {
    if (typeof dtype === 'string' && KNOWN_UNSUPPORTED.has(dtype)) {
      throw new UnsupportedError(`${source}: ${what} has dtype ${dtype}, which graphon-pai does not decode`, {
        fix: `convert it to one of ${DTYPES.join(', ')} before saving (e.g. tensor.float())`,
      });
    }
    throw new FormatError(`${what} has unknown dtype ${jsonExcerpt(dtype)}`, {
      source,
      fix: `use one of ${DTYPES.join(', ')}`,
    });
  }
  const count = shapeSize(shape, `${what} shape`, source);
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0)
  ) {
    throw new FormatError(
      `${what} has data_offsets ${jsonExcerpt(offsets)}; expected [begin, end] byte offsets`,
      {
        source,
        fix: FIX_CORRUPT,
      },
    );
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataLength) {
    throw new FormatError(
      `${what} has data_offsets [${begin}, ${end}] outside the ${dataLength}-byte data buffer`,
      { source, fix: FIX_CORRUPT },
    );
  }
  const expected = count * dtypeInfo(dtype).itemSize;
  if (end - begin !== expected) {
    throw new FormatError(
      `${what} occupies ${end - begin} bytes but ${dtype} × shape [${(shape as number[]).join(', ')}] needs ${expected}`,
      { source, fix: FIX_CORRUPT },
    );
  }
  return { dtype, shape: (shape as number[]).slice(), dataOffsets: [begin, end] };
}

function checkTiling(entries: Map<string, SafetensorsEntry>, dataLength: number, source: string): void {
  const sorted = [...entries].sort(
    (a, b) => a[1].dataOffsets[0] - b[1].dataOffsets[0] || a[1].dataOffsets[1] - b[1].dataOffsets[1],
  );
  let pos = 0;
  let prev = '';
  for (const [name, e] of sorted) {
    const [begin, end] = e.dataOffsets;
    if (begin < pos) {
      throw new FormatError(
        `tensors ${JSON.stringify(prev)} and ${JSON.stringify(name)} overlap (byte ${begin} < ${pos})`,
        { source, fix: FIX_CORRUPT },
      );
    }
    if (begin > pos) {
      throw new FormatError(
        `data buffer has a gap of ${begin - pos} bytes before tensor ${JSON.stringify(name)}`,
        {
          source,
          fix: FIX_CORRUPT,
        },
      );
    }
    pos = end;
    prev = name;
  }
  if (pos !== dataLength) {
    throw new FormatError(
      `data buffer has ${dataLength - pos} bytes after the last tensor (expected ${pos} bytes, found ${dataLength})`,
      {
        source,
        fix: FIX_CORRUPT,
      },
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// In memory

/** Decodes a whole safetensors payload held in memory. Tensor data are copies (never views of `bytes`). */
export function decodeSafetensors(
  bytes: Uint8Array,
  source = '<buffer>',
  budget?: ReadBudget,
): SafetensorsContents {
  if (!(bytes instanceof Uint8Array)) throw new InvalidArgumentError('bytes', bytes, 'a Uint8Array');
  const n = checkHeaderLength(bytes, bytes.length, source);
  const header = parseSafetensorsHeader(bytes.subarray(8, 8 + n), bytes.length - 8 - n, source, budget);
  checkReadBytes(impliedBytes(header.entries.values()), 'the file', source, budget);
  const tensors = new Map<string, Tensor>();
  for (const [name, e] of header.entries) {
    const [begin, end] = e.dataOffsets;
    const raw = copyBytes(bytes, header.dataStart + begin, header.dataStart + end);
    const count = end - begin === 0 ? 0 : (end - begin) / dtypeInfo(e.dtype).itemSize;
    tensors.set(name, {
      dtype: e.dtype,
      shape: e.shape,
      data: decodeLittleEndian(e.dtype, raw, count, `tensor ${JSON.stringify(name)}`, source),
    });
  }
  return { tensors, metadata: header.metadata };
}

/** The memory the given entries imply (`./read-budget`). */
export function impliedBytes(entries: Iterable<SafetensorsEntry>): number {
  let total = 0;
  for (const e of entries) total += impliedTensorBytes(e.dtype, e.shape);
  return total;
}

interface Plan {
  header: Uint8Array;
  tensors: Array<[string, TensorInput, number]>;
}

function toEntries(tensors: TensorsInput): Array<[string, TensorInput]> {
  if (tensors instanceof Map) return [...tensors];
  if (tensors === null || typeof tensors !== 'object') {
    throw new InvalidArgumentError('tensors', tensors, 'a Map or object of name → {dtype, shape, data}');
  }
  return Object.entries(tensors as Record<string, TensorInput>);
}

/** A tensor's header description, without data. */
export interface SafetensorsLayoutEntry {
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/**
 * The header bytes (length prefix + JSON, space-padded to a multiple of 8) for tensors laid out contiguously
 * in the given order. For streaming writers that produce the data themselves.
 */
export function encodeSafetensorsHeader(
  layout: Iterable<readonly [string, SafetensorsLayoutEntry]>,
  metadata?: SafetensorsMetadata,
): Uint8Array {
  const header: Record<string, unknown> = {};
  const order: string[] = [];
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object') {
      throw new InvalidArgumentError('metadata', metadata, 'an object of string values');
    }
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') {
        throw new InvalidArgumentError(`metadata.${k}`, v, 'a string', {
          fix: 'convert numbers with String(x)',
        });
      }
      setOwn(meta, k, v);
    }
    if (Object.keys(meta).length > 0) {
      header.__metadata__ = meta;
      order.push('__metadata__');
    }
  }
  let offset = 0;
  for (const [name, t] of layout) {
    const what = `tensors[${JSON.stringify(name)}]`;
    if (name === '__metadata__') {
      throw new InvalidArgumentError(
        'tensor name',
        name,
        'any name but "__metadata__" (reserved by the format)',
      );
    }
    if (Object.hasOwn(header, name))
      throw new InvalidArgumentError('tensor name', name, 'a name used only once');
    if (t === null || typeof t !== 'object')
      throw new InvalidArgumentError(what, t, 'an object {dtype, shape, data}');
    if (!isDType(t.dtype))
      throw new InvalidArgumentError(`${what}.dtype`, t.dtype, `one of ${DTYPES.join(', ')}`);
    const bytes = shapeSize(t.shape, `${what}.shape`) * dtypeInfo(t.dtype).itemSize;
    setOwn(header, name, { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + bytes] });
    order.push(name);
    offset += bytes;
  }
  const encoder = new TextEncoder();
  // Written entry by entry: JSON.stringify would move integer-like names ("0", "1") first and lose the order.
  const text = `{${order.map((k) => `${JSON.stringify(k)}:${JSON.stringify(header[k])}`).join(',')}}`;
  let encoded = encoder.encode(text);
  const pad = (8 - (encoded.length % 8)) % 8;
  if (pad > 0) encoded = encoder.encode(text + ' '.repeat(pad));
  if (encoded.length > SAFETENSORS_MAX_HEADER_BYTES) {
    throw new InvalidArgumentError(
      'tensors',
      `${encoded.length}-byte header`,
      `a header under ${SAFETENSORS_MAX_HEADER_BYTES} bytes`,
      {
        fix: 'split the tensors over several files or shorten the metadata',
      },
    );
  }
  const out = new Uint8Array(8 + encoded.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(encoded.length), true);
  out.set(encoded, 8);
  return out;
}

function plan(tensors: TensorsInput, metadata: SafetensorsMetadata | undefined): Plan {
  const entries = toEntries(tensors);
  const header = encodeSafetensorsHeader(entries, metadata);
  const list: Array<[string, TensorInput, number]> = [];
  for (const [name, t] of entries) {
    const count = shapeSize(t.shape, `tensors[${JSON.stringify(name)}].shape`);
    if (!t.data || typeof t.data.length !== 'number' || t.data.length !== count) {
      throw new InvalidArgumentError(
        `tensors[${JSON.stringify(name)}].data`,
        t.data,
        `an array of product(shape) = ${count} elements`,
      );
    }
    list.push([name, t, count * dtypeInfo(t.dtype).itemSize]);
  }
  return { header, tensors: list };
}

function produce(p: Plan, write: (chunk: Uint8Array) => void): void {
  write(p.header);
  for (const [name, t, bytes] of p.tensors) {
    const chunk = encodeLittleEndian(t.dtype, t.data, `tensors[${JSON.stringify(name)}].data`);
    if (chunk.length !== bytes)
      throw new Error(`internal: ${name} encoded to ${chunk.length} bytes, planned ${bytes}`);
    write(chunk);
  }
}

/** Encodes tensors (and optional string metadata) as a safetensors payload. */
export function encodeSafetensors(tensors: TensorsInput, metadata?: SafetensorsMetadata): Uint8Array {
  const p = plan(tensors, metadata);
  return collectChunks((write) => produce(p, write));
}

// ---------------------------------------------------------------------------------------------------------
// Files

/** Writes a safetensors file atomically (temporary file + rename), streaming one tensor at a time. */
export function writeSafetensors(path: string, tensors: TensorsInput, metadata?: SafetensorsMetadata): void {
  const p = plan(tensors, metadata);
  writeFileAtomic(path, (write) => produce(p, write));
}

/**
 * An open safetensors file whose header has been read and validated; tensors are read on demand.
 * Call `close()` when done (or use {@link readSafetensors}).
 */
export class SafetensorsFile {
  readonly path: string;
  readonly header: SafetensorsHeader;
  /** The limits of reads from this file. */
  readonly budget: ReadBudget | undefined;
  private fd: number | undefined;

  private constructor(path: string, fd: number, header: SafetensorsHeader, budget: ReadBudget | undefined) {
    this.path = path;
    this.fd = fd;
    this.header = header;
    this.budget = budget;
  }

  /** Opens `path` and reads only its header (at most `budget.maxTensors` entries). */
  static open(path: string, options: { budget?: ReadBudget } = {}): SafetensorsFile {
    const fd = openForReading(path);
    try {
      const size = fs.fstatSync(fd).size;
      const prefix = new Uint8Array(8);
      fs.readSync(fd, prefix, 0, Math.min(8, size), 0);
      const n = checkHeaderLength(prefix, size, path);
      const headerBytes = new Uint8Array(n);
      readFully(fd, headerBytes, 8, path);
      const header = parseSafetensorsHeader(headerBytes, size - 8 - n, path, options.budget);
      return new SafetensorsFile(path, fd, header, options.budget);
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  get metadata(): SafetensorsMetadata {
    return this.header.metadata;
  }

  /** Tensor names in header order. */
  names(): string[] {
    return [...this.header.entries.keys()];
  }

  /** Reads one tensor into a fresh typed array. */
  read(name: string): Tensor {
    if (this.fd === undefined)
      throw new InvalidArgumentError('file', this.path, 'an open SafetensorsFile (it was closed)');
    const e = this.header.entries.get(name);
    if (!e) {
      throw new InvalidArgumentError(
        'name',
        name,
        `one of the tensors in ${this.path}: ${this.names().slice(0, 20).join(', ')}`,
      );
    }
    checkReadBytes(
      impliedTensorBytes(e.dtype, e.shape),
      `tensor ${JSON.stringify(name)}`,
      this.path,
      this.budget,
    );
    const [begin, end] = e.dataOffsets;
    const raw = allocateForRead(end - begin);
    readFully(this.fd, raw, this.header.dataStart + begin, this.path);
    const count = (end - begin) / dtypeInfo(e.dtype).itemSize;
    return {
      dtype: e.dtype,
      shape: e.shape,
      data: decodeLittleEndian(e.dtype, raw, count, `tensor ${JSON.stringify(name)}`, this.path),
    };
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Reads only the validated header of a safetensors file (names, dtypes, shapes, metadata). */
export function readSafetensorsHeader(
  path: string,
  options: { budget?: ReadBudget } = {},
): SafetensorsHeader {
  const f = SafetensorsFile.open(path, options);
  f.close();
  return f.header;
}

/**
 * Reads a safetensors file (a path) or payload (a Uint8Array). With `names`, reads only those tensors.
 * The memory the tensors read imply is checked against `budget` before any is allocated.
 */
export function readSafetensors(
  source: string | Uint8Array,
  options: { names?: readonly string[]; budget?: ReadBudget } = {},
): SafetensorsContents {
  if (source instanceof Uint8Array) {
    const all = decodeSafetensors(source, '<buffer>', options.budget);
    if (!options.names) return all;
    const tensors = new Map<string, Tensor>();
    for (const name of options.names) {
      const t = all.tensors.get(name);
      if (!t)
        throw new InvalidArgumentError(
          'names',
          name,
          `one of the tensors in the payload: ${[...all.tensors.keys()].join(', ')}`,
        );
      tensors.set(name, t);
    }
    return { tensors, metadata: all.metadata };
  }
  const f = SafetensorsFile.open(source, options);
  try {
    const names = options.names ?? f.names();
    const entries = names.map((name) => f.header.entries.get(name));
    checkReadBytes(
      impliedBytes(entries.filter((e) => e !== undefined)),
      names === options.names ? 'the tensors asked for' : 'the file',
      source,
      options.budget,
    );
    const tensors = new Map<string, Tensor>();
    for (const name of names) tensors.set(name, f.read(name));
    return { tensors, metadata: f.metadata };
  } finally {
    f.close();
  }
}
