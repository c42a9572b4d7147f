/**
 * The FSM-limit double sum of the `apps/cli` experiment as it stood before it moved into this package
 * (`apps/cli/src/experiment/predicted-limit.ts`, commit 9c071ef), kept verbatim as the slow reference for
 * `empiricalFsmLimit`: a plain n·d double sum over every pair, Illinois regula falsi on log τ.
 */
import { NumericalError, StepGraphon } from '@graphon-pai/core';
import { blockCuts, blockStarts } from '../src/canonical';
import type { Distribution } from '../src/distributions';

export interface PredictedLimit {
  tau: number;
  /** Density met by τ (|achieved − p| ≤ 1e-9). */
  achieved: number;
  graphon: StepGraphon;
}

/** Indices sorting `x` descending (ties keep index order). */
function orderDescending(x: Float64Array): Uint32Array {
  const idx = Uint32Array.from(x, (_, i) => i);
  return idx.sort((a, b) => x[b] - x[a] || a - b);
}

export function referencePredictedLimit(
  rowFactor: Float64Array,
  colFactor: Float64Array,
  noise: Distribution,
  density: number,
  blocks: { rowBlocks: number; colBlocks: number },
): PredictedLimit {
  const rows = rowFactor.length;
  const cols = colFactor.length;
  const a = Float64Array.from(orderDescending(rowFactor), (j) => rowFactor[j]);
  const b = Float64Array.from(orderDescending(colFactor), (i) => colFactor[i]);
  let activeCols = cols;
  while (activeCols > 0 && b[activeCols - 1] <= 0) activeCols--;
  const densityAt = (logTau: number): number => {
    const tau = Math.exp(logTau);
    let s = 0;
    for (let j = 0; j < rows; j++) {
      if (a[j] <= 0) break;
      for (let i = 0; i < activeCols; i++) s += noise.ge(tau / (a[j] * b[i]));
    }
    return s / (rows * cols);
  };
  // Bracket: D is non-increasing in τ; D(lo) ≥ p ≥ D(hi).
  let lo = -1;
  let hi = 1;
  let dLo = densityAt(lo);
  for (let k = 0; dLo < density && k < 200; k++) dLo = densityAt((lo -= 2));
  let dHi = densityAt(hi);
  for (let k = 0; dHi > density && k < 200; k++) dHi = densityAt((hi += 2));
  if (dLo < density || dHi > density) {
    throw new NumericalError(`cannot bracket the FSM threshold for density ${density}`, {
      fix: 'check that the factors are non-negative and not all zero',
    });
  }
  let side = 0;
  let logTau = lo;
  let achieved = dLo;
  for (let it = 0; it < 200 && Math.abs(achieved - density) > 1e-9; it++) {
    // Illinois: halve the stale endpoint's weight when the same side is kept twice.
    const fLo = dLo - density;
    const fHi = dHi - density;
    logTau = fLo === fHi ? (lo + hi) / 2 : (lo * fHi - hi * fLo) / (fHi - fLo);
    if (!(logTau > lo && logTau < hi)) logTau = (lo + hi) / 2;
    achieved = densityAt(logTau);
    if (achieved > density) {
      lo = logTau;
      dLo = achieved;
      if (side === -1) dHi = density + (dHi - density) / 2;
      side = -1;
    } else {
      hi = logTau;
      dHi = achieved;
      if (side === 1) dLo = density + (dLo - density) / 2;
      side = 1;
    }
  }
  if (Math.abs(achieved - density) > 1e-9) {
    throw new NumericalError(`FSM threshold did not converge (density ${achieved} for target ${density})`);
  }
  const tau = Math.exp(logTau);
  const rs = blockStarts(rows, blocks.rowBlocks);
  const cs = blockStarts(cols, blocks.colBlocks);
  const values = new Float64Array(blocks.rowBlocks * blocks.colBlocks);
  for (let p = 0; p < blocks.rowBlocks; p++) {
    for (let q = 0; q < blocks.colBlocks; q++) {
      let s = 0;
      for (let j = rs[p]; j < rs[p + 1]; j++) {
        for (let i = cs[q]; i < cs[q + 1]; i++) s += a[j] > 0 && b[i] > 0 ? noise.ge(tau / (a[j] * b[i])) : 0;
      }
      values[p * blocks.colBlocks + q] = s / ((rs[p + 1] - rs[p]) * (cs[q + 1] - cs[q]));
    }
  }
  return {
    tau,
    achieved,
    graphon: new StepGraphon(blockCuts(rows, blocks.rowBlocks), blockCuts(cols, blocks.colBlocks), values),
  };
}
