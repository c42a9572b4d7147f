/**
 * A rigorous lower bound on the smallest eigenvalue of a symmetric matrix from one floating-point Cholesky
 * factorisation, in float64 or float32: if the factorisation runs to completion, `λ_min(H) ≥ −μ` with μ
 * computed below; if it fails, nothing is claimed.
 *
 * Error bound used (Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed., Thm 10.3 and
 * Lemma 8.4; Demmel, "On floating point errors in Cholesky", LAPACK Working Note 14, 1989; Rump,
 * "Verification of positive definiteness", BIT 46, 2006). Whenever floating-point Cholesky H ≈ R̂ᵀR̂ of a
 * symmetric n×n matrix runs to completion (every pivot positive, which the algorithm checks, so it never
 * takes the root of a negative number), entry (i, j) of R̂ᵀR̂ is an inner product of min(i, j) + 1 terms
 * (0-based) whose computation (the subtraction of min(i, j) products, the root or the product with the
 * rounded reciprocal of the pivot) satisfies
 *
 *     |ΔH_ij| = |(R̂ᵀR̂ − H)_ij| ≤ γ_{min(i,j)+2} (|R̂ᵀ||R̂|)_ij,   γ_k = k·u / (1 − k·u),
 *
 * whatever the order in which each inner product is summed, with or without fused multiply-adds, for the
 * unit roundoff u of the arithmetic (2⁻⁵³ float64, 2⁻²⁴ float32). Positive definiteness is not assumed:
 * only completion. Higham's γ_{j+1} becomes γ_{j+2} because LAPACK's and our triangular solves multiply by
 * a rounded reciprocal of the pivot instead of dividing (one more rounding). With c_i = ‖R̂e_i‖ (column
 * norms), (|R̂ᵀ||R̂|)_ij ≤ c_i c_j (Cauchy–Schwarz) and γ_{min(i,j)+2} ≤ √(γ_{i+2} γ_{j+2}), so |ΔH| ≤ xxᵀ
 * entrywise for x_i = √γ_{i+2}·c_i, and (Perron–Frobenius, then c_i² = h_ii + ΔH_ii ≤ h_ii + γ_{i+2}c_i²)
 *
 *     ‖ΔH‖₂ ≤ ‖xxᵀ‖₂ = Σ_i γ_{i+2} c_i²,   so  λ_min(H) ≥ −‖ΔH‖₂ ≥ −μ,  μ = Σ_i γ_{i+2}/(1 − γ_{i+2}) · h_ii
 *
 * (since R̂ᵀR̂ ⪰ 0). This is Rump's trace bound γ_{n+2}·tr H/(1 − γ_{n+2}) with each diagonal entry weighted
 * by its own row's inner-product length: about half of it when the diagonal is even, which matters in
 * float32 (γ_{1001} ≈ 6·10⁻⁵).
 *
 * Underflow (each product or quotient may add an absolute error ≤ η; η = 2⁻¹⁰⁷⁴ in float64, and in float32
 * η = 2⁻¹²⁶, the smallest normal, which also covers flush-to-zero kernels) adds at most
 * n(n+2)·η·(1 + √(2·max h_ii)) to ‖ΔH‖₂; matrices whose largest diagonal entry is below 1e-250 (float64) or
 * 1e-25 (float32) are refused instead (nothing here comes near). The float64 sum of μ's n terms and the final
 * expression carry relative rounding far below the factor (1 + γ₆₄(n + 2))(1 + 2⁻⁴⁰) by which μ is inflated.
 *
 * A matrix built to sit exactly on the PSD boundary (H = VVᵀ, V integer n×(n−1), so λ_min(H) = 0 exactly)
 * shifted by −ε·I is never certified with μ < ε, in either precision (tests). The factorisation is
 * `@graphon-pai/linalg`'s `choleskyInPlace` (LAPACK `dpotrf` / `spotrf` in place, no copy; a NaN or infinite
 * pivot counts as a failure) when LAPACK is present, otherwise `blocked-cholesky.ts` (trailing updates on the
 * GEMM provider: onnxruntime, or the JS kernel on the WebAssembly/JS path).
 *
 * Cost: one n×n Cholesky (n³/3 multiply-adds) plus O(n).
 */
import { choleskyInPlace, lapackAvailable } from '@graphon-pai/linalg';
import { blockedCholesky } from './blocked-cholesky';

/** Unit roundoff of float64 (round to nearest). */
export const UNIT_ROUNDOFF = 2 ** -53;

/** γ_k = k·u / (1 − k·u): the relative error of k chained roundings (Higham §3.1); u defaults to float64's. */
export function gamma(k: number, u = UNIT_ROUNDOFF): number {
  const ku = k * u;
  return ku / (1 - ku);
}

/** Safety factor for the few roundings in assembling a bound from already-rigorous pieces. */
export const ASSEMBLY = 1 + 2 ** -40;

/** The arithmetic of a certificate step: unit roundoff, absolute underflow error per operation, smallest accepted scale. */
export interface FloatFormat {
  readonly u: number;
  readonly eta: number;
  readonly minScale: number;
}

export const FLOAT64: FloatFormat = { u: UNIT_ROUNDOFF, eta: Number.MIN_VALUE, minScale: 1e-250 };
/** Float32: η is the smallest normal 2⁻¹²⁶ (valid for kernels that flush subnormals to zero too). */
export const FLOAT32: FloatFormat = { u: 2 ** -24, eta: 2 ** -126, minScale: 1e-25 };

/** The format of a float64 or float32 array. */
export function formatOf(a: Float64Array | Float32Array): FloatFormat {
  return a instanceof Float32Array ? FLOAT32 : FLOAT64;
}

/**
 * μ ≥ 0 with λ_min(h) ≥ −μ, proved by a Cholesky of h in h's own precision (n×n row-major, lower triangle
 * read; **overwritten**), or undefined when the factorisation fails or h is out of range (non-finite,
 * non-positive diagonal, or largest diagonal entry below the format's `minScale`).
 */
export function choleskyEigenLowerBound(h: Float64Array | Float32Array, n: number): number | undefined {
  const f = formatOf(h);
  let weighted = 0;
  let maxDiag = 0;
  for (let i = 0; i < n; i++) {
    const d = h[i * n + i];
    if (!(d > 0) || d === Number.POSITIVE_INFINITY) return undefined;
    const g = gamma(i + 2, f.u);
    weighted += (g / (1 - g)) * d;
    if (d > maxDiag) maxDiag = d;
  }
  if (maxDiag < f.minScale || !Number.isFinite(weighted)) return undefined;
  if (!factorizes(h, n)) return undefined;
  // The float64 sum of n positive terms is at most its value·(1 + γ_n); each term carries a few roundings.
  const rounding = weighted * (1 + gamma(n + 4));
  const underflow = n * (n + 2) * f.eta * (1 + Math.sqrt(2 * maxDiag));
  return (rounding + underflow) * ASSEMBLY;
}

/** Whether Cholesky of h in its precision runs to completion (LAPACK when present, else the blocked GEMM route). */
function factorizes(h: Float64Array | Float32Array, n: number): boolean {
  // A NaN in the lower triangle reaches the pivot of its row, which then fails the positivity test.
  if (!lapackAvailable()) return blockedCholesky(h, n) !== undefined;
  return choleskyInPlace(h, n) < 0;
}
