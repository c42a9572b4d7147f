/**
 * The MNIST digits the playground ships with the site, and the scoring batches made from them.
 *
 * At build time (`scripts/lib/playground.ts`) the digits of every `mnistSubset({ count, seed })` the page
 * offers (`DIGIT_COUNTS` × `DIGIT_SEEDS`, from @graphon-pai/nets, real MNIST training split) are collected,
 * each stored once, and every subset is stored as its list of rows in `mnistSubset`'s order. The page then
 * builds the very batch the CLI scores with (`byte / 255` as float32, labels 0–9): the build checks that
 * each stored subset reproduces `mnistSubset`'s inputs and labels exactly, and the docs test checks it again.
 *
 * File layout (little-endian, gzip-compressed as a whole):
 *
 *     "GPDIGITS" · u32 version (1) · u32 digits N · u32 subsets S
 *     S × (u32 seed · u32 count)              the subsets, in this order
 *     N bytes of labels · N × 784 bytes of pixels (row-major 28 × 28 per digit)
 *     for each subset, `count` u16 rows into the N digits
 */
import type { Batch } from '@graphon-pai/nets';

/** Batch sizes the page offers. */
export const DIGIT_COUNTS = [128, 256, 512, 1024] as const;
/** Seeds the page offers (each seed is both the network's and the batch's, as in the CLI). */
export const DIGIT_SEEDS = [0, 1, 2, 3] as const;

export const PIXELS = 784;
const MAGIC = 'GPDIGITS';
const VERSION = 1;

export interface DigitFile {
  /** N labels (0–9). */
  labels: Uint8Array;
  /** N × 784 grey levels. */
  pixels: Uint8Array;
  /** `${seed}/${count}` → the subset's rows into the N digits, in mnistSubset's order. */
  subsets: Map<string, Uint16Array>;
}

export function subsetKey(seed: number, count: number): string {
  return `${seed}/${count}`;
}

/** Serialises a digit file (uncompressed). */
export function encodeDigitFile(file: DigitFile): Uint8Array {
  const n = file.labels.length;
  const subsets = [...file.subsets];
  const rows = subsets.reduce((sum, [, r]) => sum + r.length, 0);
  const headerBytes = 8 + 12 + 8 * subsets.length;
  const out = new Uint8Array(headerBytes + n + n * PIXELS + 2 * rows);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, n, true);
  view.setUint32(16, subsets.length, true);
  subsets.forEach(([key], s) => {
    const [seed, count] = key.split('/').map(Number);
    view.setUint32(20 + 8 * s, seed, true);
    view.setUint32(24 + 8 * s, count, true);
  });
  out.set(file.labels, headerBytes);
  out.set(file.pixels, headerBytes + n);
  let at = headerBytes + n + n * PIXELS;
  for (const [, r] of subsets) {
    for (const row of r) {
      view.setUint16(at, row, true);
      at += 2;
    }
  }
  return out;
}

/** Reads a digit file (uncompressed); throws on a malformed one. */
export function decodeDigitFile(bytes: Uint8Array): DigitFile {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = String.fromCharCode(...bytes.subarray(0, 8));
  if (magic !== MAGIC || view.getUint32(8, true) !== VERSION) {
    throw new Error('the playground digit file is not a version-1 GPDIGITS file: rebuild the site');
  }
  const n = view.getUint32(12, true);
  const s = view.getUint32(16, true);
  const headerBytes = 20 + 8 * s;
  const labels = bytes.slice(headerBytes, headerBytes + n);
  const pixels = bytes.slice(headerBytes + n, headerBytes + n + n * PIXELS);
  const subsets = new Map<string, Uint16Array>();
  let at = headerBytes + n + n * PIXELS;
  for (let k = 0; k < s; k++) {
    const seed = view.getUint32(20 + 8 * k, true);
    const count = view.getUint32(24 + 8 * k, true);
    const rows = new Uint16Array(count);
    for (let r = 0; r < count; r++) rows[r] = view.getUint16(at + 2 * r, true);
    at += 2 * count;
    subsets.set(subsetKey(seed, count), rows);
  }
  if (at !== bytes.length)
    throw new Error('the playground digit file has trailing or missing bytes: rebuild the site');
  return { labels, pixels, subsets };
}

/** The scoring batch of `mnistSubset({ count, seed })` (pixels `byte / 255`, 10 classes). */
export function digitBatch(file: DigitFile, seed: number, count: number): Batch {
  const rows = file.subsets.get(subsetKey(seed, count));
  if (!rows) {
    throw new Error(
      `no shipped digits for seed ${seed} and ${count} digits: the page offers seeds ${DIGIT_SEEDS.join(', ')} and counts ${DIGIT_COUNTS.join(', ')}`,
    );
  }
  const inputs = new Float32Array(count * PIXELS);
  const labels = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const src = rows[r] * PIXELS;
    for (let j = 0; j < PIXELS; j++) inputs[r * PIXELS + j] = file.pixels[src + j] / 255;
    labels[r] = file.labels[rows[r]];
  }
  return { inputs, count, features: PIXELS, labels, classes: 10 };
}
