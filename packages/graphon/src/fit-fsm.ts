/**
 * Fits the Factorised Saliency Model to an observed score matrix: the inverse of {@link fsmLimit}
 * (row and column effects of log |s|; docs: concepts/factorised-saliency-model).
 *
 * Model, on a `rows × cols` score matrix `s` (rows = output neurons, cols = inputs, row-major; signed scores
 * are taken in magnitude):
 *
 *     log|s_ji| = α_j + β_i + ε_ji     for every non-zero s_ji (the set S),
 *     A_j = e^{α_j},  B_i = e^{β_i},  ξ_ji = |s_ji| / (A_j B_i) = e^{ε_ji}
 *
 * a two-way additive (rank-one in the log domain) least-squares fit on the non-zero pattern:
 * `min Σ_{(j,i)∈S} (log|s_ji| − α_j − β_i)²`. Zeros never enter a logarithm, so they cannot produce −∞:
 * - a row (column) whose scores are all zero gets factor `A_j = 0` (`B_i = 0`): the model predicts it is
 *   never kept, which is exactly what the FSM limit does with zero factors (SNIP's empty input columns);
 * - an isolated zero inside active rows and columns is noise: `ξ_ji = 0` in the noise sample (an atom at 0).
 *
 * Algorithm: exact alternating means (backfitting, i.e. Gauss–Seidel on the normal equations):
 * `α_j ← mean_{i∈S_j}(y_ji − β_i)`, then `β_i ← mean_{j∈S^i}(y_ji − α_j)`. Only the row/column sums of
 * `y = log|s|` and the zeros inside the active block ("holes") are needed, so one sweep costs
 * O(rows + cols + holes), after one O(rows·cols) pass that takes the logarithms. With no holes the first
 * sweep is already the exact least-squares solution (the second only confirms it); with holes each sweep
 * decreases the (convex) objective and the iteration converges linearly. It stops when no effect moves by
 * more than `tolerance` (default 1e-10) or after `maxSweeps` (default 200) sweeps: it always terminates,
 * and `converged` reports which happened.
 *
 * Gauge (the fit determines only `A_j·B_i` and the scale of ξ): the log residuals have mean 0 over S (the
 * geometric mean of the non-zero noise is 1), the input factors have arithmetic mean 1 over all columns
 * (as `@graphon-pai/saliency`'s `fsmFactors`), and `A` carries the overall scale. The limit graphon does not
 * depend on the gauge.
 *
 * Noise law: the empirical sample `ξ_ji = |s_ji|/(A_j B_i)` over all pairs of active rows and columns
 * (zeros included), as an interpolated empirical law (`empiricalDistribution`); also a log-normal
 * summary with `σ = √(mean_S ε²)` (the RMS log residual; for a correct model it estimates the noise's
 * log-scale, biased low by the factor √(1 − (R + C − 1)/|S|) for R active rows and C active columns).
 *
 * The predicted limit at a density is the exact finite FSM limit of the fitted factors
 * ({@link empiricalFsmLimit}).
 *
 * Complexity: O(rows·cols) for the log pass and the noise sample (2 logarithms per non-zero score), plus
 * O(sweeps·(rows + cols + holes)); a 1024 × 784 matrix fits in a few tens of milliseconds. Memory: the noise
 * sample (8 bytes per active pair) plus O(rows + cols + holes).
 *
 * Errors: `InvalidArgumentError` for a shape that does not match the scores, NaN or ±Infinity scores, an
 * all-zero matrix, and bad options.
 *
 * @example
 * const fit = fitFsm(scores, { rows: 1024, cols: 784 });
 * fit.rowFactors;            // A_j (0 for rows whose scores are all zero)
 * fit.colFactors;            // B_i, mean 1
 * fit.logSigma;              // spread of the noise in log scale
 * const limit = fit.limit(0.1);
 * limit.toStepGraphon(32, 32); // compare with canonicalHistogram(mask, { rowBlocks: 32, colBlocks: 32 })
 *
 * Reference: Pham, Ta, Tran-Thanh, "Pruning at Initialisation through the lens of Graphon Limit", ICML 2026,
 * arXiv 2602.06675 (the FSM in this form is this project's reconstruction; docs: concepts/factorised-saliency-model); backfitting:
 * Hastie & Tibshirani, "Generalized Additive Models" (1990), §4.
 */
import { checkPositiveInteger, InvalidArgumentError, type LayerShape } from '@graphon-pai/core';
import { type Distribution, empiricalDistribution, type NamedDistribution } from './distributions';
import { type EmpiricalFsmLimit, type EmpiricalFsmLimitOptions, empiricalFsmLimit } from './empirical-fsm';
import type { FsmModel } from './fsm';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { abs, exp, log, max, sqrt } = Math;

export interface FsmFitOptions {
  /** Largest change of a log effect (α_j or β_i) in a sweep at which the fit stops (default 1e-10). */
  tolerance?: number;
  /** Maximum number of alternating sweeps (default 200). */
  maxSweeps?: number;
}

export interface FsmFitLimitOptions extends EmpiricalFsmLimitOptions {
  /** Noise law of the prediction: the empirical residual sample (default) or the log-normal summary. */
  noise?: 'empirical' | 'log-normal';
}

/** The fitted model (see {@link fitFsm}). */
export interface FsmFit {
  readonly rows: number;
  readonly cols: number;
  /** A_j ≥ 0, one per row (neuron); 0 for rows whose scores are all zero. */
  readonly rowFactors: Float64Array;
  /** B_i ≥ 0, one per column (input), arithmetic mean 1; 0 for all-zero columns. */
  readonly colFactors: Float64Array;
  /** ξ_ji = |s_ji| / (A_j B_i) for every pair of an active row and an active column, row-major (0 where s = 0). */
  readonly noiseSample: Float64Array;
  /** The interpolated empirical law of `noiseSample`. */
  readonly noise: Distribution;
  /** RMS of the log residuals over the non-zero scores (the noise's log-scale σ). */
  readonly logSigma: number;
  /** `{ type: 'log-normal', mu: 0, sigma: logSigma }`: the log-normal summary of the noise (the point mass 1 when the fit is exact, `logSigma = 0`). */
  readonly logNormalNoise: NamedDistribution;
  /** Fraction of all scores that are exactly zero. */
  readonly zeroFraction: number;
  /** Rows (columns) whose scores are all zero (factor 0). */
  readonly zeroRows: number;
  readonly zeroCols: number;
  /** Alternating sweeps run, and whether they met the tolerance (else `maxSweeps` stopped them). */
  readonly sweeps: number;
  readonly converged: boolean;
  /** The fitted model with the empirical noise law, usable with `fsmLimit`/`sampleFsmMask`. */
  readonly model: FsmModel;
  /** The exact FSM limit of the fitted factors at a density ({@link empiricalFsmLimit}). */
  limit(density: number, options?: FsmFitLimitOptions): EmpiricalFsmLimit;
}

function indicesOfPositive(x: Float64Array): Uint32Array {
  let n = 0;
  for (let k = 0; k < x.length; k++) if (x[k] > 0) n++;
  const out = new Uint32Array(n);
  for (let k = 0, q = 0; k < x.length; k++) if (x[k] > 0) out[q++] = k;
  return out;
}

/** Row and column counts and sums of `y = log|s|` over the non-zero scores (zeros skipped). */
interface LogSums {
  rowCount: Float64Array;
  colCount: Float64Array;
  rowSum: Float64Array;
  colSum: Float64Array;
  nnz: number;
}

/** Zeros inside the active block, by row (CSR: `holeCol`) and by column (CSC: `holeRow`). */
interface Holes {
  rowHolePtr: Uint32Array;
  colHolePtr: Uint32Array;
  holeCol: Uint32Array;
  holeRow: Uint32Array;
}

/** The scores, shape and options, checked; returns the dimensions and the sweep settings. */
function checkFitInput(
  scores: Float32Array | Float64Array,
  shape: LayerShape,
  options: FsmFitOptions,
): { rows: number; cols: number; tolerance: number; maxSweeps: number } {
  if (!(scores instanceof Float32Array || scores instanceof Float64Array)) {
    throw new InvalidArgumentError('scores', scores, 'a Float32Array or Float64Array of rows · cols scores');
  }
  const rows = shape?.rows;
  const cols = shape?.cols;
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0)) {
    throw new InvalidArgumentError('shape', shape, 'a layer shape {rows, cols} with positive integers');
  }
  if (scores.length !== rows * cols) {
    throw new InvalidArgumentError(
      'scores',
      scores,
      `${rows} · ${cols} = ${rows * cols} scores for shape ${rows} × ${cols}`,
      {
        fix: 'pass the shape the scores were computed for (row-major, rows = output neurons)',
      },
    );
  }
  const tolerance = options.tolerance ?? 1e-10;
  const maxSweeps = options.maxSweeps ?? 200;
  if (!(tolerance > 0)) throw new InvalidArgumentError('options.tolerance', tolerance, 'a positive number');
  checkPositiveInteger('options.maxSweeps', maxSweeps);
  return { rows, cols, tolerance, maxSweeps };
}

/** Pass 1: counts and sums of y = log|s| over the non-zero pattern, per row and per column. */
function logSums(scores: Float32Array | Float64Array, rows: number, cols: number): LogSums {
  const rowCount = new Float64Array(rows);
  const colCount = new Float64Array(cols);
  const rowSum = new Float64Array(rows);
  const colSum = new Float64Array(cols);
  let nnz = 0;
  for (let j = 0, k = 0; j < rows; j++) {
    let cnt = 0;
    let sum = 0;
    for (let i = 0; i < cols; i++, k++) {
      const s = scores[k];
      if (s === 0) continue;
      if (s - s !== 0) {
        // NaN or ±Infinity (s − s is NaN exactly then; no global lookup in this loop)
        throw new InvalidArgumentError(`scores[${k}]`, s, 'a finite number', {
          fix: `row ${j}, column ${i} is not finite: drop or repair NaN/Infinity scores before fitting`,
        });
      }
      const y = log(abs(s));
      cnt++;
      sum += y;
      colCount[i]++;
      colSum[i] += y;
    }
    rowCount[j] = cnt;
    rowSum[j] = sum;
    nnz += cnt;
  }
  if (nnz === 0) {
    throw new InvalidArgumentError('scores', scores, 'a score matrix with at least one non-zero entry', {
      fix: 'an all-zero score matrix carries no row or column effects to fit',
    });
  }
  return { rowCount, colCount, rowSum, colSum, nnz };
}

/** The zeros inside the active block (active rows × active columns) in both orientations. */
function zeroHoles(
  scores: Float32Array | Float64Array,
  rows: number,
  cols: number,
  sums: LogSums,
  activeRows: Uint32Array,
  activeCols: Uint32Array,
): Holes {
  const { rowCount, colCount, nnz } = sums;
  const R = activeRows.length;
  const C = activeCols.length;
  const holes = R * C - nnz;
  const rowHolePtr = new Uint32Array(rows + 1);
  const colHolePtr = new Uint32Array(cols + 1);
  const holeCol = new Uint32Array(holes);
  const holeRow = new Uint32Array(holes);
  if (holes > 0) {
    for (let j = 0; j < rows; j++)
      rowHolePtr[j + 1] = rowHolePtr[j] + (rowCount[j] > 0 ? C - rowCount[j] : 0);
    for (let i = 0; i < cols; i++)
      colHolePtr[i + 1] = colHolePtr[i] + (colCount[i] > 0 ? R - colCount[i] : 0);
    const colFill = colHolePtr.slice(0, cols);
    for (let r = 0; r < R; r++) {
      const j = activeRows[r];
      let h = rowHolePtr[j];
      const base = j * cols;
      for (let c = 0; c < C; c++) {
        const i = activeCols[c];
        if (scores[base + i] === 0) {
          holeCol[h++] = i;
          holeRow[colFill[i]++] = j;
        }
      }
    }
  }
  return { rowHolePtr, colHolePtr, holeCol, holeRow };
}

/**
 * Backfitting sweeps on the log effects α (rows) and β (columns) until no effect moves by more than
 * `tolerance`. The row and column half-sweeps mirror each other on purpose (hot loops over the active rows /
 * columns and their zero "holes"; a shared helper would cost a call per unit).
 */
function backfit(
  sums: LogSums,
  holes: Holes,
  activeRows: Uint32Array,
  activeCols: Uint32Array,
  tolerance: number,
  maxSweeps: number,
): { alpha: Float64Array; beta: Float64Array; sweeps: number; converged: boolean } {
  const { rowCount, colCount, rowSum, colSum } = sums;
  const { rowHolePtr, colHolePtr, holeCol, holeRow } = holes;
  const alpha = new Float64Array(rowCount.length);
  const beta = new Float64Array(colCount.length);
  let sweeps = 0;
  let converged = false;
  while (sweeps < maxSweeps) {
    sweeps++;
    let change = 0;
    let sumBeta = 0;
    for (const i of activeCols) sumBeta += beta[i];
    for (const j of activeRows) {
      let s = sumBeta;
      for (let h = rowHolePtr[j]; h < rowHolePtr[j + 1]; h++) s -= beta[holeCol[h]];
      const next = (rowSum[j] - s) / rowCount[j];
      change = max(change, abs(next - alpha[j]));
      alpha[j] = next;
    }
    let sumAlpha = 0;
    for (const j of activeRows) sumAlpha += alpha[j];
    for (const i of activeCols) {
      let s = sumAlpha;
      for (let h = colHolePtr[i]; h < colHolePtr[i + 1]; h++) s -= alpha[holeRow[h]];
      const next = (colSum[i] - s) / colCount[i];
      change = max(change, abs(next - beta[i]));
      beta[i] = next;
    }
    if (change <= tolerance && sweeps > 1) {
      converged = true;
      break;
    }
  }
  return { alpha, beta, sweeps, converged };
}

/** Gauge: mean log residual 0 (into α), β centred before exponentiating (no overflow), then mean(B) = 1. */
function gaugedFactors(
  sums: LogSums,
  alpha: Float64Array,
  beta: Float64Array,
  activeRows: Uint32Array,
  activeCols: Uint32Array,
): { rowFactors: Float64Array; colFactors: Float64Array } {
  const { rowCount, colCount, rowSum, nnz } = sums;
  const rows = alpha.length;
  const cols = beta.length;
  let resid = 0;
  for (const j of activeRows) resid += rowSum[j] - rowCount[j] * alpha[j];
  for (const i of activeCols) resid -= colCount[i] * beta[i];
  resid /= nnz;
  let betaMean = 0;
  for (const i of activeCols) betaMean += beta[i];
  betaMean /= activeCols.length;
  const rowFactors = new Float64Array(rows);
  const colFactors = new Float64Array(cols);
  let colMean = 0;
  for (const i of activeCols) colMean += colFactors[i] = exp(beta[i] - betaMean);
  colMean /= cols;
  for (const i of activeCols) colFactors[i] /= colMean;
  for (const j of activeRows) rowFactors[j] = exp(alpha[j] + resid + betaMean) * colMean;
  return { rowFactors, colFactors };
}

/** Noise sample `|s|/(A B)` over the active block (0 at its zeros) and the RMS log residual over the non-zeros. */
function noiseResiduals(
  scores: Float32Array | Float64Array,
  cols: number,
  rowFactors: Float64Array,
  colFactors: Float64Array,
  activeRows: Uint32Array,
  activeCols: Uint32Array,
  nnz: number,
): { noiseSample: Float64Array; logSigma: number } {
  const R = activeRows.length;
  const C = activeCols.length;
  const noiseSample = new Float64Array(R * C);
  const invB = new Float64Array(C);
  for (let c = 0; c < C; c++) invB[c] = 1 / colFactors[activeCols[c]];
  let ss = 0;
  let q = 0;
  for (let r = 0; r < R; r++) {
    const j = activeRows[r];
    const invA = 1 / rowFactors[j];
    const base = j * cols;
    for (let c = 0; c < C; c++, q++) {
      const s = scores[base + activeCols[c]];
      if (s !== 0) {
        const xi = abs(s) * invA * invB[c];
        noiseSample[q] = xi;
        const e = log(xi);
        ss += e * e;
      }
    }
  }
  return { noiseSample, logSigma: sqrt(ss / nnz) };
}

/**
 * Fits `|s_ji| = A_j · B_i · ξ_ji` to a `shape.rows × shape.cols` row-major score matrix (see the file
 * header for the model, algorithm, gauge and noise law).
 */
export function fitFsm(
  scores: Float32Array | Float64Array,
  shape: LayerShape,
  options: FsmFitOptions = {},
): FsmFit {
  const { rows, cols, tolerance, maxSweeps } = checkFitInput(scores, shape, options);
  const sums = logSums(scores, rows, cols);
  const { nnz } = sums;
  const activeRows = indicesOfPositive(sums.rowCount);
  const activeCols = indicesOfPositive(sums.colCount);
  const R = activeRows.length;
  const C = activeCols.length;
  const holes = zeroHoles(scores, rows, cols, sums, activeRows, activeCols);
  const { alpha, beta, sweeps, converged } = backfit(
    sums,
    holes,
    activeRows,
    activeCols,
    tolerance,
    maxSweeps,
  );
  const { rowFactors, colFactors } = gaugedFactors(sums, alpha, beta, activeRows, activeCols);
  const { noiseSample, logSigma } = noiseResiduals(
    scores,
    cols,
    rowFactors,
    colFactors,
    activeRows,
    activeCols,
    nnz,
  );

  // The empirical law sorts the sample: built on first use.
  let law: Distribution | undefined;
  const noiseLaw = () => (law ??= empiricalDistribution(noiseSample, 'noiseSample'));
  const logNormalNoise: NamedDistribution =
    logSigma > 0 ? { type: 'log-normal', mu: 0, sigma: logSigma } : { type: 'constant', value: 1 };
  return {
    rows,
    cols,
    rowFactors,
    colFactors,
    noiseSample,
    get noise() {
      return noiseLaw();
    },
    logSigma,
    logNormalNoise,
    zeroFraction: (scores.length - nnz) / scores.length,
    zeroRows: rows - R,
    zeroCols: cols - C,
    sweeps,
    converged,
    get model(): FsmModel {
      return { rowFactor: rowFactors, colFactor: colFactors, noise: noiseLaw() };
    },
    limit(density: number, limitOptions: FsmFitLimitOptions = {}): EmpiricalFsmLimit {
      const which = limitOptions.noise ?? 'empirical';
      if (which !== 'empirical' && which !== 'log-normal') {
        throw new InvalidArgumentError('options.noise', which, "'empirical' or 'log-normal'");
      }
      return empiricalFsmLimit(
        rowFactors,
        colFactors,
        which === 'empirical' ? noiseLaw() : logNormalNoise,
        density,
        limitOptions,
      );
    },
  };
}
