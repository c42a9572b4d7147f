/**
 * Relabellings of the rows and columns of a kernel by permutations of its units (matrix rows, mask rows,
 * step-kernel blocks), and the three alignments of {@link cutDistance}.
 *
 * A permutation `perm` (new position p holds original unit `perm[p]`) is measure preserving on [0,1]: the
 * permuted units keep their lengths and the cut points are rebuilt from the permuted lengths. Rows and
 * columns relabel independently (bipartite graphons; docs: concepts/cut-distance).
 *
 * - `identity`: no relabelling.
 * - `canonical`: each kernel's units sorted by degree, descending and stable (docs: concepts/graphons); masks use
 *   `canonicalOrder` of `@graphon-pai/graphon`, step kernels its degree functions.
 * - `optimized` (our heuristic, `internal/cut-guided.ts`): starting from canonical, local moves guided by
 *   the witness cut. Each round finds a cut (S, T) of the aligned difference U − W^{φ,ψ} (local search) and
 *   swaps a few equal-length units of W between S and its complement (rows in even rounds, columns in odd
 *   ones) so that W's mass on S × T moves towards U's, i.e. the witness value shrinks. The state with the
 *   smallest witness value is kept. Any alignment gives an upper bound on δ_□, so the heuristic is safe:
 *   `cutDistance` certifies canonical and optimized and keeps the better.
 *
 * @example
 * const a = alignedTerm(mask, 'U', 'canonical');   // internal: the canonical unit term and its permutations
 * a.rowPerm[0];                                     // the original row with the largest degree
 */
import { BitMatrix, StepKernel } from '@graphon-pai/core';
import { canonicalOrder, colDegreeFunction, rowDegreeFunction } from '@graphon-pai/graphon';
import type { CutTerm, UnitTerm } from './cut-input';
import { unitTerm } from './cut-input';

export type Alignment = 'identity' | 'canonical' | 'optimized';

/** A term with the permutations applied to it (new position → original unit). */
export interface AlignedTerm {
  readonly term: UnitTerm;
  readonly rowPerm: Uint32Array;
  readonly colPerm: Uint32Array;
}

function identityPerm(n: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}

/** Indices sorting `values` descending, stable. */
function sortDescending(values: ArrayLike<number>): Uint32Array {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  idx.sort((a, b) => values[b] - values[a] || a - b);
  return Uint32Array.from(idx);
}

/** Canonical (degree-sorted) permutations of a term. */
export function canonicalPermutations(
  x: CutTerm,
  base: UnitTerm,
): { rowPerm: Uint32Array; colPerm: Uint32Array } {
  if (x instanceof BitMatrix) {
    const o = canonicalOrder(x);
    return { rowPerm: o.rowOrder, colPerm: o.colOrder };
  }
  if (x instanceof StepKernel) {
    return {
      rowPerm: sortDescending(rowDegreeFunction(x).values),
      colPerm: sortDescending(colDegreeFunction(x).values),
    };
  }
  const s = base.summand;
  if (s.kind !== 'dense') throw new Error('unreachable');
  const rd = new Float64Array(s.unitRows);
  const cd = new Float64Array(s.unitCols);
  for (let i = 0; i < s.unitRows; i++) {
    for (let j = 0; j < s.unitCols; j++) {
      const v = s.data[i * s.unitCols + j];
      rd[i] += v;
      cd[j] += v;
    }
  }
  return { rowPerm: sortDescending(rd), colPerm: sortDescending(cd) };
}

function lengths(cuts: Float64Array): Float64Array {
  const w = new Float64Array(cuts.length - 1);
  for (let i = 0; i < w.length; i++) w[i] = cuts[i + 1] - cuts[i];
  return w;
}

function cutsFromLengths(len: Float64Array, perm: Uint32Array): Float64Array {
  const c = new Float64Array(perm.length + 1);
  for (let p = 0; p < perm.length; p++) c[p + 1] = c[p] + len[perm[p]];
  c[perm.length] = 1;
  return c;
}

function inverse(perm: Uint32Array): Uint32Array {
  const inv = new Uint32Array(perm.length);
  for (let p = 0; p < perm.length; p++) inv[perm[p]] = p;
  return inv;
}

/** The unit term relabelled by the permutations (new position p holds original unit perm[p]). */
export function permuteTerm(base: UnitTerm, rowPerm: Uint32Array, colPerm: Uint32Array): UnitTerm {
  const rowCuts = cutsFromLengths(lengths(base.rowCuts), rowPerm);
  const colCuts = cutsFromLengths(lengths(base.colCuts), colPerm);
  const s = base.summand;
  if (s.kind === 'dense') {
    const data =
      s.data instanceof Float32Array ? new Float32Array(s.data.length) : new Float64Array(s.data.length);
    const n = s.unitCols;
    for (let p = 0; p < s.unitRows; p++) {
      const src = rowPerm[p] * n;
      const dst = p * n;
      for (let q = 0; q < n; q++) data[dst + q] = s.data[src + colPerm[q]];
    }
    return { rowCuts, colCuts, summand: { ...s, data } };
  }
  const colPos = inverse(colPerm);
  const rowPtr = new Int32Array(s.unitRows + 1);
  for (let p = 0; p < s.unitRows; p++)
    rowPtr[p + 1] = rowPtr[p] + (s.rowPtr[rowPerm[p] + 1] - s.rowPtr[rowPerm[p]]);
  const colIdx =
    s.colIdx instanceof Uint16Array ? new Uint16Array(s.colIdx.length) : new Uint32Array(s.colIdx.length);
  for (let p = 0; p < s.unitRows; p++) {
    const r = rowPerm[p];
    let w = rowPtr[p];
    for (let e = s.rowPtr[r]; e < s.rowPtr[r + 1]; e++) colIdx[w++] = colPos[s.colIdx[e]];
  }
  return { rowCuts, colCuts, summand: { ...s, rowPtr, colIdx } };
}

/** Identity / canonical permutations of a term, validated. */
export function alignedTerm(x: CutTerm, argument: string, alignment: 'identity' | 'canonical'): AlignedTerm {
  const base = unitTerm(x, argument);
  if (alignment === 'identity') {
    return {
      term: base,
      rowPerm: identityPerm(base.rowCuts.length - 1),
      colPerm: identityPerm(base.colCuts.length - 1),
    };
  }
  const { rowPerm, colPerm } = canonicalPermutations(x, base);
  return { term: permuteTerm(base, rowPerm, colPerm), rowPerm, colPerm };
}
