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
 *
 * Independent runs. `runs` = s Lanczos processes from independent Gaussian starts advance together, so each
 * step is one block product with s columns (for a sparse or memory-bound operator barely dearer than one
 * matrix-vector product). The largest Ritz value of all runs falls below (1 − ε)λ_max only if every run's
 * does, so the failure probability is the product: (1.648 √N e^{−√ε(2k−1)})^s ≤ δ when
 * `√ε (2k − 1) = ln(1.648 √N) + ln(1/δ)/s`. With N = 4097, δ = 10⁻⁶, ε = 0.02, one run needs 67 steps,
 * four runs 31 steps each.
 */
import type { Rng } from '@graphon-pai/core';

export interface LanczosResult {
  /** Largest Ritz value θ_k over all runs (a lower estimate of λ_max). */
  ritz: number;
  /** λ_max ≤ upper except with probability failureProbability (over the random starts). */
  upper: number;
  /** Lanczos steps per run. */
  steps: number;
  breakdown: boolean;
}

/** Exponent √ε(2k − 1) needed for failure probability δ with `runs` independent starts. */
function required(n: number, delta: number, runs: number): number {
  return Math.log(1.648 * Math.sqrt(n)) + Math.log(1 / delta) / runs;
}

/** k needed so that the KW slack is at most ε at failure probability δ (`runs` independent starts). */
export function stepsFor(n: number, epsilon: number, delta: number, runs = 1): number {
  const l = required(n, delta, runs);
  return Math.max(2, Math.ceil((l / Math.sqrt(epsilon) + 1) / 2) + 1);
}

/** ε for k steps at failure probability δ (`runs` independent starts). */
export function slackFor(n: number, steps: number, delta: number, runs = 1): number {
  const r = Math.max(required(n, delta, runs), 0) / (2 * steps - 1);
  return r * r;
}

/**
 * λ_max of a symmetric PSD operator by `runs` simultaneous Lanczos processes (full reorthogonalisation
 * each). `apply(x, out)` maps an n × runs row-major block (column i = run i) to the operator times it.
 */
export function lanczosMax(
  n: number,
  apply: (x: Float64Array, out: Float64Array) => void,
  steps: number,
  delta: number,
  rng: Rng,
  runs = 1,
): LanczosResult {
  const s = runs;
  const k = Math.min(steps, n);
  const basis: Float64Array[] = [];
  const alpha: number[][] = Array.from({ length: s }, () => []);
  const beta: number[][] = Array.from({ length: s }, () => []);
  // Run i is live until it breaks down; a broken-down run keeps its (exact) Ritz values.
  const live = new Uint8Array(s).fill(1);
  let q: Float64Array = new Float64Array(n * s);
  for (let i = 0; i < n * s; i++) q[i] = rng.normal();
  for (let c = 0; c < s; c++) normaliseColumn(q, n, s, c);
  const w = new Float64Array(n * s);
  let breakdown = false;
  const scale = new Float64Array(s);
  const dots = new Float64Array(s);
  const proj = new Float64Array(s);
  const norms = new Float64Array(s);
  let taken = 0;
  for (let j = 0; j < k; j++) {
    basis.push(q);
    apply(q, w);
    taken = j + 1;
    const next = new Float64Array(n * s);
    let anyLive = false;
    blockDots(w, q, n, s, dots);
    // Full reorthogonalisation of every run at once (twice is enough): keeps the Ritz values free of ghost
    // copies; one pass over the block per basis vector and pass.
    for (let pass = 0; pass < 2; pass++) {
      for (const v of basis) {
        blockDots(w, v, n, s, proj);
        subtractScaled(w, v, n, s, proj);
      }
    }
    blockDots(w, w, n, s, norms);
    for (let c = 0; c < s; c++) {
      if (!live[c]) continue;
      const a = dots[c];
      alpha[c].push(a);
      scale[c] = Math.max(scale[c], Math.abs(a));
      const b = Math.sqrt(norms[c]);
      if (j === k - 1) continue;
      if (b <= 1e-13 * Math.max(scale[c], 1e-300)) {
        live[c] = 0;
        breakdown = true;
        continue;
      }
      beta[c].push(b);
      for (let i = c; i < n * s; i += s) next[i] = w[i] / b;
      anyLive = true;
    }
    if (!anyLive) break;
    q = next;
  }
  let ritz = 0;
  let maxSteps = 0;
  for (let c = 0; c < s; c++) {
    ritz = Math.max(ritz, tridiagonalMax(alpha[c], beta[c].slice(0, alpha[c].length - 1)));
    maxSteps = Math.max(maxSteps, alpha[c].length);
  }
  // Rounding in the recurrence perturbs Ritz values by O(m · u · ‖H‖); 1e-12 relative per step covers it.
  const rounding = 1 + 1e-12 * (maxSteps + 10);
  // A broken-down run spans an invariant subspace containing its Gaussian start: its θ is λ_max (w.p. 1).
  const upper = breakdown
    ? ritz * rounding
    : (ritz / (1 - Math.min(slackFor(n, Math.max(taken - 1, 1), delta, s), 0.99))) * rounding;
  return { ritz, upper, steps: taken, breakdown };
}

/** out[c] = Σ_i a[i, c] · b[i, c] for the n × s row-major blocks a, b. */
function blockDots(a: Float64Array, b: Float64Array, n: number, s: number, out: Float64Array): void {
  if (s === 4) {
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    for (let o = 0; o < 4 * n; o += 4) {
      d0 += a[o] * b[o];
      d1 += a[o + 1] * b[o + 1];
      d2 += a[o + 2] * b[o + 2];
      d3 += a[o + 3] * b[o + 3];
    }
    out[0] = d0;
    out[1] = d1;
    out[2] = d2;
    out[3] = d3;
    return;
  }
  for (let c = 0; c < s; c++) {
    let d = 0;
    for (let i = c; i < n * s; i += s) d += a[i] * b[i];
    out[c] = d;
  }
}

/** w[i, c] −= p[c] · v[i, c] for the n × s row-major blocks w, v. */
function subtractScaled(w: Float64Array, v: Float64Array, n: number, s: number, p: Float64Array): void {
  if (s === 4) {
    const p0 = p[0];
    const p1 = p[1];
    const p2 = p[2];
    const p3 = p[3];
    for (let o = 0; o < 4 * n; o += 4) {
      w[o] -= p0 * v[o];
      w[o + 1] -= p1 * v[o + 1];
      w[o + 2] -= p2 * v[o + 2];
      w[o + 3] -= p3 * v[o + 3];
    }
    return;
  }
  for (let c = 0; c < s; c++) {
    const pc = p[c];
    for (let i = c; i < n * s; i += s) w[i] -= pc * v[i];
  }
}

function columnDot(a: Float64Array, b: Float64Array, n: number, s: number, c: number): number {
  let acc = 0;
  for (let i = c; i < n * s; i += s) acc += a[i] * b[i];
  return acc;
}

function normaliseColumn(x: Float64Array, n: number, s: number, c: number): void {
  const norm = Math.sqrt(columnDot(x, x, n, s, c));
  for (let i = c; i < n * s; i += s) x[i] /= norm;
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
