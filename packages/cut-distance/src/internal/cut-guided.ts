/**
 * Cut-guided local moves for the `optimized` alignment (our heuristic; see `alignment.ts`).
 *
 * Round k: build D = U − W^{φ,ψ} on the common refinement, find a witness cut (S, T) with value
 * v = ∫_{S×T} D by local search, then move W's mass on S × T towards U's: for rows (even rounds) compute
 * each W unit row's integral x_a = ∫_T W(a, ·) and the fraction f_a of the unit inside S; if v > 0 swap
 * equal-length units "inside S with small x" against "outside S with large x" (if v < 0 the reverse), at
 * most ⌈swapFraction · units⌉ pairs, each of which strictly moves ∫_{S×T} W in the wanted direction; columns
 * likewise in odd rounds. The state with the smallest witness |v| is returned.
 *
 * Cost per round: one local-search cut norm plus O(nnz + pieces).
 */
import type { Rng } from '@graphon-pai/core';
import { permuteTerm } from '../alignment';
import { buildOperator, type UnitTerm } from '../cut-input';
import { localSearch } from '../cut-norm';

export interface CutGuidedSettings {
  rounds: number;
  swapFraction: number;
  starts: number;
}

function lengthsOf(cuts: Float64Array): Float64Array {
  const w = new Float64Array(cuts.length - 1);
  for (let i = 0; i < w.length; i++) w[i] = cuts[i + 1] - cuts[i];
  return w;
}

export function cutGuidedAlignment(
  fixed: UnitTerm,
  movingBase: UnitTerm,
  start: { rowPerm: Uint32Array; colPerm: Uint32Array },
  settings: CutGuidedSettings,
  rng: Rng,
): { rowPerm: Uint32Array; colPerm: Uint32Array; estimate: number } {
  const rowPerm = start.rowPerm.slice();
  const colPerm = start.colPerm.slice();
  const baseRowLen = lengthsOf(movingBase.rowCuts);
  const baseColLen = lengthsOf(movingBase.colCuts);
  let best = { rowPerm: rowPerm.slice(), colPerm: colPerm.slice(), estimate: Infinity };
  for (let round = 0; round <= settings.rounds; round++) {
    const moving = permuteTerm(movingBase, rowPerm, colPerm);
    const prepared = buildOperator([
      { term: fixed, coef: 1 },
      { term: moving, coef: -1 },
    ]);
    const { op } = prepared;
    const { cut } = localSearch(prepared, settings.starts, rng);
    const v = op.cutValue(cut.s, cut.t);
    if (Math.abs(v) < best.estimate)
      best = { rowPerm: rowPerm.slice(), colPerm: colPerm.slice(), estimate: Math.abs(v) };
    if (round === settings.rounds || v === 0) break;
    const w = op.summands[1];
    const rowsPhase = round % 2 === 0;
    const units = rowsPhase ? w.unitRows : w.unitCols;
    const otherUnits = rowsPhase ? w.unitCols : w.unitRows;
    // Measure of the witness set on W's other axis, per unit (τ), and the fraction of each unit in the set.
    const otherInd = rowsPhase ? cut.t : cut.s;
    const otherMap = rowsPhase ? w.colMap : w.rowMap;
    const otherW = rowsPhase ? op.colWeights : op.rowWeights;
    const tau = new Float64Array(otherUnits);
    for (let q = 0; q < otherInd.length; q++) if (otherInd[q]) tau[otherMap ? otherMap[q] : q] += otherW[q];
    const ownInd = rowsPhase ? cut.s : cut.t;
    const ownMap = rowsPhase ? w.rowMap : w.colMap;
    const ownW = rowsPhase ? op.rowWeights : op.colWeights;
    const inside = new Float64Array(units);
    for (let p = 0; p < ownInd.length; p++) if (ownInd[p]) inside[ownMap ? ownMap[p] : p] += ownW[p];
    const len = rowsPhase ? moving.rowCuts : moving.colCuts;
    const x = new Float64Array(units);
    if (w.kind === 'dense') {
      const n = w.unitCols;
      for (let a = 0; a < w.unitRows; a++) {
        for (let c = 0; c < n; c++) {
          const val = w.data[a * n + c];
          if (rowsPhase) x[a] += val * tau[c];
          else x[c] += val * tau[a];
        }
      }
    } else {
      for (let a = 0; a < w.unitRows; a++) {
        for (let e = w.rowPtr[a]; e < w.rowPtr[a + 1]; e++) {
          const c = w.colIdx[e];
          if (rowsPhase) x[a] += tau[c];
          else x[c] += tau[a];
        }
      }
    }
    // Densities: x per unit length of the moved unit.
    const inSlots: number[] = [];
    const outSlots: number[] = [];
    for (let u = 0; u < units; u++) {
      const l = len[u + 1] - len[u];
      if (inside[u] >= 0.5 * l) inSlots.push(u);
      else outSlots.push(u);
      x[u] /= l;
    }
    // v > 0: U exceeds W on S × T, bring heavy W units in; v < 0: take them out.
    const dir = v > 0 ? 1 : -1;
    inSlots.sort((a, b) => dir * (x[a] - x[b]));
    outSlots.sort((a, b) => dir * (x[b] - x[a]));
    const perm = rowsPhase ? rowPerm : colPerm;
    const baseLen = rowsPhase ? baseRowLen : baseColLen;
    const maxSwaps = Math.max(1, Math.ceil(settings.swapFraction * units));
    let swaps = 0;
    for (let i = 0, j = 0; i < inSlots.length && j < outSlots.length && swaps < maxSwaps; ) {
      const a = inSlots[i];
      const b = outSlots[j];
      if (dir * (x[b] - x[a]) <= 0) break;
      if (Math.abs(baseLen[perm[a]] - baseLen[perm[b]]) > 1e-12) {
        j++;
        continue;
      }
      const t = perm[a];
      perm[a] = perm[b];
      perm[b] = t;
      swaps++;
      i++;
      j++;
    }
  }
  return best;
}
