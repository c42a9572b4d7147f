/**
 * Canonical (degree-sorted) ordering of a bipartite mask and its block histogram.
 *
 * Ordering (docs: concepts/graphons): rows sorted by row degree, columns by column degree, each side separately,
 * **descending and stable** (equal degrees keep their original relative order). `rowOrder[p]` is the original
 * row at canonical position `p`. For graphons with strictly monotone degree functions this ordering
 * identifies the limit; for constant-degree graphons it carries no information (and needs none).
 *
 * Block histogram with `K × L` blocks: canonical position `p` of `rows` falls in row block `a` when
 * `⌊a·rows/K⌋ ≤ p < ⌊(a+1)·rows/K⌋` (block sizes differ by at most one; uneven remainders are spread, not
 * dumped in the last block), likewise for columns, and
 *
 *     Ŵ_ab = (1 / (|I_a|·|J_b|)) Σ_{p∈I_a, q∈J_b} M[rowOrder[p], colOrder[q]],   cuts r_a = ⌊a·rows/K⌋ / rows.
 *
 * With these cuts `Ŵ` is exactly the block average of the mask's own step graphon `W_M`, so `∫∫ Ŵ = density`.
 *
 * Complexity: one popcount pass for row degrees, one pass over the set bits (or, above density ½, over the
 * zero bits) that produces column degrees and per-row-block column counts together (`K·cols` 32-bit
 * counters), then O(rows + cols + K·cols). Memory: the bit-packed mask plus `4·(K·cols + rows + cols)` bytes;
 * no dense copy. When `K·cols` exceeds 2^24 counters a two-pass variant with `K·L` counters is used.
 *
 * @example
 * const mask = BitMatrix.fromDense(2, 3, [1, 0, 0, 1, 1, 1]);
 * canonicalOrder(mask).rowOrder;                                  // Uint32Array [1, 0]
 * canonicalStepGraphon(mask, { rowBlocks: 2, colBlocks: 1 }).values; // Float64Array [1, 1/3]
 *
 * Reference: S. H. Chan, E. M. Airoldi, "A consistent histogram estimator for exchangeable graph models",
 * ICML 2014 (degree sorting); Pham, Ta, Tran-Thanh, arXiv 2602.06675 (canonical ordering of PaI masks).
 */
import { type BitMatrix, InvalidArgumentError, popcount, StepGraphon } from '@graphon-pai/core';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { clz32, floor } = Math;

/** Canonical row and column orders with the degrees they were computed from. */
export interface CanonicalOrder {
  /** `rowOrder[p]` = original row at canonical position p (degree descending, stable). */
  readonly rowOrder: Uint32Array;
  /** `colOrder[q]` = original column at canonical position q. */
  readonly colOrder: Uint32Array;
  readonly rowDegrees: Uint32Array;
  readonly colDegrees: Uint32Array;
}

/** Block sizes and cuts of a histogram. */
export interface BlockCounts {
  rowBlocks: number;
  colBlocks: number;
}

/** Canonical result with the histogram and the orders behind it. */
export interface CanonicalHistogram extends CanonicalOrder {
  readonly graphon: StepGraphon;
}

/** Indices sorting `degrees` descending, stable (counting sort, O(n + max degree)). */
export function sortByDegreeDescending(degrees: ArrayLike<number>): Uint32Array {
  const n = degrees.length;
  let max = 0;
  for (let i = 0; i < n; i++) if (degrees[i] > max) max = degrees[i];
  const start = new Uint32Array(max + 2);
  for (let i = 0; i < n; i++) start[max - degrees[i] + 1]++;
  for (let d = 1; d <= max + 1; d++) start[d] += start[d - 1];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[start[max - degrees[i]]++] = i;
  return order;
}

/** Canonical orders of a mask (rows by row degree, columns by column degree, descending, stable). */
export function canonicalOrder(mask: BitMatrix): CanonicalOrder {
  checkMask(mask);
  const rowDegrees = mask.rowDegrees();
  const colDegrees = mask.colDegrees();
  return {
    rowOrder: sortByDegreeDescending(rowDegrees),
    colOrder: sortByDegreeDescending(colDegrees),
    rowDegrees,
    colDegrees,
  };
}

/** Start index of each of `blocks` near-equal blocks of `n` positions (length blocks + 1, ends with n). */
export function blockStarts(n: number, blocks: number): Uint32Array {
  const s = new Uint32Array(blocks + 1);
  for (let a = 0; a <= blocks; a++) s[a] = floor((a * n) / blocks);
  return s;
}

/**
 * The block of each unit when the units, taken in `order`, fill `blocks` near-equal blocks
 * ({@link blockStarts}): `out[order[p]] = a` for `p ∈ [starts[a], starts[a+1])`.
 */
export function blockAssignment(order: Uint32Array, blocks: number): Uint32Array {
  const n = order.length;
  const starts = blockStarts(n, blocks);
  const out = new Uint32Array(n);
  let a = 0;
  for (let p = 0; p < n; p++) {
    while (p >= starts[a + 1]) a++;
    out[order[p]] = a;
  }
  return out;
}

/** Cut points `starts[a] / n` of a block partition of n positions. */
export function blockCuts(n: number, blocks: number): Float64Array {
  const s = blockStarts(n, blocks);
  const c = new Float64Array(blocks + 1);
  for (let a = 0; a <= blocks; a++) c[a] = s[a] / n;
  c[blocks] = 1;
  return c;
}

/** For each original index, the block of its position in `order`. */
function blockOfIndex(order: Uint32Array, blocks: number): Uint32Array {
  const n = order.length;
  const out = new Uint32Array(n);
  const starts = blockStarts(n, blocks);
  let a = 0;
  for (let p = 0; p < n; p++) {
    while (p >= starts[a + 1]) a++;
    out[order[p]] = a;
  }
  return out;
}

/**
 * Block histogram of `mask` under given row and column orders (`order[p]` = original index at position p):
 * `K × L` near-equal blocks of positions, values = fraction of ones in each block.
 */
export function blockHistogram(
  mask: BitMatrix,
  rowOrder: Uint32Array,
  colOrder: Uint32Array,
  blocks: BlockCounts,
): StepGraphon {
  checkMask(mask);
  const { rowBlocks: k, colBlocks: l } = checkBlocks(mask, blocks);
  if (rowOrder.length !== mask.rows) {
    throw new InvalidArgumentError('rowOrder', rowOrder, `a permutation of ${mask.rows} rows`);
  }
  if (colOrder.length !== mask.cols) {
    throw new InvalidArgumentError('colOrder', colOrder, `a permutation of ${mask.cols} columns`);
  }
  const rb = blockOfIndex(rowOrder, k);
  const cb = blockOfIndex(colOrder, l);
  const counts = new Float64Array(k * l);
  const { words, wordsPerRow, rows } = mask;
  for (let r = 0; r < rows; r++) {
    const base = rb[r] * l;
    const wbase = r * wordsPerRow;
    for (let w = 0; w < wordsPerRow; w++) {
      let x = words[wbase + w];
      const cbase = w << 5;
      while (x !== 0) {
        const low = x & -x;
        counts[base + cb[cbase + 31 - clz32(low)]]++;
        x ^= low;
      }
    }
  }
  return normalise(mask, counts, k, l);
}

/** Counters above which the one-pass path (K·cols counters) gives way to two passes (K·L counters). */
const ONE_PASS_LIMIT = 1 << 24;

/**
 * Canonical histogram of a mask: degree-sorted orders plus the `K × L` block histogram under them, computed
 * in one pass over the bits (see the file header).
 */
export function canonicalHistogram(mask: BitMatrix, blocks: BlockCounts): CanonicalHistogram {
  checkMask(mask);
  const { rowBlocks: k, colBlocks: l } = checkBlocks(mask, blocks);
  const { rows, cols, words, wordsPerRow } = mask;
  if (k * cols > ONE_PASS_LIMIT) {
    const order = canonicalOrder(mask);
    return { ...order, graphon: blockHistogram(mask, order.rowOrder, order.colOrder, blocks) };
  }
  const rowDegrees = new Uint32Array(rows);
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    let d = 0;
    const end = (r + 1) * wordsPerRow;
    for (let i = r * wordsPerRow; i < end; i++) d += popcount(words[i]);
    rowDegrees[r] = d;
    nnz += d;
  }
  const rowOrder = sortByDegreeDescending(rowDegrees);
  const rb = blockOfIndex(rowOrder, k);
  const rowStarts = blockStarts(rows, k);
  // partial[a·cols + c] = ones of column c within row block a (or zeros, when iterating the complement).
  const partial = new Uint32Array(k * cols);
  const complement = nnz > rows * cols - nnz;
  const tailBits = cols & 31;
  const tailMask = tailBits === 0 ? 0xffffffff : (1 << tailBits) - 1;
  for (let r = 0; r < rows; r++) {
    const base = rb[r] * cols;
    const wbase = r * wordsPerRow;
    for (let w = 0; w < wordsPerRow; w++) {
      let x = words[wbase + w];
      if (complement) x = ~x & (w === wordsPerRow - 1 ? tailMask : 0xffffffff);
      const cbase = base + (w << 5);
      while (x !== 0) {
        const low = x & -x;
        partial[cbase + 31 - clz32(low)]++;
        x ^= low;
      }
    }
  }
  if (complement) {
    for (let a = 0; a < k; a++) {
      const size = rowStarts[a + 1] - rowStarts[a];
      const base = a * cols;
      for (let c = 0; c < cols; c++) partial[base + c] = size - partial[base + c];
    }
  }
  const colDegrees = new Uint32Array(cols);
  for (let a = 0; a < k; a++) {
    const base = a * cols;
    for (let c = 0; c < cols; c++) colDegrees[c] += partial[base + c];
  }
  const colOrder = sortByDegreeDescending(colDegrees);
  const cb = blockOfIndex(colOrder, l);
  const counts = new Float64Array(k * l);
  for (let a = 0; a < k; a++) {
    const base = a * cols;
    const out = a * l;
    for (let c = 0; c < cols; c++) counts[out + cb[c]] += partial[base + c];
  }
  return { rowOrder, colOrder, rowDegrees, colDegrees, graphon: normalise(mask, counts, k, l) };
}

/** The canonical `K × L` step graphon of a mask (see {@link canonicalHistogram}). */
export function canonicalStepGraphon(mask: BitMatrix, blocks: BlockCounts): StepGraphon {
  return canonicalHistogram(mask, blocks).graphon;
}

function normalise(mask: BitMatrix, counts: Float64Array, k: number, l: number): StepGraphon {
  const rs = blockStarts(mask.rows, k);
  const cs = blockStarts(mask.cols, l);
  for (let a = 0; a < k; a++) {
    const h = rs[a + 1] - rs[a];
    for (let b = 0; b < l; b++) counts[a * l + b] /= h * (cs[b + 1] - cs[b]);
  }
  return new StepGraphon(blockCuts(mask.rows, k), blockCuts(mask.cols, l), counts);
}

/** Throws on masks with no rows or no columns. */
export function checkMask(mask: BitMatrix, name = 'mask'): void {
  if (!mask || typeof mask.rows !== 'number' || !(mask.words instanceof Uint32Array)) {
    throw new InvalidArgumentError(name, mask, 'a BitMatrix');
  }
  if (mask.rows === 0 || mask.cols === 0) {
    throw new InvalidArgumentError(
      name,
      `${mask.rows} × ${mask.cols}`,
      'a mask with at least one row and one column',
      {
        fix: 'pass a non-empty layer mask',
      },
    );
  }
}

/** Validates block counts against the mask's sides. */
export function checkBlocks(mask: BitMatrix, blocks: BlockCounts): BlockCounts {
  const { rowBlocks, colBlocks } = blocks ?? ({} as BlockCounts);
  if (!(Number.isInteger(rowBlocks) && rowBlocks >= 1 && rowBlocks <= mask.rows)) {
    throw new InvalidArgumentError('rowBlocks', rowBlocks, `an integer in [1, rows = ${mask.rows}]`, {
      fix: 'use at most one block per row',
    });
  }
  if (!(Number.isInteger(colBlocks) && colBlocks >= 1 && colBlocks <= mask.cols)) {
    throw new InvalidArgumentError('colBlocks', colBlocks, `an integer in [1, cols = ${mask.cols}]`, {
      fix: 'use at most one block per column',
    });
  }
  return { rowBlocks, colBlocks };
}
