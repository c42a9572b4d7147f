/**
 * Exact top-k selection over a stream of 32-bit keys, regenerated on demand, into a bit-packed mask.
 *
 * `generate(visit)` must call `visit(row, col, key)` for every entry in the same order with the same keys
 * each time (a seeded stream re-created per pass). Larger keys are kept first; among equal keys at the
 * threshold the first ones in generation (row-major) order are kept, so exactly `k` bits are set.
 * Three passes: a 65536-bin histogram of the high 16 bits, a histogram of the low 16 bits inside the
 * threshold bin, then the mask. Memory O(65536) beyond the mask.
 */
import { BitMatrix } from '@graphon-pai/core';

export type KeyStream = (visit: (row: number, col: number, key: number) => void) => void;

export function topKMask(rows: number, cols: number, k: number, generate: KeyStream): BitMatrix {
  const mask = new BitMatrix(rows, cols);
  if (k <= 0) return mask;
  const hist = new Float64Array(65536);
  generate((_r, _c, key) => {
    hist[key >>> 16]++;
  });
  let above = 0;
  let hiBin = 65535;
  while (hiBin > 0 && above + hist[hiBin] < k) above += hist[hiBin--];
  const low = new Float64Array(65536);
  generate((_r, _c, key) => {
    if (key >>> 16 === hiBin) low[key & 0xffff]++;
  });
  let loBin = 65535;
  while (loBin > 0 && above + low[loBin] < k) above += low[loBin--];
  const threshold = ((hiBin << 16) | loBin) >>> 0;
  let ties = k - above;
  const { words, wordsPerRow } = mask;
  generate((r, c, key) => {
    if (key > threshold || (key === threshold && ties-- > 0))
      words[r * wordsPerRow + (c >>> 5)] |= 1 << (c & 31);
  });
  return mask;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * Order-preserving unsigned 32-bit key of a float (rounded to float32): negative values below positive ones,
 * −0 and +0 equal. NaN is not allowed.
 */
export function floatKey(x: number): number {
  f32[0] = x === 0 ? 0 : x;
  const b = u32[0];
  return (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
}
