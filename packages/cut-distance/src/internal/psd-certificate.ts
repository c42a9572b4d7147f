/**
 * A rigorous lower bound on the smallest eigenvalue of a float64 symmetric matrix from one floating-point
 * Cholesky factorisation: if the factorisation runs to completion, `λ_min(H) ≥ −μ` with μ computed below;
 * if it fails, nothing is claimed.
 *
 * Error bound used (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., Thm 10.3 and
 * Lemma 8.4; Demmel, "On floating point errors in Cholesky", LAPACK Working Note 14, 1989; Rump,
 * "Verification of positive definiteness", BIT 46, 2006). Whenever floating-point Cholesky of a symmetric
 * n×n matrix H runs to completion (every pivot positive, which the algorithm checks, so it never takes the
 * root of a negative number), the computed factor R̂ satisfies
 *
 *     R̂ᵀR̂ = H + ΔH,   |ΔH| ≤ γ_{n+2} |R̂ᵀ||R̂|,   γ_k = k·u / (1 − k·u),  u = 2⁻⁵³,
 *
 * whatever the order in which each inner product is summed, with or without fused multiply-adds (the proof
 * bounds every computed inner product `c − Σ a_k b_k` in any evaluation order). Positive definiteness is
 * not assumed: only completion. Higham's γ_{n+1} becomes γ_{n+2} because the JS kernel and OpenBLAS's
 * triangular solves multiply by a rounded reciprocal of the pivot instead of dividing (one more rounding).
 * Then, since R̂ᵀR̂ ⪰ 0,
 *
 *     λ_min(H) ≥ −‖ΔH‖₂ ≥ −γ ‖ |R̂| ‖₂² ≥ −γ ‖R̂‖_F²,   ‖R̂‖_F² = tr(H + ΔH) ≤ tr(H) + γ‖R̂‖_F²,
 *     so  λ_min(H) ≥ −γ_{n+2} / (1 − γ_{n+2}) · tr(H).
 *
 * Underflow (gradual: each product or quotient may add an absolute error ≤ η/2, η = 2⁻¹⁰⁷⁴) adds at most
 * n(n+2)·η·(1 + √(2·max h_ii)) to ‖ΔH‖₂; matrices whose largest diagonal entry is below 1e-250 are refused
 * instead (nothing here comes near). The computed trace and the final expression carry relative rounding
 * far below the 2⁻⁴⁰ by which μ is inflated.
 *
 * A matrix built to sit exactly on the PSD boundary (H = VVᵀ, V integer n×(n−1), so λ_min(H) = 0 exactly)
 * shifted by −ε·I is never certified with μ < ε (tests). The factorisation is `@graphon-pai/linalg`'s
 * `choleskyInPlace` (LAPACK `dpotrf` in place, no copy; a NaN or infinite pivot counts as a failure) when
 * LAPACK is present, otherwise `blocked-cholesky.ts` (trailing updates on the GEMM provider: onnxruntime, or
 * the JS kernel on the WebAssembly/JS path).
 *
 * Cost: one n×n Cholesky (n³/3 multiply-adds) plus O(n).
 */
import { choleskyInPlace, lapackAvailable } from '@graphon-pai/linalg';
import { blockedCholesky } from './blocked-cholesky';

/** Unit roundoff of float64 (round to nearest). */
export const UNIT_ROUNDOFF = 2 ** -53;

/** γ_k = k·u / (1 − k·u): the relative error of k chained roundings (Higham §3.1). */
export function gamma(k: number): number {
  const ku = k * UNIT_ROUNDOFF;
  return ku / (1 - ku);
}

/** Safety factor for the few roundings in assembling a bound from already-rigorous pieces. */
export const ASSEMBLY = 1 + 2 ** -40;

/**
 * μ ≥ 0 with λ_min(h) ≥ −μ, proved by a float64 Cholesky of h (n×n row-major, lower triangle read;
 * **overwritten**), or undefined when the factorisation fails or h is out of range (non-finite, non-positive
 * diagonal, or diagonal below 1e-250).
 */
export function choleskyEigenLowerBound(h: Float64Array, n: number): number | undefined {
  let trace = 0;
  let maxDiag = 0;
  for (let i = 0; i < n; i++) {
    const d = h[i * n + i];
    if (!(d > 0) || d === Number.POSITIVE_INFINITY) return undefined;
    trace += d;
    if (d > maxDiag) maxDiag = d;
  }
  if (maxDiag < 1e-250 || !Number.isFinite(trace)) return undefined;
  if (!factorizes(h, n)) return undefined;
  const g = gamma(n + 2);
  // The float sum of n positive terms is at least tr·(1 − γ_n).
  const traceUp = trace / (1 - gamma(n));
  const rounding = (g / (1 - g)) * traceUp;
  const underflow = n * (n + 2) * Number.MIN_VALUE * (1 + Math.sqrt(2 * maxDiag));
  return (rounding + underflow) * ASSEMBLY;
}

/** Whether float64 Cholesky of h runs to completion (LAPACK when present, else the blocked GEMM route). */
function factorizes(h: Float64Array, n: number): boolean {
  // A NaN in the lower triangle reaches the pivot of its row, which then fails the positivity test.
  if (!lapackAvailable()) return blockedCholesky(h, n) !== undefined;
  return choleskyInPlace(h, n) < 0;
}
