/**
 * Benchmark-only copy of `maskOperator` from @graphon-pai/graphon (packages/graphon/src/mask-operator.ts),
 * so that the linalg benchmark times `truncatedSvd` on exactly the operator the graphon package hands it
 * (graphon depends on linalg, so linalg cannot import it). Keep in step with the original.
 *
 *     matmat(x, k, out):  out[r, :] = Σ_{c : M_rc = 1} x[c, :]     (out = M·x)
 *     rmatmat(y, k, out): out[c, :] = Σ_{r : M_rc = 1} y[r, :]     (out = Mᵀ·y)
 */
import { readFileSync } from 'node:fs';
import type { LinearOperator } from '../src/index';

export interface PackedMask {
  rows: number;
  cols: number;
  wordsPerRow: number;
  words: Uint32Array;
}

/** Reads a bit-packed .npy (uint8, little bit order, rows × ⌈cols/8⌉) into 32-bit words per row. */
export function readPackedMask(path: string, rows: number, cols: number): PackedMask {
  const buf = readFileSync(path);
  const headerLen = buf.readUInt16LE(8);
  const data = buf.subarray(10 + headerLen);
  const wordsPerRow = Math.ceil(cols / 32);
  const words = new Uint32Array(rows * wordsPerRow);
  const bytesPerRow = Math.ceil(cols / 8);
  const out = new Uint8Array(words.buffer);
  for (let r = 0; r < rows; r++)
    out.set(data.subarray(r * bytesPerRow, (r + 1) * bytesPerRow), r * wordsPerRow * 4);
  return { rows, cols, wordsPerRow, words };
}

export function maskOperator(mask: PackedMask): LinearOperator {
  const { rows, cols, words, wordsPerRow } = mask;
  let nnz = 0;
  for (let i = 0; i < words.length; i++) {
    let x = words[i];
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    nnz += (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  const complement = nnz > rows * cols - nnz;
  const tailBits = cols & 31;
  const tailMask = tailBits === 0 ? 0xffffffff : (1 << tailBits) - 1;
  const word = (r: number, w: number): number => {
    const x = words[r * wordsPerRow + w];
    return complement ? ~x & (w === wordsPerRow - 1 ? tailMask : 0xffffffff) : x;
  };
  return {
    rows,
    cols,
    matmat(x: Float64Array, k: number, out: Float64Array): void {
      out.fill(0, 0, rows * k);
      let total: Float64Array | undefined;
      if (complement) {
        total = new Float64Array(k);
        for (let c = 0; c < cols; c++) for (let t = 0; t < k; t++) total[t] += x[c * k + t];
      }
      for (let r = 0; r < rows; r++) {
        const o = r * k;
        for (let w = 0; w < wordsPerRow; w++) {
          let bits = word(r, w);
          const cbase = w << 5;
          while (bits !== 0) {
            const low = bits & -bits;
            const xo = (cbase + 31 - Math.clz32(low)) * k;
            for (let t = 0; t < k; t++) out[o + t] += x[xo + t];
            bits ^= low;
          }
        }
        if (total) for (let t = 0; t < k; t++) out[o + t] = total[t] - out[o + t];
      }
    },
    rmatmat(y: Float64Array, k: number, out: Float64Array): void {
      out.fill(0, 0, cols * k);
      for (let r = 0; r < rows; r++) {
        const yo = r * k;
        for (let w = 0; w < wordsPerRow; w++) {
          let bits = word(r, w);
          const cbase = w << 5;
          while (bits !== 0) {
            const low = bits & -bits;
            const o = (cbase + 31 - Math.clz32(low)) * k;
            for (let t = 0; t < k; t++) out[o + t] += y[yo + t];
            bits ^= low;
          }
        }
      }
      if (complement) {
        const total = new Float64Array(k);
        for (let r = 0; r < rows; r++) for (let t = 0; t < k; t++) total[t] += y[r * k + t];
        for (let c = 0; c < cols; c++) for (let t = 0; t < k; t++) out[c * k + t] = total[t] - out[c * k + t];
      }
    },
  };
}
