/**
 * Relabellings of the rows and columns of a kernel by permutations of its units (matrix rows, mask rows,
 * step-kernel blocks), and the three alignments of {@link cutDistance}.
 *
 * A permutation `perm` (new position p holds original unit `perm[p]`) is measure preserving on [0,1]: the
 * permuted units keep their lengths and the cut points are rebuilt from the permuted lengths. Rows and
 * columns relabel independently (bipartite graphons, theory.md §4).
 *
 * - `identity`: no relabelling.
 * - `canonical`: each kernel's units sorted by degree, descending and stable (theory.md §2); masks use
 *   `canonicalOrder` of `@graphon-pai/graphon`, step kernels its degree functions.
 * - `optimized` (our heuristic): starting from canonical, the second kernel's units are improved by
 *   pairwise swaps of equal-length units that lower the squared L2 distance between coarse row profiles
 *   (`profileBlocks` column blocks), then the same for columns, for `rounds` rounds. Any alignment gives an
 *   upper bound on δ_□, so the heuristic is safe: `cutDistance` keeps the best certified alignment.
 *
 * On smooth graphons with monotone degree functions canonical is already near optimal and `optimized`
 * rarely improves the certified bound (it lowers the profile L2 distance, partly by fitting sampling noise);
 * it is meant for kernels whose degrees carry little information. It cannot create signal from nothing:
 * when both sides' degrees are flat and the structure is hidden by a column shuffle it may not help.
 *
 * Complexity of `optimized`: O(nnz + units·profileBlocks) per profile build, O(profileBlocks) per swap.
 *
 * @example
 * const a = alignedTerm(mask, 'U', 'canonical');   // internal: the canonical unit term and its permutations
 * a.rowPerm[0];                                     // the original row with the largest degree
 */
import { BitMatrix, type Rng, StepKernel } from '@graphon-pai/core';
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
  const rowPtr = new Uint32Array(s.unitRows + 1);
  for (let p = 0; p < s.unitRows; p++)
    rowPtr[p + 1] = rowPtr[p] + (s.rowPtr[rowPerm[p] + 1] - s.rowPtr[rowPerm[p]]);
  const colIdx = new Uint32Array(s.colIdx.length);
  for (let p = 0; p < s.unitRows; p++) {
    const r = rowPerm[p];
    let w = rowPtr[p];
    for (let e = s.rowPtr[r]; e < s.rowPtr[r + 1]; e++) colIdx[w++] = colPos[s.colIdx[e]];
  }
  return { rowCuts, colCuts, summand: { ...s, rowPtr, colIdx } };
}

/**
 * Row profiles of a (permuted) term: for each unit row, the mean value over each of `k` coarse column
 * blocks `[b/k, (b+1)/k)` (a column unit counts in the block of its midpoint). Returns units × k densities.
 */
function rowProfiles(t: UnitTerm, k: number): Float64Array {
  const s = t.summand;
  const rows = s.unitRows;
  const colBlock = new Uint32Array(s.unitCols);
  const blockLen = new Float64Array(k);
  for (let q = 0; q < s.unitCols; q++) {
    const b = Math.min(k - 1, Math.floor(0.5 * (t.colCuts[q] + t.colCuts[q + 1]) * k));
    colBlock[q] = b;
    blockLen[b] += t.colCuts[q + 1] - t.colCuts[q];
  }
  const out = new Float64Array(rows * k);
  for (let p = 0; p < rows; p++) {
    const base = p * k;
    if (s.kind === 'dense') {
      for (let q = 0; q < s.unitCols; q++)
        out[base + colBlock[q]] += (t.colCuts[q + 1] - t.colCuts[q]) * s.data[p * s.unitCols + q];
    } else {
      for (let e = s.rowPtr[p]; e < s.rowPtr[p + 1]; e++) {
        const q = s.colIdx[e];
        out[base + colBlock[q]] += t.colCuts[q + 1] - t.colCuts[q];
      }
    }
    for (let b = 0; b < k; b++) out[base + b] = blockLen[b] > 0 ? out[base + b] / blockLen[b] : 0;
  }
  return out;
}

/** Transposed unit term (rows ↔ columns). */
function transposeTerm(t: UnitTerm): UnitTerm {
  const s = t.summand;
  if (s.kind === 'dense') {
    const data =
      s.data instanceof Float32Array ? new Float32Array(s.data.length) : new Float64Array(s.data.length);
    for (let i = 0; i < s.unitRows; i++)
      for (let j = 0; j < s.unitCols; j++) data[j * s.unitRows + i] = s.data[i * s.unitCols + j];
    return {
      rowCuts: t.colCuts,
      colCuts: t.rowCuts,
      summand: { ...s, unitRows: s.unitCols, unitCols: s.unitRows, data },
    };
  }
  const counts = new Uint32Array(s.unitCols + 1);
  for (let e = 0; e < s.colIdx.length; e++) counts[s.colIdx[e] + 1]++;
  for (let j = 0; j < s.unitCols; j++) counts[j + 1] += counts[j];
  const rowPtr = counts.slice();
  const fill = counts.slice(0, s.unitCols);
  const colIdx = new Uint32Array(s.colIdx.length);
  for (let i = 0; i < s.unitRows; i++)
    for (let e = s.rowPtr[i]; e < s.rowPtr[i + 1]; e++) colIdx[fill[s.colIdx[e]]++] = i;
  return {
    rowCuts: t.colCuts,
    colCuts: t.rowCuts,
    summand: { ...s, unitRows: s.unitCols, unitCols: s.unitRows, rowPtr, colIdx },
  };
}

/**
 * Target profile of `fixed` at each row slot of `moving`: the length-weighted mean of fixed's row
 * profiles over the slot's interval.
 */
function targets(
  fixedProfiles: Float64Array,
  fixedCuts: Float64Array,
  slotCuts: Float64Array,
  k: number,
): Float64Array {
  const slots = slotCuts.length - 1;
  const out = new Float64Array(slots * k);
  let a = 0;
  for (let p = 0; p < slots; p++) {
    const lo = slotCuts[p];
    const hi = slotCuts[p + 1];
    while (a < fixedCuts.length - 2 && fixedCuts[a + 1] <= lo) a++;
    let total = 0;
    for (let u = a; u < fixedCuts.length - 1 && fixedCuts[u] < hi; u++) {
      const overlap = Math.min(hi, fixedCuts[u + 1]) - Math.max(lo, fixedCuts[u]);
      if (overlap <= 0) continue;
      total += overlap;
      for (let b = 0; b < k; b++) out[p * k + b] += overlap * fixedProfiles[u * k + b];
    }
    if (total > 0) for (let b = 0; b < k; b++) out[p * k + b] /= total;
  }
  return out;
}

/**
 * Improves the row permutation of `moving` (relative to its current order) by swaps of equal-length slots
 * that lower Σ_slots len · ‖profile − target‖². Returns the composed permutation (position → original unit).
 */
function improveRows(
  fixed: UnitTerm,
  moving: UnitTerm,
  movingPerm: Uint32Array,
  k: number,
  proposals: number,
  rng: Rng,
): Uint32Array {
  const fp = rowProfiles(fixed, k);
  const mp = rowProfiles(moving, k);
  const tg = targets(fp, fixed.rowCuts, moving.rowCuts, k);
  const slots = moving.rowCuts.length - 1;
  const len = lengths(moving.rowCuts);
  // assign[slot] = index (in moving's current order) of the unit sitting in the slot.
  const assign = identityPerm(slots);
  const cost = (unit: number, slot: number): number => {
    let c = 0;
    for (let b = 0; b < k; b++) {
      const d = mp[unit * k + b] - tg[slot * k + b];
      c += d * d;
    }
    return c * len[slot];
  };
  if (slots < 2) return movingPerm;
  for (let it = 0; it < proposals; it++) {
    const s1 = rng.int(slots);
    const s2 = rng.int(slots);
    if (s1 === s2 || Math.abs(len[s1] - len[s2]) > 1e-12) continue;
    const u1 = assign[s1];
    const u2 = assign[s2];
    const delta = cost(u1, s2) + cost(u2, s1) - cost(u1, s1) - cost(u2, s2);
    if (delta < -1e-15) {
      assign[s1] = u2;
      assign[s2] = u1;
    }
  }
  const out = new Uint32Array(slots);
  for (let p = 0; p < slots; p++) out[p] = movingPerm[assign[p]];
  return out;
}

export interface OptimizeSettings {
  profileBlocks: number;
  rounds: number;
  /** Swap proposals per unit and round. */
  proposalsPerUnit: number;
}

/**
 * The `optimized` alignment of `moving` against `fixed` (both already canonical): alternating row and
 * column swap phases. Returns `moving`'s new permutations relative to its original units.
 */
export function optimizeAlignment(
  fixed: UnitTerm,
  movingBase: UnitTerm,
  start: { rowPerm: Uint32Array; colPerm: Uint32Array },
  settings: OptimizeSettings,
  rng: Rng,
): { rowPerm: Uint32Array; colPerm: Uint32Array } {
  let { rowPerm, colPerm } = start;
  const fixedT = transposeTerm(fixed);
  for (let round = 0; round < settings.rounds; round++) {
    let moving = permuteTerm(movingBase, rowPerm, colPerm);
    rowPerm = improveRows(
      fixed,
      moving,
      rowPerm,
      settings.profileBlocks,
      settings.proposalsPerUnit * (moving.rowCuts.length - 1),
      rng,
    );
    moving = permuteTerm(movingBase, rowPerm, colPerm);
    colPerm = improveRows(
      fixedT,
      transposeTerm(moving),
      colPerm,
      settings.profileBlocks,
      settings.proposalsPerUnit * (moving.colCuts.length - 1),
      rng,
    );
  }
  return { rowPerm, colPerm };
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
