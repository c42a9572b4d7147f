/**
 * The `block` metric: exact cut distance between canonical `K × L` block histograms at one fixed resolution.
 *
 * Each kernel is summarised on the uniform `K × L` grid (row block `a` ↔ `[a/K, (a+1)/K)`, column block `b`
 * ↔ `[b/L, (b+1)/L)`), then the two summaries are compared by the exact cut norm of their difference
 * ({@link gridDistance}):
 *
 *     δ_block(U, W) = max_{S ⊆ [K], T ⊆ [L]} |Σ_{a∈S, b∈T} (Û_ab − Ŵ_ab)| / (K·L).
 *
 * Summaries:
 * - a mask (`BitMatrix`): its canonical histogram (rows and columns sorted by degree, descending and stable;
 *   `canonicalStepGraphon` of `@graphon-pai/graphon`), the fraction of ones in each of `K × L` near-equal
 *   blocks. Its values are read on the uniform grid: when `K` does not divide the side the true block lengths
 *   differ from `1/K` by less than one unit (`1/rows`), which the metric ignores.
 * - a limit with block averages (`{ blockAverage(u0, u1, v0, v1) }`, e.g. an `FsmLimit`): the exact mean over
 *   each grid cell. It must already be in canonical orientation (largest degrees at small `u`, `v`), as FSM
 *   limits are.
 * - a `StepKernel` / `StepGraphon`: its exact cell averages on the grid (same orientation rule).
 * - a `DenseMatrix` of exactly `K × L` values: used as given (a summary computed elsewhere).
 *
 * No relabelling is optimised: both sides are degree-sorted by construction, so the number is the exact cut
 * norm of the difference of the two summaries at this resolution. It is **not** δ_□ of the kernels (coarse
 * graining can only hide differences: `δ_block(U, W) ≤ ‖U − W‖_□` for the aligned kernels when the block
 * edges fall on their cuts), but it is exact, cheap and free of the fixed-`d` floor of the full-resolution
 * distance, so it shows convergence towards a limit at the rate the masks approach it.
 *
 * Defaults: `K = L = 16` (2^16 · 16 operations, about a millisecond), at least
 * {@link MIN_BLOCK_SIZE} mask rows and columns per block.
 *
 * @example
 * const r = blockDistance(maskAtWidth512, fsmLimit(model, 0.1)); // r.value, r.kind === 'exact'
 */
import { BitMatrix, InvalidArgumentError, StepKernel } from '@graphon-pai/core';
import { canonicalStepGraphon, resampleGrid } from '@graphon-pai/graphon';
import type { DenseMatrix } from './cut-input';
import {
  blockCount,
  checkSide,
  type GridDistanceResult,
  givenSummary,
  gridDistance,
  type RowBlockOptions,
} from './grid-distance';

/** A limit that can average itself over a rectangle of [0,1]² (e.g. `FsmLimit`). */
export interface BlockAverages {
  blockAverage(u0: number, u1: number, v0: number, v1: number): number;
}

/** What {@link blockSummary} summarises. */
export type BlockTerm = BitMatrix | StepKernel | BlockAverages | DenseMatrix;

export interface BlockDistanceOptions extends RowBlockOptions {
  /** Column blocks L (default 16). */
  colBlocks?: number;
}

/** Default resolution of the `block` metric. */
export const BLOCK_DEFAULT = { rowBlocks: 16, colBlocks: 16 } as const;

/** The `K × L` summary of a kernel on the uniform grid (see the file header). */
export function blockSummary(term: BlockTerm, options: BlockDistanceOptions = {}): DenseMatrix {
  const k = blockCount('rowBlocks', options.rowBlocks, BLOCK_DEFAULT.rowBlocks);
  const l = blockCount('colBlocks', options.colBlocks, BLOCK_DEFAULT.colBlocks);
  if (term instanceof BitMatrix) {
    checkSide('rows', term.rows, k, options.minBlockSize);
    checkSide('cols', term.cols, l, options.minBlockSize);
    return { rows: k, cols: l, data: canonicalStepGraphon(term, { rowBlocks: k, colBlocks: l }).values };
  }
  if (term instanceof StepKernel) {
    return { rows: k, cols: l, data: resampleGrid(term, k, l, { method: 'average' }) };
  }
  if (
    term !== null &&
    typeof term === 'object' &&
    typeof (term as BlockAverages).blockAverage === 'function'
  ) {
    const limit = term as BlockAverages;
    const data = new Float64Array(k * l);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < l; b++)
        data[a * l + b] = limit.blockAverage(a / k, (a + 1) / k, b / l, (b + 1) / l);
    }
    return { rows: k, cols: l, data };
  }
  const given = givenSummary(term, k, l);
  if (given) return given;
  throw new InvalidArgumentError(
    'term',
    term,
    `a BitMatrix, a StepKernel, a limit with blockAverage, or a ${k} × ${l} summary matrix`,
  );
}

/** Exact `block` distance of two kernels at the resolution `K × L` (see the file header). */
export function blockDistance(
  a: BlockTerm,
  b: BlockTerm,
  options: BlockDistanceOptions = {},
): GridDistanceResult & { metric: 'block' } {
  const r = gridDistance(blockSummary(a, options), blockSummary(b, options), options);
  return { ...r, metric: 'block' };
}
