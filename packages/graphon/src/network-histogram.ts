/**
 * Network histogram (Olhede & Wolfe 2014), bipartite version: a `K × L` block model fitted by profile
 * likelihood with fixed group sizes.
 *
 * Rows are split into K groups and columns into L groups of near-equal sizes (bandwidth: the bipartite
 * plug-in rule, {@link pluginBlocks}, unless K and L are given). With `e_ab` ones among the `n_ab = |a|·|b|`
 * pairs of block (a, b), the profile log-likelihood is
 *
 *     ℓ = Σ_ab n_ab [ θ_ab ln θ_ab + (1 − θ_ab) ln(1 − θ_ab) ],   θ_ab = e_ab / n_ab   (0 ln 0 = 0).
 *
 * Start: groups of the canonical (degree-sorted) order. Search: greedy pairwise swaps, as in the reference
 * `nethist` code — draw two rows (or two columns, with probability cols / (rows + cols)) in different
 * groups, swap them if ℓ increases. A swap's change is computed in O(L) (resp. O(K)) from per-row counts
 * `R_rb` (ones of row r in column group b) and per-column counts `C_ca`, updated in O(degree) on
 * acceptance. Stops after `maxProposals` (default 20·(rows + cols)) or when `rows + cols` proposals in a row
 * were rejected. Groups are finally ordered by their mean degree (descending), so the returned step graphon
 * is in the same orientation as the other estimators.
 *
 * Seeded (`seed`, default 0). Complexity: O(nnz + (K + L)·proposals + Σ accepted degrees).
 *
 * @example
 * const { graphon, rowGroups, colGroups } = networkHistogram(mask, { seed: 1 });
 *
 * Reference: S. C. Olhede, P. J. Wolfe, "Network histograms and universality of blockmodel approximation",
 * PNAS 111 (2014) 14722–14727.
 */
import { type BitMatrix, InvalidArgumentError, Rng, type Seed, StepGraphon } from '@graphon-pai/core';
import { pluginBlocks } from './bandwidth';
import { blockAssignment, blockStarts, canonicalOrder, checkBlocks, checkMask } from './canonical';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { clz32, log } = Math;

export interface NetworkHistogramOptions {
  rowBlocks?: number;
  colBlocks?: number;
  seed?: Seed;
  maxProposals?: number;
}

export interface NetworkHistogramResult {
  readonly graphon: StepGraphon;
  /** Group (0 = highest mean degree) of each original row. */
  readonly rowGroups: Uint32Array;
  readonly colGroups: Uint32Array;
  readonly logLikelihood: number;
  readonly accepted: number;
}

function negEntropy(e: number, n: number): number {
  if (e <= 0 || e >= n) return 0;
  const t = e / n;
  return n * (t * log(t) + (1 - t) * log(1 - t));
}

/**
 * The block model under search: group of every row (`rg`) and column (`cg`), block sizes (`nr`, `nc`), edge
 * counts of every row per column group (`R`, rows × l), of every column per row group (`C`, cols × k) and
 * per block (`e`, k × l), and each column's set rows (`colPtr`/`colRows`) for column swaps.
 */
interface BlockModel {
  readonly mask: BitMatrix;
  readonly k: number;
  readonly l: number;
  readonly rg: Uint32Array;
  readonly cg: Uint32Array;
  readonly nr: Float64Array;
  readonly nc: Float64Array;
  readonly R: Float64Array;
  readonly C: Float64Array;
  readonly e: Float64Array;
  readonly colPtr: Uint32Array;
  readonly colRows: Uint32Array;
}

/** Calls `fn(c)` for every set column of row `r`, increasing. */
function forEachInRow(mask: BitMatrix, r: number, fn: (c: number) => void): void {
  const { words, wordsPerRow } = mask;
  const base = r * wordsPerRow;
  for (let w = 0; w < wordsPerRow; w++) {
    let x = words[base + w];
    while (x !== 0) {
      const low = x & -x;
      fn((w << 5) + 31 - clz32(low));
      x ^= low;
    }
  }
}

/** The starting block model: rows and columns in canonical order, cut into k × l near-equal blocks. */
function initialBlockModel(mask: BitMatrix, k: number, l: number): BlockModel {
  const { rows, cols } = mask;
  const order = canonicalOrder(mask);
  const rg = blockAssignment(order.rowOrder, k);
  const cg = blockAssignment(order.colOrder, l);
  const rs = blockStarts(rows, k);
  const cs = blockStarts(cols, l);
  const nr = new Float64Array(k);
  const nc = new Float64Array(l);
  for (let a = 0; a < k; a++) nr[a] = rs[a + 1] - rs[a];
  for (let b = 0; b < l; b++) nc[b] = cs[b + 1] - cs[b];
  const R = new Float64Array(rows * l);
  const C = new Float64Array(cols * k);
  const e = new Float64Array(k * l);
  for (let r = 0; r < rows; r++) {
    forEachInRow(mask, r, (c) => {
      R[r * l + cg[c]]++;
      C[c * k + rg[r]]++;
      e[rg[r] * l + cg[c]]++;
    });
  }
  // Column lists for column swaps (set rows of each column).
  const colPtr = new Uint32Array(cols + 1);
  for (const d of order.colDegrees.keys()) colPtr[d + 1] = order.colDegrees[d];
  for (let c = 0; c < cols; c++) colPtr[c + 1] += colPtr[c];
  const colRows = new Uint32Array(colPtr[cols]);
  const fill = colPtr.slice(0, cols);
  for (let r = 0; r < rows; r++) {
    forEachInRow(mask, r, (c) => {
      colRows[fill[c]++] = r;
    });
  }
  return { mask, k, l, rg, cg, nr, nc, R, C, e, colPtr, colRows };
}

/** Bernoulli log-likelihood of the block model (sum of the blocks' negative entropies). */
function logLikelihood({ k, l, nr, nc, e }: BlockModel): number {
  let ll = 0;
  for (let a = 0; a < k; a++) for (let b = 0; b < l; b++) ll += negEntropy(e[a * l + b], nr[a] * nc[b]);
  return ll;
}

/** Change of the log-likelihood when rows i and j (in different groups) swap groups. */
function rowSwapDelta({ l, rg, nr, nc, R, e }: BlockModel, i: number, j: number): number {
  const a = rg[i];
  const b = rg[j];
  let delta = 0;
  for (let c = 0; c < l; c++) {
    const d = R[j * l + c] - R[i * l + c];
    const na = nr[a] * nc[c];
    const nb = nr[b] * nc[c];
    delta += negEntropy(e[a * l + c] + d, na) - negEntropy(e[a * l + c], na);
    delta += negEntropy(e[b * l + c] - d, nb) - negEntropy(e[b * l + c], nb);
  }
  return delta;
}

/** Swaps the groups of rows i and j and updates the counts. */
function swapRows({ mask, k, l, rg, R, C, e }: BlockModel, i: number, j: number): void {
  const a = rg[i];
  const b = rg[j];
  for (let c = 0; c < l; c++) {
    const d = R[j * l + c] - R[i * l + c];
    e[a * l + c] += d;
    e[b * l + c] -= d;
  }
  rg[i] = b;
  rg[j] = a;
  forEachInRow(mask, i, (c) => {
    C[c * k + a]--;
    C[c * k + b]++;
  });
  forEachInRow(mask, j, (c) => {
    C[c * k + b]--;
    C[c * k + a]++;
  });
}

/** Change of the log-likelihood when columns i and j (in different groups) swap groups. */
function colSwapDelta({ k, l, cg, nr, nc, C, e }: BlockModel, i: number, j: number): number {
  const a = cg[i];
  const b = cg[j];
  let delta = 0;
  for (let r = 0; r < k; r++) {
    const d = C[j * k + r] - C[i * k + r];
    const na = nr[r] * nc[a];
    const nb = nr[r] * nc[b];
    delta += negEntropy(e[r * l + a] + d, na) - negEntropy(e[r * l + a], na);
    delta += negEntropy(e[r * l + b] - d, nb) - negEntropy(e[r * l + b], nb);
  }
  return delta;
}

/** Swaps the groups of columns i and j and updates the counts. */
function swapCols({ k, l, cg, R, C, e, colPtr, colRows }: BlockModel, i: number, j: number): void {
  const a = cg[i];
  const b = cg[j];
  for (let r = 0; r < k; r++) {
    const d = C[j * k + r] - C[i * k + r];
    e[r * l + a] += d;
    e[r * l + b] -= d;
  }
  cg[i] = b;
  cg[j] = a;
  for (let p = colPtr[i]; p < colPtr[i + 1]; p++) {
    R[colRows[p] * l + a]--;
    R[colRows[p] * l + b]++;
  }
  for (let p = colPtr[j]; p < colPtr[j + 1]; p++) {
    R[colRows[p] * l + b]--;
    R[colRows[p] * l + a]++;
  }
}

/**
 * The fitted step graphon with groups renumbered by mean degree, descending (stable): block values
 * `e / (n_a n_b)` and cut points from the block sizes. Renumbers `rg` and `cg` in place.
 */
function orderedHistogram({ mask, k, l, rg, cg, nr, nc, e }: BlockModel): StepGraphon {
  const { rows, cols } = mask;
  const rowMean = Array.from({ length: k }, (_, a) => {
    let s = 0;
    for (let b = 0; b < l; b++) s += e[a * l + b];
    return s / nr[a];
  });
  const colMean = Array.from({ length: l }, (_, b) => {
    let s = 0;
    for (let a = 0; a < k; a++) s += e[a * l + b];
    return s / nc[b];
  });
  const ro = Array.from({ length: k }, (_, a) => a).sort((p, q) => rowMean[q] - rowMean[p]);
  const co = Array.from({ length: l }, (_, b) => b).sort((p, q) => colMean[q] - colMean[p]);
  const rowRank = new Uint32Array(k);
  const colRank = new Uint32Array(l);
  for (let i = 0; i < k; i++) rowRank[ro[i]] = i;
  for (let i = 0; i < l; i++) colRank[co[i]] = i;
  const rowCuts = new Float64Array(k + 1);
  const colCuts = new Float64Array(l + 1);
  for (let i = 0; i < k; i++) rowCuts[i + 1] = rowCuts[i] + nr[ro[i]] / rows;
  for (let i = 0; i < l; i++) colCuts[i + 1] = colCuts[i] + nc[co[i]] / cols;
  rowCuts[k] = 1;
  colCuts[l] = 1;
  const values = new Float64Array(k * l);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < l; j++) values[i * l + j] = e[ro[i] * l + co[j]] / (nr[ro[i]] * nc[co[j]]);
  for (let r = 0; r < rows; r++) rg[r] = rowRank[rg[r]];
  for (let c = 0; c < cols; c++) cg[c] = colRank[cg[c]];
  return new StepGraphon(rowCuts, colCuts, values);
}

export function networkHistogram(
  mask: BitMatrix,
  options: NetworkHistogramOptions = {},
): NetworkHistogramResult {
  checkMask(mask);
  const { rows, cols } = mask;
  const plug =
    options.rowBlocks === undefined || options.colBlocks === undefined ? pluginBlocks(mask) : undefined;
  const { rowBlocks: k, colBlocks: l } = checkBlocks(mask, {
    rowBlocks: options.rowBlocks ?? plug!.rowBlocks,
    colBlocks: options.colBlocks ?? plug!.colBlocks,
  });
  const maxProposals = options.maxProposals ?? 20 * (rows + cols);
  if (!(Number.isInteger(maxProposals) && maxProposals >= 0)) {
    throw new InvalidArgumentError('options.maxProposals', maxProposals, 'a non-negative integer');
  }
  const rng = new Rng(options.seed ?? 0);
  const model = initialBlockModel(mask, k, l);
  const { rg, cg } = model;

  // Greedy swaps: propose a row pair (probability rows / (rows + cols)) or a column pair, keep it when the
  // likelihood rises; stop after maxProposals or rows + cols rejections in a row.
  let ll = logLikelihood(model);
  let accepted = 0;
  let rejectedRun = 0;
  const pRow = rows / (rows + cols);
  for (let it = 0; it < maxProposals && rejectedRun < rows + cols; it++) {
    const rowMove = (k > 1 && rng.uniform() < pRow) || l === 1;
    if (rowMove && k === 1) break;
    const groups = rowMove ? rg : cg;
    const n = rowMove ? rows : cols;
    const i = rng.int(n);
    const j = rng.int(n);
    if (groups[i] === groups[j]) {
      rejectedRun++;
      continue;
    }
    const delta = rowMove ? rowSwapDelta(model, i, j) : colSwapDelta(model, i, j);
    if (delta > 1e-10) {
      if (rowMove) swapRows(model, i, j);
      else swapCols(model, i, j);
      ll += delta;
      accepted++;
      rejectedRun = 0;
    } else rejectedRun++;
  }
  return { graphon: orderedHistogram(model), rowGroups: rg, colGroups: cg, logLikelihood: ll, accepted };
}
