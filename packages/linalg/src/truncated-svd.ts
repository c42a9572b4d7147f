/**
 * Truncated SVD: the k largest singular triplets of a matrix known only through block products.
 *
 *     A ≈ U_k · diag(σ) · V_kᵀ,   A·v_j = σ_j·u_j,   Aᵀ·u_j = σ_j·v_j,   σ_1 ≥ … ≥ σ_k ≥ 0
 *
 * Method: randomized subspace iteration with Rayleigh–Ritz extraction (Halko, Martinsson & Tropp 2011,
 * Alg. 4.4 + 5.1), on a block of l = k + oversample columns:
 *
 *     Q ← orth(A·Ω)                       Ω: cols×l standard normal (seeded)
 *     repeat:  P·R ← qr(Aᵀ·Q)              (so Qᵀ·A = Rᵀ·Pᵀ)
 *              R = U_r·S·V_rᵀ              (one-sided Jacobi on the small l×l factor)
 *              u = Q·V_r, v = P·U_r, σ = S  (Ritz triplets: Aᵀ·u = σ·v holds exactly)
 *              Y ← A·P;  stop when max_{j<k} ‖Y·U_r[:,j] − σ_j·u_j‖ ≤ tol·σ_1
 *              Q ← orth(Y)
 *
 * so each iteration costs one `rmatmat` and one `matmat` with l columns, and the residual test reuses the
 * product needed by the next iteration. Only `matmat`/`rmatmat` touch A, so bit-packed or implicit
 * matrices work (wrap them in a {@link LinearOperator}). Dense input (`{ data, rows, cols }`) is wrapped
 * with {@link denseOperator} and runs on the active GEMM provider.
 *
 * Conventions: `values` descending; `u` rows×k and `v` cols×k row-major, column j the j-th singular vector
 * (signs such that A·v_j ≈ σ_j·u_j); `converged` reports whether the residual test passed within
 * `iterations` (the result is returned either way). Convergence of triplet j goes like
 * (σ_{l+1}/σ_j)^{2·iterations}: raise `oversample` for flat spectra.
 *
 * Complexity: per iteration 2·rows·cols·l multiply-adds in the products plus O((rows + cols)·l²).
 *
 * @example
 * ```ts
 * const { values, u, v } = truncatedSvd({ data: a, rows: 500, cols: 300 }, 10, { seed: 1 });
 * ```
 * @see N. Halko, P.-G. Martinsson, J. A. Tropp, "Finding structure with randomness", SIAM Review 53 (2011),
 * arXiv:0909.4061.
 */
import { InvalidArgumentError, Rng, type Seed } from '@graphon-pai/core';
import { gemmUnchecked } from './gemm';
import { orthonormalize } from './internal/orthonormalize';
import { jacobiSvd } from './internal/small-svd';
import { checkDim, isFloatArray } from './internal/validate';
import { denseOperator, type LinearOperator } from './linear-operator';

export interface TruncatedSvdOptions {
  /** Seed of the random start block (default 0). */
  seed?: Seed;
  /** Extra columns beyond k (default max(10, k), capped so that k + oversample ≤ min(rows, cols)). */
  oversample?: number;
  /** Maximum number of iterations (default 200). */
  iterations?: number;
  /**
   * Stop when every ‖A·v_j − σ_j·u_j‖ ≤ tol·σ_1 (default 1e-7; 1e-5 for Float32Array data, whose products
   * are rounded to float32).
   */
  tol?: number;
}

export interface TruncatedSvdResult {
  /** σ_1 ≥ … ≥ σ_k. */
  values: Float64Array;
  /** rows×k row-major, column j = left singular vector j. */
  u: Float64Array;
  /** cols×k row-major, column j = right singular vector j. */
  v: Float64Array;
  /** Iterations performed. */
  iterations: number;
  /** Whether the residual test passed. */
  converged: boolean;
}

export type DenseMatrix = { data: Float64Array | Float32Array; rows: number; cols: number };

function toOperator(input: LinearOperator | DenseMatrix): { op: LinearOperator; float32: boolean } {
  if (input === null || typeof input !== 'object') {
    throw new InvalidArgumentError('op', input, 'a LinearOperator or { data, rows, cols }');
  }
  if ('data' in input && isFloatArray(input.data)) {
    return {
      op: denseOperator(input.data, input.rows, input.cols),
      float32: input.data instanceof Float32Array,
    };
  }
  const op = input as LinearOperator;
  if (typeof op.matmat !== 'function' || typeof op.rmatmat !== 'function') {
    throw new InvalidArgumentError(
      'op',
      input,
      'a LinearOperator (rows, cols, matmat, rmatmat) or { data, rows, cols }',
      {
        fix: 'wrap a dense row-major array with denseOperator(data, rows, cols)',
      },
    );
  }
  checkDim('op.rows', op.rows);
  checkDim('op.cols', op.cols);
  return { op, float32: false };
}

/** The k largest singular triplets; see the file header. */
export function truncatedSvd(
  input: LinearOperator | DenseMatrix,
  k: number,
  options: TruncatedSvdOptions = {},
): TruncatedSvdResult {
  const { op, float32 } = toOperator(input);
  const { rows, cols } = op;
  const maxRank = Math.min(rows, cols);
  if (!Number.isInteger(k) || k < 0 || k > maxRank) {
    throw new InvalidArgumentError('k', k, `an integer in [0, min(rows, cols) = ${maxRank}]`);
  }
  const oversample = options.oversample ?? Math.max(10, k);
  if (!Number.isInteger(oversample) || oversample < 0) {
    throw new InvalidArgumentError('options.oversample', oversample, 'a non-negative integer');
  }
  const maxIterations = options.iterations ?? 200;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new InvalidArgumentError('options.iterations', maxIterations, 'a positive integer');
  }
  const tol = options.tol ?? (float32 ? 1e-5 : 1e-7);
  if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol)) {
    throw new InvalidArgumentError('options.tol', tol, 'a finite number ≥ 0');
  }
  if (k === 0) {
    return {
      values: new Float64Array(0),
      u: new Float64Array(0),
      v: new Float64Array(0),
      iterations: 0,
      converged: true,
    };
  }
  const l = Math.min(k + oversample, maxRank);
  const rng = new Rng(options.seed ?? 0);

  const q = new Float64Array(rows * l);
  const y = new Float64Array(rows * l);
  const p = new Float64Array(cols * l);
  const r = new Float64Array(l * l);
  const uBlock = new Float64Array(rows * l);
  const avBlock = new Float64Array(rows * l);
  const vBlock = new Float64Array(cols * l);
  const omega = rng.normalArray(cols * l);
  op.matmat(omega, l, q);
  orthonormalize(q, rows, l, rng);

  let iterations = 0;
  let converged = false;
  let s: Float64Array = new Float64Array(l);
  let ur: Float64Array = new Float64Array(l * l);
  while (true) {
    iterations++;
    op.rmatmat(q, l, p);
    orthonormalize(p, cols, l, rng, r);
    const small = jacobiSvd(r, l);
    s = small.s;
    ur = small.u;
    // u = Q·V_r (rows×l)
    gemmUnchecked(false, false, rows, l, l, 1, q, small.v, 0, uBlock);
    op.matmat(p, l, y);
    // A·v = Y·U_r
    gemmUnchecked(false, false, rows, l, l, 1, y, ur, 0, avBlock);
    let worst = 0;
    for (let j = 0; j < k; j++) {
      let ss = 0;
      for (let i = 0; i < rows; i++) {
        const d = avBlock[i * l + j] - s[j] * uBlock[i * l + j];
        ss += d * d;
      }
      worst = Math.max(worst, Math.sqrt(ss));
    }
    if (!Number.isFinite(worst)) {
      throw new InvalidArgumentError('op', input, 'an operator returning finite products', {
        fix: 'check the matrix (or matmat/rmatmat) for NaN or Infinity',
      });
    }
    if (worst <= tol * s[0]) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations) break;
    q.set(y);
    orthonormalize(q, rows, l, rng);
  }
  // v = P·U_r (cols×l)
  gemmUnchecked(false, false, cols, l, l, 1, p, ur, 0, vBlock);
  const values = s.slice(0, k);
  const u = new Float64Array(rows * k);
  const v = new Float64Array(cols * k);
  for (let i = 0; i < rows; i++) for (let j = 0; j < k; j++) u[i * k + j] = uBlock[i * l + j];
  for (let i = 0; i < cols; i++) for (let j = 0; j < k; j++) v[i * k + j] = vBlock[i * l + j];
  return { values, u, v, iterations, converged };
}
