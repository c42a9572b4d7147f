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

export function networkHistogram(
  mask: BitMatrix,
  options: NetworkHistogramOptions = {},
): NetworkHistogramResult {
  checkMask(mask);
  const { rows, cols, words, wordsPerRow } = mask;
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
  const forRow = (r: number, fn: (c: number) => void) => {
    const base = r * wordsPerRow;
    for (let w = 0; w < wordsPerRow; w++) {
      let x = words[base + w];
      while (x !== 0) {
        const low = x & -x;
        fn((w << 5) + 31 - clz32(low));
        x ^= low;
      }
    }
  };
  for (let r = 0; r < rows; r++) {
    forRow(r, (c) => {
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
    forRow(r, (c) => {
      colRows[fill[c]++] = r;
    });
  }

  let ll = 0;
  for (let a = 0; a < k; a++) for (let b = 0; b < l; b++) ll += negEntropy(e[a * l + b], nr[a] * nc[b]);
  let accepted = 0;
  let rejectedRun = 0;
  const pRow = rows / (rows + cols);
  for (let it = 0; it < maxProposals && rejectedRun < rows + cols; it++) {
    if ((k > 1 && rng.uniform() < pRow) || l === 1) {
      if (k === 1) break;
      const i = rng.int(rows);
      const j = rng.int(rows);
      const a = rg[i];
      const b = rg[j];
      if (a === b) {
        rejectedRun++;
        continue;
      }
      let delta = 0;
      for (let c = 0; c < l; c++) {
        const d = R[j * l + c] - R[i * l + c];
        const na = nr[a] * nc[c];
        const nb = nr[b] * nc[c];
        delta += negEntropy(e[a * l + c] + d, na) - negEntropy(e[a * l + c], na);
        delta += negEntropy(e[b * l + c] - d, nb) - negEntropy(e[b * l + c], nb);
      }
      if (delta > 1e-10) {
        for (let c = 0; c < l; c++) {
          const d = R[j * l + c] - R[i * l + c];
          e[a * l + c] += d;
          e[b * l + c] -= d;
        }
        rg[i] = b;
        rg[j] = a;
        forRow(i, (c) => {
          C[c * k + a]--;
          C[c * k + b]++;
        });
        forRow(j, (c) => {
          C[c * k + b]--;
          C[c * k + a]++;
        });
        ll += delta;
        accepted++;
        rejectedRun = 0;
      } else rejectedRun++;
    } else {
      const i = rng.int(cols);
      const j = rng.int(cols);
      const a = cg[i];
      const b = cg[j];
      if (a === b) {
        rejectedRun++;
        continue;
      }
      let delta = 0;
      for (let r = 0; r < k; r++) {
        const d = C[j * k + r] - C[i * k + r];
        const na = nr[r] * nc[a];
        const nb = nr[r] * nc[b];
        delta += negEntropy(e[r * l + a] + d, na) - negEntropy(e[r * l + a], na);
        delta += negEntropy(e[r * l + b] - d, nb) - negEntropy(e[r * l + b], nb);
      }
      if (delta > 1e-10) {
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
        ll += delta;
        accepted++;
        rejectedRun = 0;
      } else rejectedRun++;
    }
  }
  // Order groups by mean degree, descending (stable).
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
  return {
    graphon: new StepGraphon(rowCuts, colCuts, values),
    rowGroups: rg,
    colGroups: cg,
    logLikelihood: ll,
    accepted,
  };
}

