/**
 * Piece maps between a term's unit grid and a common refinement.
 */
import { findBlock } from '@graphon-pai/core';
import { mergeCuts } from '@graphon-pai/graphon';

/** Union of several cut vectors (graphon's `mergeCuts`, tolerance-merged). */
export function mergeCutLists(lists: Float64Array[]): Float64Array {
  let out = lists[0];
  for (let i = 1; i < lists.length; i++) out = mergeCuts(out, lists[i]);
  return out;
}

/**
 * For each piece of `refined`, the unit of `own` containing it (located at the piece's midpoint);
 * `null` when the two grids coincide (identity map).
 */
export function pieceMap(own: Float64Array, refined: Float64Array): Uint32Array | null {
  if (own.length === refined.length) return null;
  const n = refined.length - 1;
  const map = new Uint32Array(n);
  for (let p = 0; p < n; p++) map[p] = findBlock(own, 0.5 * (refined[p] + refined[p + 1]));
  return map;
}
