/**
 * USVT: universal singular value thresholding (Chatterjee 2015) for a bipartite mask.
 *
 *     M = Σ_i σ_i u_i v_iᵀ,   Ŵ = clip_[0,1]( Σ_{σ_i ≥ t} σ_i u_i v_iᵀ ),   t = (2 + η)·√max(rows, cols)
 *
 * with η = 0.01 by default (Chatterjee's recommendation; `threshold` overrides t). The leading singular
 * triplets come from `truncatedSvd` of `@graphon-pai/linalg` (thick-restarted block Lanczos) applied to
 * linalg's `bitMatrixOperator`, which multiplies by the bit-packed mask without a dense float copy up to
 * density 0.2 (CSR/CSC gathers, nnz·4 bytes of indices) and, above, by GEMM on a float64 expansion that is
 * cached only up to `operator.cacheBytes` (default 256 MiB; beyond it, or with `{ cacheBytes: 0 }`, row
 * panels of 8 MiB are re-expanded per product, so memory stays O(panel)). The SVD is asked
 * for `maxRank` (default 32) triplets; `rankCapped` reports when all of them passed the threshold (raise
 * `maxRank`). The estimate is returned as a `K × L` step graphon in the mask's canonical order (block
 * means of the clipped low-rank matrix, default K = min(rows, 256), L = min(cols, 256)).
 *
 * Complexity: the SVD (≈ iterations · nnz · block size) plus rows · cols · rank for the clipped block means.
 *
 * @example
 * const { graphon, singularValues, rank } = usvtEstimate(mask, { maxRank: 16 });
 *
 * Reference: S. Chatterjee, "Matrix estimation by universal singular value thresholding", Ann. Statist. 43
 * (2015).
 */
import { type BitMatrix, InvalidArgumentError, type Seed, StepGraphon } from '@graphon-pai/core';
import { type BitMatrixOperatorOptions, bitMatrixOperator, truncatedSvd } from '@graphon-pai/linalg';
import { blockAssignment, blockCuts, blockStarts, canonicalOrder, checkBlocks, checkMask } from './canonical';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { max, min, sqrt } = Math;

export interface UsvtOptions {
  /** η in t = (2 + η)·√max(rows, cols) (default 0.01). */
  eta?: number;
  /** Explicit threshold t (overrides eta). */
  threshold?: number;
  /** Number of singular triplets computed (default 32, capped at min(rows, cols)). */
  maxRank?: number;
  rowBlocks?: number;
  colBlocks?: number;
  seed?: Seed;
  /** Residual tolerance passed to truncatedSvd (default 1e-7). */
  tol?: number;
  /** Options of linalg's `bitMatrixOperator` (route and memory budget); `{ cacheBytes: 0 }` bounds memory. */
  operator?: BitMatrixOperatorOptions;
}

export interface UsvtResult {
  readonly graphon: StepGraphon;
  /** The computed leading singular values (descending). */
  readonly singularValues: Float64Array;
  /** Number of singular values kept (≥ threshold). */
  readonly rank: number;
  readonly threshold: number;
  /** True when every computed singular value passed the threshold (more may exist). */
  readonly rankCapped: boolean;
}

export function usvtEstimate(mask: BitMatrix, options: UsvtOptions = {}): UsvtResult {
  checkMask(mask);
  const { rows, cols } = mask;
  const eta = options.eta ?? 0.01;
  if (!(eta >= 0 && Number.isFinite(eta))) throw new InvalidArgumentError('options.eta', eta, 'a number ≥ 0');
  const threshold = options.threshold ?? (2 + eta) * sqrt(max(rows, cols));
  if (!(threshold >= 0)) throw new InvalidArgumentError('options.threshold', threshold, 'a number ≥ 0');
  const k = min(options.maxRank ?? 32, rows, cols);
  if (!(Number.isInteger(k) && k >= 1))
    throw new InvalidArgumentError('options.maxRank', options.maxRank, 'a positive integer');
  const { rowBlocks, colBlocks } = checkBlocks(mask, {
    rowBlocks: options.rowBlocks ?? min(rows, 256),
    colBlocks: options.colBlocks ?? min(cols, 256),
  });
  const svd = truncatedSvd(bitMatrixOperator(mask, options.operator), k, {
    seed: options.seed ?? 0,
    tol: options.tol,
  });
  let rank = 0;
  while (rank < k && svd.values[rank] >= threshold) rank++;
  const order = canonicalOrder(mask);
  const rb = blockAssignment(order.rowOrder, rowBlocks);
  const cb = blockAssignment(order.colOrder, colBlocks);
  const sums = new Float64Array(rowBlocks * colBlocks);
  if (rank > 0) {
    const w = new Float64Array(rank);
    // V restricted to the kept columns, contiguous per column index for the inner dot products.
    const v = new Float64Array(cols * rank);
    for (let c = 0; c < cols; c++) for (let t = 0; t < rank; t++) v[c * rank + t] = svd.v[c * k + t];
    for (let r = 0; r < rows; r++) {
      for (let t = 0; t < rank; t++) w[t] = svd.u[r * k + t] * svd.values[t];
      const base = rb[r] * colBlocks;
      for (let c = 0; c < cols; c++) {
        let x = 0;
        const o = c * rank;
        for (let t = 0; t < rank; t++) x += w[t] * v[o + t];
        sums[base + cb[c]] += min(1, max(0, x));
      }
    }
  }
  const rs = blockStarts(rows, rowBlocks);
  const cs = blockStarts(cols, colBlocks);
  for (let a = 0; a < rowBlocks; a++) {
    for (let b = 0; b < colBlocks; b++) sums[a * colBlocks + b] /= (rs[a + 1] - rs[a]) * (cs[b + 1] - cs[b]);
  }
  return {
    graphon: new StepGraphon(blockCuts(rows, rowBlocks), blockCuts(cols, colBlocks), sums),
    singularValues: svd.values,
    rank,
    threshold,
    rankCapped: rank === k && k < min(rows, cols),
  };
}

