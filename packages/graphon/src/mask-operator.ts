/**
 * A bit-packed mask as a `LinearOperator` of `@graphon-pai/linalg`: block products without a dense copy.
 *
 *     matmat(x, k, out):  out[r, :] = Σ_{c : M_rc = 1} x[c, :]     (out = M·x,  x is cols × k)
 *     rmatmat(y, k, out): out[c, :] = Σ_{r : M_rc = 1} y[r, :]     (out = Mᵀ·y, y is rows × k)
 *
 * Both walk the set bits word by word (`x & −x`, `clz32`) and add contiguous k-vectors, so a product costs
 * `nnz · k` additions plus one pass over the words. Above density ½ it uses `M = J − M̄`: the all-ones
 * product (column sums of x, broadcast) minus the product with the complement's set bits, so the cost is
 * `min(nnz, rows·cols − nnz) · k`.
 *
 * @example
 * const op = maskOperator(mask);
 * const svd = truncatedSvd(op, 8); // from @graphon-pai/linalg
 */
import type { BitMatrix } from '@graphon-pai/core';
import type { LinearOperator } from '@graphon-pai/linalg';
import { checkMask } from './canonical';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { clz32 } = Math;

export function maskOperator(mask: BitMatrix): LinearOperator {
  checkMask(mask);
  const { rows, cols, words, wordsPerRow } = mask;
  const nnz = mask.nnz();
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
            const xo = (cbase + 31 - clz32(low)) * k;
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
            const o = (cbase + 31 - clz32(low)) * k;
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
