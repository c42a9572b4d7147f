/**
 * Frieze–Kannan weak-regularity (cut) decomposition.
 *
 *     U ≈ Σ_{i=1}^{k} d_i · 1_{S_i × T_i},     R_k = U − Σ d_i 1_{S_i×T_i}
 *
 * Greedy construction (Frieze & Kannan 1999; Lovász 2012, ch. 9): at step i find a cut (S, T) of the
 * residual with value v = ∫_{S×T} R_{i−1} (the best cut found by `method`), set d = v / (|S||T|) and
 * subtract. Then ‖R_i‖_2² = ‖R_{i−1}‖_2² − v²/(|S||T|) ≤ ‖R_{i−1}‖_2² − v², so when every step finds a cut
 * of value ≥ ‖R_{i−1}‖_□, summing and using ‖R_k‖_□ ≤ ‖R_k‖_2 gives Σ_{i=0}^{k} ‖R_i‖_□² ≤ ‖U‖_2²: the best
 * residual satisfies min_{i≤k} ‖R_i‖_□ ≤ ‖U‖_2/√(k+1). (Cut norms of successive residuals need not
 * decrease, so this is not a bound on the last residual alone.) Here the cuts come from a heuristic or
 * SDP method, so the guarantee holds only as far as each found cut is near-optimal; the returned residual
 * cut norm (with its lower and, when computed, upper bound) says what was reached.
 *
 * The residual is kept as the input operator plus rank-one terms: no densification.
 *
 * @example
 * const fk = weakRegularity(mask, { steps: 8, method: 'local', seed: 1 });
 * fk.terms[0].coefficient; fk.residual.upperBound;
 */
import { InvalidArgumentError, Rng } from '@graphon-pai/core';
import { type CutNormInput, prepareInput } from './cut-input';
import { type CutNormOptions, type CutNormResult, cutNormPrepared, resolveOptions } from './cut-norm';
import { lpNorms } from './lp-distance';

export interface WeakRegularityOptions extends CutNormOptions {
  /** Number of cuts k. Default 8. */
  steps?: number;
}

export interface CutTermOfDecomposition {
  /** Row pieces of S (of `rowCuts`). */
  rows: Uint32Array;
  cols: Uint32Array;
  /** d_i. */
  coefficient: number;
  /** |S| and |T| (Lebesgue measure). */
  rowMeasure: number;
  colMeasure: number;
  /** ∫_{S×T} R_{i−1}. */
  cutValue: number;
}

export interface WeakRegularityResult {
  terms: CutTermOfDecomposition[];
  /** Cut norm of the final residual (bounds as in {@link cutNorm}). */
  residual: CutNormResult;
  /** ‖R_i‖_2 after each step (index 0 = ‖U‖_2). */
  residualL2: number[];
  rowCuts: Float64Array;
  colCuts: Float64Array;
}

export function weakRegularity(x: CutNormInput, options: WeakRegularityOptions = {}): WeakRegularityResult {
  const steps = options.steps ?? 8;
  if (!(Number.isInteger(steps) && steps >= 1 && steps <= 10000)) {
    throw new InvalidArgumentError('options.steps', steps, 'an integer in [1, 10000]');
  }
  const opts = resolveOptions(options);
  const prepared = prepareInput(x, 'x');
  try {
    const { op } = prepared;
    const terms: CutTermOfDecomposition[] = [];
    const residualL2 = [lpNorms(prepared).l2];
    const rng = new Rng(opts.seed);
    for (let i = 0; i < steps; i++) {
      const r = cutNormPrepared(prepared, { ...opts, seed: rng.uint32(), certify: false });
      const s = new Float64Array(op.rows);
      const t = new Float64Array(op.cols);
      let mu = 0;
      let nu = 0;
      for (const p of r.cut.rows) {
        s[p] = 1;
        mu += op.rowWeights[p];
      }
      for (const q of r.cut.cols) {
        t[q] = 1;
        nu += op.colWeights[q];
      }
      const value = op.cutValue(s, t);
      if (mu === 0 || nu === 0 || value === 0) break;
      const d = value / (mu * nu);
      op.rankOne.push({ coef: -d, s, t });
      terms.push({
        rows: r.cut.rows,
        cols: r.cut.cols,
        coefficient: d,
        rowMeasure: mu,
        colMeasure: nu,
        cutValue: value,
      });
      residualL2.push(lpNorms(prepared).l2);
    }
    const residual = cutNormPrepared(prepared, opts);
    return { terms, residual, residualL2, rowCuts: prepared.rowCuts, colCuts: prepared.colCuts };
  } finally {
    prepared.op.release();
  }
}
