/**
 * Right-looking blocked Cholesky A = L·Lᵀ whose trailing updates run on the GEMM provider (onnxruntime
 * when present): the fallback of the deterministic certificate when LAPACK `dpotrf` is absent, where the
 * row-oriented JS kernel of `@graphon-pai/linalg` is ~10× slower at n = 1000.
 *
 *     for each block column k (width nb):  L₁₁ = chol(A₁₁)          (JS, row-oriented)
 *                                          L₂₁ = A₂₁ · L₁₁⁻ᵀ        (JS forward substitution, per row)
 *                                          A₂₂ ← A₂₂ − L₂₁ · L₂₁ᵀ   (GEMM panels, lower triangle)
 *
 * It computes the same quantities as the unblocked algorithm, each entry's inner product
 * `a_ij − Σ_p l_ip l_jp` merely summed in another order (GEMM partial sums first), and divides by a pivot
 * through its rounded reciprocal; so the backward-error bound `|ΔA| ≤ γ_{n+2}|L̂||L̂ᵀ|` used by
 * `psd-certificate.ts` holds unchanged. Works in place (the certificate only needs to know that the
 * factorisation completes) and returns the factor's diagonal. A Float32Array is factored in float32 (every
 * stored entry rounded to float32, inner products of the diagonal block and the panel in float64, trailing
 * updates by the float32 GEMM), which obeys the same bound with u = 2⁻²⁴.
 *
 * Complexity: n³/3 multiply-adds (≈ all in GEMM) plus n²·nb/4 in JS and n³/(3·nb) copies.
 */
import { lowerGram } from './lower-gram';

/** Block width: 64 beat 128 at n = 1001 on the onnxruntime provider (less JS panel work, 718 vs 1184 ms loaded). */
const NB = 64;

/**
 * Factors the symmetric n×n row-major `a` (lower triangle read) **in place, destroying it**; returns the
 * factor's diagonal, or undefined when a pivot is not positive (or NaN).
 */
export function blockedCholesky<T extends Float64Array | Float32Array>(
  a: T,
  n: number,
): Float64Array | undefined {
  const diag = new Float64Array(n);
  // `a` holds the updated trailing matrix A[k0:, k0:] compacted to r × r at its front.
  let r = n;
  const like = (length: number): T =>
    (a instanceof Float32Array ? new Float32Array(length) : new Float64Array(length)) as T;
  let panel = like(0);
  const inv = new Float64Array(NB);
  for (let k0 = 0; k0 < n; k0 += NB) {
    const b = Math.min(NB, r);
    // Diagonal block (row-oriented Cholesky–Crout).
    for (let j = 0; j < b; j++) {
      let d = a[j * r + j];
      for (let p = 0; p < j; p++) d -= a[j * r + p] * a[j * r + p];
      if (!(d > 0)) return undefined;
      a[j * r + j] = Math.sqrt(d);
      // The stored pivot (rounded for a Float32Array, where it may overflow).
      const ljj = a[j * r + j];
      if (!(ljj < Number.POSITIVE_INFINITY)) return undefined;
      diag[k0 + j] = ljj;
      inv[j] = 1 / ljj;
      for (let i = j + 1; i < b; i++) {
        let s = a[i * r + j];
        for (let p = 0; p < j; p++) s -= a[i * r + p] * a[j * r + p];
        a[i * r + j] = s * inv[j];
      }
    }
    const rest = r - b;
    if (rest === 0) break;
    // Panel rows: forward substitution against L₁₁, into a contiguous (r − b) × b block.
    if (panel.length < rest * b) panel = like(rest * b);
    const pv = panel.subarray(0, rest * b);
    for (let i = 0; i < rest; i++) {
      const src = (b + i) * r;
      const dst = i * b;
      for (let j = 0; j < b; j++) {
        let s = a[src + j];
        for (let p = 0; p < j; p++) s -= pv[dst + p] * a[j * r + p];
        pv[dst + j] = s * inv[j];
      }
    }
    // Compact A₂₂ to the front (destination never overtakes the source), then the trailing update.
    for (let i = 0; i < rest; i++) a.copyWithin(i * rest, (b + i) * r + b, (b + i) * r + r);
    lowerGram(pv, rest, b, b, a, 'subtract');
    r = rest;
  }
  return diag;
}
