/**
 * Network masks ↔ safetensors files.
 *
 * Each layer's {@link BitMatrix} is stored as a `BOOL` tensor of shape `[rows, cols]` (1 byte per weight,
 * C order, rows = output neurons as in PyTorch's `Linear.weight`), or of the layer's tensor shape when the
 * writer is given one (`tensorShapes`: a convolution's `[out, in, kh, kw]`, whose C order is the same bytes), so `torch.load`-free tools read it
 * directly: `safetensors.torch.load_file(p)['0.weight']` is a `torch.bool` mask. Layer order is kept.
 * The writer streams a few MiB at a time, so memory stays near the packed mask size.
 *
 * Metadata (`__metadata__`, all strings): `format = "graphon-pai/mask"`, `format_version = "1"`,
 * `density` (kept fraction of the whole network; measured unless given), and when given `criterion`,
 * `seed`, `tool_version`, plus any extra string pairs.
 *
 * Reading accepts `BOOL` or `U8` tensors holding only 0/1, of rank ≥ 2 (a rank-k tensor `[out, …]` is read
 * as `out × product(rest)`, the convolution convention of `LayerShape`, and its shape is returned in
 * `tensorShapes`).
 *
 * @example
 * writeMaskFile('mask.safetensors', mask, { criterion: 'snip', seed: 0, toolVersion: '0.1.0' });
 * const { mask: loaded, metadata } = readMaskFile('mask.safetensors');
 * metadata.criterion; // 'snip'
 */
import { BitMatrix } from '../bit-matrix';
import { FormatError, InvalidArgumentError } from '../errors';
import { type NetworkMask, networkMaskDensity } from '../layers';
import type { Seed } from '../rng';
import { type ChunkProducer, collectChunks, writeFileAtomic } from './atomic-write';
import { setOwn } from './dtype';
import { checkReadBytes, type ReadBudget } from './read-budget';
import {
  decodeSafetensors,
  encodeSafetensorsHeader,
  impliedBytes,
  SafetensorsFile,
  type SafetensorsMetadata,
} from './safetensors';

export const MASK_FILE_FORMAT = 'graphon-pai/mask';
const MASK_FILE_FORMAT_VERSION = '1';

/** What a mask file records besides the masks. */
export interface MaskMetadata {
  /** The criterion id that produced the mask (e.g. `graphon-pai/snip`). */
  criterion?: string;
  /** Kept fraction of the whole network. Written as measured when not given. */
  density?: number;
  seed?: Seed;
  /** Version of the tool that wrote the file (e.g. the CLI's version). */
  toolVersion?: string;
  /** Other string pairs to record (keys must not clash with the ones above). */
  extra?: Record<string, string>;
}

/** Options of the mask writers. */
export interface MaskFileWriteOptions {
  /**
   * The tensor shape to store per layer when it is not `[rows, cols]` (e.g. `network.shapes()`'s
   * `tensorShape` of a convolution, `[out, in, kh, kw]`): `shape[0] = rows`, `Π shape[1…] = cols`.
   */
  tensorShapes?: ReadonlyMap<string, readonly number[]>;
}

export interface MaskFileContents {
  readonly mask: NetworkMask;
  /** The stored shape of every layer stored with rank > 2 (e.g. `[out, in, kh, kw]`). */
  readonly tensorShapes: ReadonlyMap<string, readonly number[]>;
  readonly metadata: MaskMetadata;
  /** The raw `__metadata__` map. */
  readonly rawMetadata: SafetensorsMetadata;
}

const RESERVED = new Set(['format', 'format_version', 'criterion', 'density', 'seed', 'tool_version']);

function maskMetadata(mask: NetworkMask, meta: MaskMetadata): SafetensorsMetadata {
  const out: SafetensorsMetadata = { format: MASK_FILE_FORMAT, format_version: MASK_FILE_FORMAT_VERSION };
  if (meta.criterion !== undefined) out.criterion = String(meta.criterion);
  const density = meta.density ?? networkMaskDensity(mask).density;
  if (!(typeof density === 'number' && density >= 0 && density <= 1)) {
    throw new InvalidArgumentError('metadata.density', density, 'a number in [0, 1] (the kept fraction)');
  }
  out.density = String(density);
  if (meta.seed !== undefined) out.seed = String(meta.seed);
  if (meta.toolVersion !== undefined) out.tool_version = String(meta.toolVersion);
  for (const [k, v] of Object.entries(meta.extra ?? {})) {
    if (RESERVED.has(k)) {
      throw new InvalidArgumentError(`metadata.extra.${k}`, v, 'a key other than the reserved ones', {
        fix: `set ${k} through its own MaskMetadata field`,
      });
    }
    if (typeof v !== 'string') throw new InvalidArgumentError(`metadata.extra.${k}`, v, 'a string');
    setOwn(out, k, v);
  }
  return out;
}

function checkMask(mask: NetworkMask): void {
  if (!(mask instanceof Map))
    throw new InvalidArgumentError('mask', mask, 'a NetworkMask (Map of layer name → BitMatrix)');
  for (const [name, m] of mask) {
    if (!(m instanceof BitMatrix))
      throw new InvalidArgumentError(`mask.get(${JSON.stringify(name)})`, m, 'a BitMatrix');
  }
}

/** Writes each row block of a BitMatrix as 0/1 bytes, a few MiB at a time. */
function writeDense(m: BitMatrix, write: (chunk: Uint8Array) => void): void {
  const rowsPerBlock = Math.max(1, Math.floor((4 << 20) / Math.max(1, m.cols)));
  const block = new Uint8Array(Math.min(m.rows, rowsPerBlock) * m.cols);
  const { words, wordsPerRow, cols } = m;
  for (let r0 = 0; r0 < m.rows; r0 += rowsPerBlock) {
    const r1 = Math.min(m.rows, r0 + rowsPerBlock);
    const view = block.subarray(0, (r1 - r0) * cols);
    view.fill(0);
    for (let r = r0; r < r1; r++) {
      const base = (r - r0) * cols;
      const wbase = r * wordsPerRow;
      for (let k = 0; k < wordsPerRow; k++) {
        let w = words[wbase + k];
        while (w !== 0) {
          const low = w & -w;
          view[base + (k << 5) + 31 - Math.clz32(low)] = 1;
          w ^= low;
        }
      }
    }
    write(view);
  }
}

/** The stored shape of each layer: `[rows, cols]`, or the given tensor shape after checking it matches. */
function storedShapes(mask: NetworkMask, options: MaskFileWriteOptions): Map<string, number[]> {
  const given = options.tensorShapes;
  if (given !== undefined && !(given instanceof Map)) {
    throw new InvalidArgumentError('options.tensorShapes', given, 'a Map of layer name → tensor shape');
  }
  const out = new Map<string, number[]>();
  for (const [name, m] of mask) {
    const t = given?.get(name);
    if (t === undefined) {
      out.set(name, [m.rows, m.cols]);
      continue;
    }
    const ok =
      Array.isArray(t) &&
      t.length >= 2 &&
      t.every((v) => Number.isInteger(v) && v > 0) &&
      t[0] === m.rows &&
      t.slice(1).reduce((a, b) => a * b, 1) === m.cols;
    if (!ok) {
      throw new InvalidArgumentError(
        `options.tensorShapes.get(${JSON.stringify(name)})`,
        t,
        `a shape [${m.rows}, …] whose trailing sizes multiply to ${m.cols} (the mask is ${m.rows} × ${m.cols})`,
        { fix: "pass the network's layer shapes (e.g. [out, in, kh, kw] of a convolution)" },
      );
    }
    out.set(name, [...t]);
  }
  return out;
}

/** Checks the mask and the options, then returns the producer of the file's chunks (it reuses its row buffer). */
function maskFileChunks(
  mask: NetworkMask,
  metadata: MaskMetadata,
  options: MaskFileWriteOptions,
): ChunkProducer {
  checkMask(mask);
  const meta = maskMetadata(mask, metadata);
  const shapes = storedShapes(mask, options);
  const layout = [...mask].map(
    ([name]) => [name, { dtype: 'BOOL' as const, shape: shapes.get(name)! }] as const,
  );
  return (write) => {
    write(encodeSafetensorsHeader(layout, meta));
    for (const m of mask.values()) writeDense(m, write);
  };
}

/** Encodes a network mask as a safetensors payload. */
export function encodeMaskFile(
  mask: NetworkMask,
  metadata: MaskMetadata = {},
  options: MaskFileWriteOptions = {},
): Uint8Array {
  const chunks = maskFileChunks(mask, metadata, options);
  // Keep a copy of each chunk: the producer reuses its row buffer.
  return collectChunks((write) => chunks((chunk) => write(chunk.slice())));
}

/** Writes a network mask to a safetensors file atomically, streaming row blocks. */
export function writeMaskFile(
  path: string,
  mask: NetworkMask,
  metadata: MaskMetadata = {},
  options: MaskFileWriteOptions = {},
): void {
  writeFileAtomic(path, maskFileChunks(mask, metadata, options));
}

function toBitMatrix(
  name: string,
  dtype: string,
  shape: readonly number[],
  data: ArrayLike<number>,
  source: string,
): BitMatrix {
  if (dtype !== 'BOOL' && dtype !== 'U8') {
    throw new FormatError(
      `tensor ${JSON.stringify(name)} has dtype ${dtype}; a mask file holds BOOL or U8 tensors`,
      {
        source,
        fix: 'write masks with writeMaskFile or save torch masks as .bool()',
      },
    );
  }
  if (shape.length < 2) {
    throw new FormatError(
      `mask ${JSON.stringify(name)} has shape [${shape.join(', ')}]; masks are at least 2-D (rows × cols)`,
      {
        source,
        fix: 'save weight masks only (biases are never masked), as [out, in] tensors',
      },
    );
  }
  const rows = shape[0];
  const cols = shape.slice(1).reduce((a, b) => a * b, 1);
  for (let i = 0; i < data.length; i++) {
    if (data[i] > 1) {
      throw new FormatError(
        `mask ${JSON.stringify(name)} has value ${data[i]} at index ${i}; masks hold only 0 and 1`,
        {
          source,
          fix: 'save (mask != 0) as the mask',
        },
      );
    }
  }
  return BitMatrix.fromDense(rows, cols, data);
}

function parseMetadata(raw: SafetensorsMetadata, source: string): MaskMetadata {
  if (raw.format !== undefined && raw.format !== MASK_FILE_FORMAT) {
    throw new FormatError(
      `metadata format is ${JSON.stringify(raw.format)}, not ${JSON.stringify(MASK_FILE_FORMAT)}`,
      {
        source,
        fix: 'pass a mask file (written by writeMaskFile or `graphon-pai prune`)',
      },
    );
  }
  const meta: MaskMetadata = {};
  if (raw.criterion !== undefined) meta.criterion = raw.criterion;
  if (raw.density !== undefined) {
    const d = Number(raw.density);
    if (!(d >= 0 && d <= 1)) {
      throw new FormatError(
        `metadata density is ${JSON.stringify(raw.density)}; expected a number in [0, 1]`,
        {
          source,
          fix: 'correct or remove the density entry',
        },
      );
    }
    meta.density = d;
  }
  if (raw.seed !== undefined) {
    const n = Number(raw.seed);
    meta.seed = /^-?\d+$/.test(raw.seed) && Number.isSafeInteger(n) ? n : raw.seed;
  }
  if (raw.tool_version !== undefined) meta.toolVersion = raw.tool_version;
  const extra: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (!RESERVED.has(k)) setOwn(extra, k, v);
  if (Object.keys(extra).length > 0) meta.extra = extra;
  return meta;
}

/** Decodes a mask payload held in memory. */
export function decodeMaskFile(
  bytes: Uint8Array,
  source = '<buffer>',
  budget?: ReadBudget,
): MaskFileContents {
  const { tensors, metadata } = decodeSafetensors(bytes, source, budget);
  const parsed = parseMetadata(metadata, source);
  const mask: NetworkMask = new Map();
  const tensorShapes = new Map<string, readonly number[]>();
  for (const [name, t] of tensors) {
    mask.set(name, toBitMatrix(name, t.dtype, t.shape, t.data as Uint8Array, source));
    if (t.shape.length > 2) tensorShapes.set(name, [...t.shape]);
  }
  return { mask, tensorShapes, metadata: parsed, rawMetadata: metadata };
}

/**
 * Reads a mask file one layer at a time (memory: one dense layer plus the packed masks), after checking
 * the memory the whole file implies against `budget` (`./read-budget`).
 */
export function readMaskFile(
  source: string | Uint8Array,
  options: { budget?: ReadBudget } = {},
): MaskFileContents {
  if (source instanceof Uint8Array) return decodeMaskFile(source, '<buffer>', options.budget);
  const f = SafetensorsFile.open(source, options);
  try {
    checkReadBytes(impliedBytes(f.header.entries.values()), 'the mask file', source, options.budget);
    const parsed = parseMetadata(f.metadata, source);
    const mask: NetworkMask = new Map();
    const tensorShapes = new Map<string, readonly number[]>();
    for (const [name, e] of f.header.entries) {
      if (e.dtype !== 'BOOL' && e.dtype !== 'U8') toBitMatrix(name, e.dtype, e.shape, [], source);
      const t = f.read(name);
      mask.set(name, toBitMatrix(name, t.dtype, t.shape, t.data as Uint8Array, source));
      if (t.shape.length > 2) tensorShapes.set(name, [...t.shape]);
    }
    return { mask, tensorShapes, metadata: parsed, rawMetadata: f.metadata };
  } finally {
    f.close();
  }
}
