/**
 * Largest eigenvalue of a symmetric positive semidefinite operator by Lanczos with full
 * reorthogonalisation, with the Kuczyński–Woźniakowski probabilistic bound.
 *
 * Kuczyński & Woźniakowski, "Estimating the largest eigenvalue by the power and Lanczos algorithms with a
 * random start", SIAM J. Matrix Anal. Appl. 13 (1992), Thm 4.2(a): for a PSD N×N matrix H and a start vector
 * uniform on the sphere, the largest Ritz value θ_k after k Lanczos steps satisfies
 *
 *     P[ θ_k < (1 − ε) λ_max ] ≤ 1.648 · √N · exp(−√ε · (2k − 1)).
 *
 * So `λ_max ≤ θ_k / (1 − ε)` except with probability δ when `√ε = ln(1.648 √N / δ) / (2k − 1)`. Here k counts
 * matrix-vector products beyond the start vector; m Lanczos steps are charged as k = m − 1 (conservative).
 * A breakdown (invariant Krylov space) makes θ exact for the start vector's support, which a Gaussian start
 * covers with probability 1.
 */
import type { Rng } from '@graphon-pai/core';

export interface LanczosResult {
  /** Largest Ritz value θ_k (a lower estimate of λ_max). */
  ritz: number;
  /** λ_max ≤ upper except with probability failureProbability (over the random start). */
  upper: number;
  steps: number;
  breakdown: boolean;
}

/** k needed so that the KW slack is at most ε at failure probability δ. */
export function stepsFor(n: number, epsilon: number, delta: number): number {
  const l = Math.log((1.648 * Math.sqrt(n)) / delta);
  return Math.max(2, Math.ceil((l / Math.sqrt(epsilon) + 1) / 2) + 1);
}

/** ε for k steps at failure probability δ. */
export function slackFor(n: number, steps: number, delta: number): number {
  const r = Math.log((1.648 * Math.sqrt(n)) / delta) / (2 * steps - 1);
  return r * r;
}

export function lanczosMax(
  n: number,
  apply: (x: Float64Array, out: Float64Array) => void,
  steps: number,
  delta: number,
  rng: Rng,
): LanczosResult {
  const k = Math.min(steps, n);
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = new Float64Array(n);
  for (let i = 0; i < n; i++) q[i] = rng.normal();
  normalise(q);
  const w = new Float64Array(n);
  let breakdown = false;
  let scale = 0;
  for (let j = 0; j < k; j++) {
    basis.push(q);
    apply(q, w);
    let a = 0;
    for (let i = 0; i < n; i++) a += w[i] * q[i];
    alpha.push(a);
    scale = Math.max(scale, Math.abs(a));
    // Full reorthogonalisation (twice is enough): keeps the Ritz values free of ghost copies.
    for (let pass = 0; pass < 2; pass++) {
      for (const v of basis) {
        let d = 0;
        for (let i = 0; i < n; i++) d += w[i] * v[i];
        for (let i = 0; i < n; i++) w[i] -= d * v[i];
      }
    }
    const b = Math.sqrt(dot(w, w));
    if (j === k - 1) break;
    if (b <= 1e-13 * Math.max(scale, 1e-300)) {
      breakdown = true;
      break;
    }
    beta.push(b);
    q = new Float64Array(n);
    for (let i = 0; i < n; i++) q[i] = w[i] / b;
  }
  const ritz = tridiagonalMax(alpha, beta);
  const m = alpha.length;
  // Rounding in the recurrence perturbs Ritz values by O(m · u · ‖H‖); 1e-12 relative per step covers it.
  const rounding = 1 + 1e-12 * (m + 10);
  const upper = breakdown
    ? ritz * rounding
    : (ritz / (1 - Math.min(slackFor(n, Math.max(m - 1, 1), delta), 0.99))) * rounding;
  return { ritz, upper, steps: m, breakdown };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalise(x: Float64Array): void {
  const s = Math.sqrt(dot(x, x));
  for (let i = 0; i < x.length; i++) x[i] /= s;
}

/** Largest eigenvalue of the symmetric tridiagonal matrix (alpha on the diagonal, beta off it): bisection. */
export function tridiagonalMax(alpha: number[], beta: number[]): number {
  const m = alpha.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(beta[i - 1]) : 0) + (i < m - 1 ? Math.abs(beta[i]) : 0);
    lo = Math.min(lo, alpha[i] - r);
    hi = Math.max(hi, alpha[i] + r);
  }
  // Sturm count: number of eigenvalues below x.
  const below = (x: number): number => {
    let count = 0;
    let d = 1;
    for (let i = 0; i < m; i++) {
      const b2 = i > 0 ? beta[i - 1] * beta[i - 1] : 0;
      d = alpha[i] - x - (i > 0 ? b2 / d : 0);
      if (d === 0) d = -1e-300;
      if (d < 0) count++;
    }
    return count;
  };
  for (let it = 0; it < 200 && hi - lo > 1e-15 * Math.max(Math.abs(hi), Math.abs(lo), 1e-300); it++) {
    const mid = 0.5 * (lo + hi);
    if (below(mid) >= m) hi = mid;
    else lo = mid;
  }
  return hi;
}
