/**
 * L1 and L2 distances between kernels under the same alignments as {@link cutDistance}, for comparison.
 *
 *     ‖U − W‖_1 = ∫∫ |U − W|,   ‖U − W‖_2 = (∫∫ (U − W)²)^{1/2}
 *
 * computed exactly on the common refinement (piece lengths as weights). Always `δ_□ ≤ ‖·‖_□ ≤ ‖·‖_1 ≤
 * ‖·‖_2` for the same alignment. For the `optimized` alignment the cut-guided permutation is used
 * (chosen for the cut norm, not for L1/L2).
 *
 * Complexity: O(row pieces · column pieces · summands); a mask row is expanded once per row piece.
 *
 * @example
 * lpDistance(maskA, maskB, { alignment: 'canonical' }); // { l1, l2, alignment: 'canonical' }
 */
import { type AlignmentOptions, alignPair } from './cut-distance';
import type { CutTerm, PreparedInput } from './cut-input';
import type { Alignment } from './alignment';
import type { Seed } from '@graphon-pai/core';

export interface LpDistanceResult {
  l1: number;
  l2: number;
  alignment: Alignment;
}

/** L1 and L2 norms of the kernel held by a prepared operator. */
export function lpNorms(prepared: PreparedInput): { l1: number; l2: number } {
  const { op } = prepared;
  const row = new Float64Array(op.cols);
  let l1 = 0;
  let l2 = 0;
  for (let p = 0; p < op.rows; p++) {
    op.valueRow(p, row);
    let a1 = 0;
    let a2 = 0;
    for (let q = 0; q < op.cols; q++) {
      const v = row[q];
      const g = op.colWeights[q];
      a1 += g * (v < 0 ? -v : v);
      a2 += g * v * v;
    }
    l1 += op.rowWeights[p] * a1;
    l2 += op.rowWeights[p] * a2;
  }
  return { l1, l2: Math.sqrt(l2) };
}

/** L1 / L2 distance of U and W under the requested alignment (default `optimized`). */
export function lpDistance(
  u: CutTerm,
  w: CutTerm,
  options: AlignmentOptions & { seed?: Seed } = {},
): LpDistanceResult {
  const pairs = alignPair(u, w, options);
  const pair = pairs[pairs.length - 1];
  return { ...lpNorms(pair.prepared), alignment: pair.alignment };
}
