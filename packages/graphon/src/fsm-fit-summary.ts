/**
 * An FSM fit at a glance (what `graphon-pai limit --fit` prints and records): the fit's size, zero
 * structure, noise scale and convergence, and each factor vector as a five-number summary with its mean and
 * number of zeros. Quantiles interpolate linearly between order statistics (numpy's default `linear`
 * method): with x₍₀₎ ≤ … ≤ x₍ₙ₋₁₎ and t = q·(n − 1), Q(q) = x₍⌊t⌋₎ + (t − ⌊t⌋)·(x₍⌊t⌋₊₁₎ − x₍⌊t⌋₎).
 *
 * @example
 * const s = summarizeFsmFit(fitFsm(scores, { rows, cols }));
 * s.colFactors.mean; // 1 (the fit's gauge)
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import type { FsmFit } from './fit-fsm';

/** Five-number summary, mean and zero count of a vector. */
export interface FactorSummary {
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  mean: number;
  zeros: number;
}

/** The {@link FactorSummary} of a non-empty vector of finite numbers. */
export function factorSummary(x: ArrayLike<number>): FactorSummary {
  if (x.length === 0) throw new InvalidArgumentError('x', 'an empty vector', 'at least one number');
  const s = Float64Array.from(x).sort();
  const at = (q: number): number => {
    const t = q * (s.length - 1);
    const i = Math.floor(t);
    return i + 1 < s.length ? s[i] + (t - i) * (s[i + 1] - s[i]) : s[i];
  };
  let sum = 0;
  let zeros = 0;
  for (const v of s) {
    sum += v;
    if (v === 0) zeros++;
  }
  return {
    min: s[0],
    q1: at(0.25),
    median: at(0.5),
    q3: at(0.75),
    max: s[s.length - 1],
    mean: sum / s.length,
    zeros,
  };
}

/** The numbers of an FSM fit (see the file header). */
export interface FsmFitSummary {
  rows: number;
  cols: number;
  zeroFraction: number;
  zeroRows: number;
  zeroCols: number;
  logSigma: number;
  sweeps: number;
  converged: boolean;
  rowFactors: FactorSummary;
  colFactors: FactorSummary;
}

/** The {@link FsmFitSummary} of a fit. */
export function summarizeFsmFit(fit: FsmFit): FsmFitSummary {
  return {
    rows: fit.rows,
    cols: fit.cols,
    zeroFraction: fit.zeroFraction,
    zeroRows: fit.zeroRows,
    zeroCols: fit.zeroCols,
    logSigma: fit.logSigma,
    sweeps: fit.sweeps,
    converged: fit.converged,
    rowFactors: factorSummary(fit.rowFactors),
    colFactors: factorSummary(fit.colFactors),
  };
}
