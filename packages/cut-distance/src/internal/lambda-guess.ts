/**
 * The λ guesses of the deterministic certificate (`deterministic-certificate.ts`): values to try as the
 * shift of `λI − K̃`, where K̃ is the computed Gram matrix, stored negated (−K̃, lower triangle only).
 * Correctness never depends on them (a factorisation proves the bound, or fails and the next guess is
 * tried); they only decide how tight the bound is and how many factorisations it takes.
 *
 * The first guesses are θ·(1 + δ) for the certificate's slacks δ, where θ is the largest Ritz value of K̃
 * after k steps of plain Lanczos (Paige's form of the three-term recurrence, no reorthogonalisation) from a
 * fixed start:
 *
 *     w = K̃q_j − β_{j−1}q_{j−1},  α_j = wᵀq_j,  w ← w − α_j q_j,  β_j = ‖w‖,  q_{j+1} = w / β_j,
 *     θ = λ_max(T_k),  T_k = tridiag(β, α, β)   (by bisection, `tridiagonalMax`).
 *
 * In exact arithmetic θ ≤ λ_max(K̃), and θ → λ_max as k grows; in floating point the recurrence loses
 * orthogonality once θ converges, which adds copies of converged Ritz values but does not move the largest
 * one beyond rounding. The last guess is the Gershgorin bound max_j Σ_l |K̃_jl| ≥ λ_max(K̃), which
 * always factors up to rounding.
 */
import { Rng } from '@graphon-pai/core';
import { symmetricMatVec } from '@graphon-pai/linalg';
import { tridiagonalMax } from './lanczos';

/**
 * Largest Ritz value θ of K̃ after `steps` Lanczos steps. Each step is one product with the lower triangle
 * of −K̃ (`negK`) in its precision (`symv` on OpenBLAS with LAPACK, else a JS loop; no mirrored copy); the
 * recurrence runs in float64, in three fused passes over the vectors per step. The product is scaled (in
 * float64, after it) by minus a power of two that brings the largest diagonal entry `maxDiag` near 1: the
 * sign turns −K̃ into K̃, the power keeps the recurrence from overflowing or underflowing (its squares of
 * 10⁻²⁰⁰ would) whatever the scale of the weights.
 */
export function largestRitz(
  negK: Float64Array | Float32Array,
  s: number,
  steps: number,
  maxDiag: number,
): number {
  const scale = maxDiag > 0 && Number.isFinite(maxDiag) ? 2 ** -Math.round(Math.log2(maxDiag)) : 1;
  const minusScale = -scale;
  const f32 = negK instanceof Float32Array;
  const x = f32 ? new Float32Array(s) : new Float64Array(s);
  const y = f32 ? new Float32Array(s) : new Float64Array(s);
  let q = new Float64Array(s);
  let prev = new Float64Array(s);
  const w = new Float64Array(s);
  const rng = new Rng('deterministic-certificate');
  let norm = 0;
  for (let i = 0; i < s; i++) {
    q[i] = rng.normal();
    norm += q[i] * q[i];
  }
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < s; i++) q[i] *= inv;
  const alpha: number[] = [];
  const beta: number[] = [];
  let b = 0;
  let largest = 0;
  const k = Math.min(steps, s);
  for (let j = 0; j < k; j++) {
    x.set(q);
    symmetricMatVec(s, negK as Float64Array, x as Float64Array, y as Float64Array);
    let a = 0;
    for (let i = 0; i < s; i++) {
      const wi = minusScale * y[i] - b * prev[i];
      w[i] = wi;
      a += wi * q[i];
    }
    alpha.push(a);
    largest = Math.max(largest, Math.abs(a));
    if (j === k - 1) break;
    let squares = 0;
    for (let i = 0; i < s; i++) {
      const wi = w[i] - a * q[i];
      w[i] = wi;
      squares += wi * wi;
    }
    b = Math.sqrt(squares);
    // Breakdown: the Krylov space is invariant and θ is exact for it.
    if (!(b > 1e-13 * Math.max(largest, 1e-300))) break;
    beta.push(b);
    const t = prev;
    prev = q;
    q = t;
    const invB = 1 / b;
    for (let i = 0; i < s; i++) q[i] = w[i] * invB;
  }
  return tridiagonalMax(alpha, beta) / scale;
}

/**
 * The λ guesses in order: ritz·(1 + δ) for each slack δ, rounded up to 24 significant bits (so that a
 * rounding-level change of K̃, from another summation order or provider, almost never changes λ and with it
 * the bound), then the Gershgorin bound max_j Σ_l |K̃_jl| (from the lower triangle of −K̃; it always
 * factors, up to rounding). Gershgorin costs a pass over K̃, so it is computed only once the two smallest
 * slacks have failed; later guesses at or above it are skipped.
 */
export function* lambdaGuesses(
  ritz: number,
  negK: Float64Array | Float32Array,
  s: number,
  slacks: number[],
): Generator<number> {
  const first = ritz > 0 ? slacks.slice(0, 2) : [];
  for (const d of first) yield roundUp24(ritz * (1 + d));
  // Row sums of |K̃| from its lower triangle: entry (j, l), l < j, counts in rows j and l.
  const rows = new Float64Array(s);
  for (let j = 0; j < s; j++) {
    let r = Math.abs(negK[j * s + j]);
    for (let l = 0; l < j; l++) {
      const x = Math.abs(negK[j * s + l]);
      r += x;
      rows[l] += x;
    }
    rows[j] += r;
  }
  let gershgorin = 0;
  for (let j = 0; j < s; j++) gershgorin = Math.max(gershgorin, rows[j]);
  gershgorin = gershgorin * (1 + 2 ** -20) + Number.MIN_VALUE * 2 ** 60;
  for (const d of slacks.slice(first.length)) {
    const x = roundUp24(ritz * (1 + d));
    if (x > 0 && x < gershgorin) yield x;
  }
  yield gershgorin;
}

/** The smallest multiple of 2^(⌊log₂ x⌋ − 23) that is ≥ x (exact: scaling by powers of two); x itself when tiny or not finite. */
function roundUp24(x: number): number {
  if (!(x >= 2 ** -1000 && x < Number.POSITIVE_INFINITY)) return x;
  const unit = 2 ** (Math.floor(Math.log2(x)) - 23);
  return Math.ceil(x / unit) * unit;
}
