/**
 * The data-dependent generalisation bound of Arora, Du, Hu, Li & Wang (2019), evaluated with a given
 * kernel (e.g. the Graphon-NTK of a pruned layer).
 *
 * Source: S. Arora, S. S. Du, W. Hu, Z. Li, R. Wang, "Fine-Grained Analysis of Optimization and
 * Generalization for Overparameterized Two-Layer Neural Networks", ICML 2019, arXiv 1901.08584,
 * Theorem 5.1: for a loss ℓ with values in [0, 1], 1-Lipschitz in its first argument and ℓ(y, y) = 0,
 * with probability ≥ 1 − δ over the initialisation and m i.i.d. samples from a (λ0, δ/3, m)-non-degenerate
 * distribution, the trained two-layer ReLU network satisfies
 *
 *     L_D(f) ≤ √(2 yᵀ (H^∞)⁻¹ y / m) + O( √( log(m / (λ0 δ)) / m ) ),   λ0 = λ_min(H^∞) > 0.
 *
 * What is computed (constants stated):
 * - `quadraticForm` = yᵀ (K + λI)⁻¹ y by Cholesky (never a pseudo-inverse); λ = `ridge` (default 0);
 * - `leadingTerm`   = √(2 · quadraticForm / m) — exactly the paper's first term;
 * - `lambdaMin`     = λ_min(K + λI) from a symmetric eigen-decomposition (or `options.lambdaMin`);
 * - `confidenceTerm`= C · √( max(0, log(m / (λ0 δ))) / m ). The paper hides C in O(·). Our default
 *   C = 3/√2 ≈ 2.121 is the constant of the uniform-deviation step the proof uses (the paper's Theorem B.1,
 *   after Mohri, Rostamizadeh & Talwalkar 2012, Thm 3.3: `3c √(log(2/δ)/(2m))` for losses in [0, c], c = 1),
 *   applied to the paper's log term. It is a stated convention, not a certified constant: the proof's lower
 *   order terms (finite width, finite training time, the union bound over norm radii) are not included.
 * - `bound` = leadingTerm + confidenceTerm.
 *
 * Normalisation: the theorem is stated for H^∞ with ‖x‖ = 1, i.e. this package's `layers: 'hidden'`
 * kernel with σ_w = 1 and inputs scaled to ‖x‖² = n_in (see `denseReluNtk`). The quadratic form scales as
 * 1/scale(K): compare kernels under one normalisation only. For Graphon-NTKs, **equal graphon density is
 * not equal kernel scale**: K_W(x, x) = σ_w² Σ_i ρ(v_i) x_i² / n_in with ρ the path (column) density, so a
 * graphon that moves its density onto high-energy inputs enlarges K and lowers yᵀK⁻¹y by scale alone.
 * To compare the *shape* of kernels, also report yᵀK̃⁻¹y for K̃ = K·m / tr K (README, "Findings").
 *
 * Errors: `NumericalError` when K (+ ridge) is not positive definite — the fix names an explicit ridge;
 * `InvalidArgumentError` for m < 2, mismatched sizes, non-finite entries, δ ∉ (0, 1), ridge < 0.
 *
 * Complexity: m³/3 (Cholesky) + one symmetric eigen-decomposition for λ_min (skip it with `lambdaMin`).
 *
 * @example
 * const k = graphonNtk(x, graphon, { layers: 'hidden' });
 * const b = generalisationBound(k, y, { delta: 0.05 });
 * b.leadingTerm; b.confidenceTerm; b.bound;
 */
import { InvalidArgumentError, NumericalError } from '@graphon-pai/core';
import { cholesky, choleskySolve, symmetricEigen } from '@graphon-pai/linalg';
import { checkMatrix, checkNumberIn, checkSymmetric, checkVector, type Matrix } from './matrix';

export interface GeneralisationBoundOptions {
  /** Failure probability δ in (0, 1) (default 0.05). */
  delta?: number;
  /** Explicit ridge λ ≥ 0 added to the diagonal (default 0). Reported back; the bound is then for K + λI. */
  ridge?: number;
  /** The constant C of the confidence term (default 3/√2; see the file header). */
  confidenceConstant?: number;
  /** A known λ_min(K + λI) > 0 (skips the eigen-decomposition). */
  lambdaMin?: number;
}

export interface GeneralisationBound {
  /** Number of samples m. */
  readonly samples: number;
  readonly delta: number;
  readonly ridge: number;
  /** yᵀ (K + λI)⁻¹ y. */
  readonly quadraticForm: number;
  /** √(2 yᵀ(K + λI)⁻¹y / m). */
  readonly leadingTerm: number;
  /** λ_min(K + λI). */
  readonly lambdaMin: number;
  /** C √(max(0, log(m/(λ_min δ))) / m). */
  readonly confidenceTerm: number;
  readonly confidenceConstant: number;
  /** leadingTerm + confidenceTerm. */
  readonly bound: number;
  readonly reference: string;
}

const ARORA_2019 =
  'Arora, Du, Hu, Li & Wang, "Fine-Grained Analysis of Optimization and Generalization for Overparameterized Two-Layer Neural Networks", ICML 2019, arXiv 1901.08584, Theorem 5.1';

/** The generalisation bound for kernel K and labels y; see the file header. */
export function generalisationBound(
  kernel: Matrix,
  labels: ArrayLike<number>,
  options: GeneralisationBoundOptions = {},
): GeneralisationBound {
  if (kernel && kernel.rows < 2) {
    throw new InvalidArgumentError('kernel.rows', kernel.rows, 'at least 2 samples (m ≥ 2)', {
      fix: 'the bound is an m-sample statement; pass at least two samples',
    });
  }
  const k = checkMatrix('kernel', kernel, { square: true, minRows: 2 });
  const m = kernel.rows;
  const y = checkVector('labels', labels, m);
  checkSymmetric('kernel', k, m);
  const delta = checkNumberIn('options.delta', options.delta ?? 0.05, 0, 1, true, true);
  const ridge = checkNumberIn('options.ridge', options.ridge ?? 0, 0, Number.MAX_VALUE, false, false);
  const c = checkNumberIn(
    'options.confidenceConstant',
    options.confidenceConstant ?? 3 / Math.SQRT2,
    0,
    Number.MAX_VALUE,
    false,
    false,
  );
  let kr = k;
  if (ridge > 0) {
    kr = Float64Array.from(k);
    for (let i = 0; i < m; i++) kr[i * m + i] += ridge;
  }
  let l: Float64Array;
  try {
    l = cholesky(kr, m);
  } catch (error) {
    if (error instanceof NumericalError) throw notPositiveDefinite(kr, m, ridge, error);
    throw error;
  }
  const alpha = choleskySolve(l, m, y, 1);
  let q = 0;
  for (let i = 0; i < m; i++) q += y[i] * alpha[i];
  let lambdaMin: number;
  if (options.lambdaMin !== undefined) {
    lambdaMin = checkNumberIn('options.lambdaMin', options.lambdaMin, 0, Number.MAX_VALUE, true, false);
  } else {
    lambdaMin = symmetricEigen(kr, m, { k: 1, which: 'smallest' }).values[0];
    if (!(lambdaMin > 0)) throw notPositiveDefinite(kr, m, ridge, undefined, lambdaMin);
  }
  const leadingTerm = Math.sqrt((2 * q) / m);
  const confidenceTerm = c * Math.sqrt(Math.max(0, Math.log(m / (lambdaMin * delta))) / m);
  return {
    samples: m,
    delta,
    ridge,
    quadraticForm: q,
    leadingTerm,
    lambdaMin,
    confidenceTerm,
    confidenceConstant: c,
    bound: leadingTerm + confidenceTerm,
    reference: ARORA_2019,
  };
}

function notPositiveDefinite(
  k: Float64Array,
  m: number,
  ridge: number,
  cause?: unknown,
  lambdaMin?: number,
): NumericalError {
  let trace = 0;
  for (let i = 0; i < m; i++) trace += k[i * m + i];
  const suggested = Math.max((1e-6 * trace) / m, Number.MIN_VALUE);
  const what = lambdaMin === undefined ? 'Cholesky failed' : `λ_min = ${lambdaMin.toPrecision(4)} ≤ 0`;
  return new NumericalError(
    `kernel${ridge > 0 ? ` + ridge ${ridge}` : ''} is not positive definite (${what}); the bound needs λ_min(K) > 0 and is never computed with a pseudo-inverse`,
    {
      fix: `remove duplicate or degenerate samples, or pass an explicit ridge such as { ridge: ${suggested.toExponential(2)} } (1e-6 · mean diagonal) and report it: the bound is then for K + λI`,
      cause,
    },
  );
}
