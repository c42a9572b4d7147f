/**
 * Piece maps between a term's unit grid and a common refinement.
 */
import { findBlock } from '@graphon-pai/core';

/** Points closer than this are one cut (the same tolerance as @graphon-pai/graphon). */
const CUT_TOLERANCE = 1e-12;

// Temporary until @graphon-pai/graphon exports mergeCuts.
function mergeCuts(a: Float64Array, b: Float64Array): Float64Array {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i++] : b[j++];
    if (out.length === 0 || x - out[out.length - 1] > CUT_TOLERANCE) out.push(x);
  }
  out[0] = 0;
  out[out.length - 1] = 1;
  return Float64Array.from(out);
}

/** Union of several cut vectors (tolerance-merged). */
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
