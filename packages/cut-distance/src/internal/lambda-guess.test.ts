import { Rng } from '@graphon-pai/core';
import { symmetricEigen } from '@graphon-pai/linalg';
import { lambdaGuesses, largestRitz } from './lambda-guess';

/**
 * K = Q diag(d) Q with the Householder reflection Q = I − 2uuᵀ (so λ(K) = d exactly), formed entry by entry:
 * K_ij = d_i δ_ij − 2u_i u_j (d_i + d_j) + 4c u_i u_j, c = Σ d_k u_k².
 */
function reflected(d: Float64Array, rng: Rng): Float64Array {
  const n = d.length;
  const u = Float64Array.from(rng.normalArray(n));
  const norm = Math.hypot(...u);
  for (let i = 0; i < n; i++) u[i] /= norm;
  let c = 0;
  for (let i = 0; i < n; i++) c += d[i] * u[i] * u[i];
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      k[i * n + j] = (i === j ? d[i] : 0) + u[i] * u[j] * (4 * c - 2 * (d[i] + d[j]));
  }
  return k;
}

/** −K with NaN above the diagonal (the guess must read the lower triangle only), in the given precision. */
function negatedLower(k: Float64Array, n: number, float32: boolean): Float64Array | Float32Array {
  const out = float32 ? new Float32Array(n * n) : new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) out[i * n + j] = j <= i ? -k[i * n + j] : Number.NaN;
  return out;
}

/** λ_max of the matrix the stored lower triangle of −K̃ represents, by a float64 eigensolver. */
function referenceMax(negK: Float64Array | Float32Array, n: number): number {
  const full = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      full[i * n + j] = -negK[i * n + j];
      full[j * n + i] = -negK[i * n + j];
    }
  }
  return symmetricEigen(full, n, { k: 1, which: 'largest' }).values[0];
}

/**
 * The spectrum the solver's Gram matrices have at the top (measured on the 1000 × 1000 difference): a flat
 * shelf, λ₂/λ₁ ≈ 0.986 and 40 eigenvalues above 0.82·λ₁, then a bulk.
 */
function shelf(n: number, rng: Rng): Float64Array {
  const d = new Float64Array(n).map(() => 0.8 * rng.uniform());
  d[0] = 1;
  d[1] = 0.986;
  for (let i = 2; i < 40; i++) d[i] = 0.82 + (0.986 - 0.82) * rng.uniform();
  return d;
}

describe('largestRitz (Lanczos guess of λ_max(K̃))', () => {
  const n = 400;
  const k = reflected(shelf(n, new Rng('shelf')), new Rng('reflection'));

  it('float64, 64 steps: θ ≤ λ_max up to rounding and within 2⁻²⁰ of it, on a flat-shelf spectrum', () => {
    const negK = negatedLower(k, n, false);
    const lambda = referenceMax(negK, n);
    const theta = largestRitz(negK, n, 64, 1);
    expect(theta).toBeLessThanOrEqual(lambda * (1 + 1e-12));
    expect(theta).toBeGreaterThanOrEqual(lambda * (1 - 2 ** -20));
  });

  it('float32 storage, 48 steps: within 2⁻¹⁰ of λ_max of the stored matrix, never above it', () => {
    const negK = negatedLower(k, n, true);
    const lambda = referenceMax(negK, n);
    const theta = largestRitz(negK, n, 48, 1);
    // The recurrence runs in float64 on exactly the stored float32 matrix (products summed in float32).
    expect(theta).toBeLessThanOrEqual(lambda * (1 + 1e-5));
    expect(theta).toBeGreaterThanOrEqual(lambda * (1 - 2 ** -10));
  });

  it('scales exactly with the matrix by powers of two (no overflow or underflow at 2^±900)', () => {
    const negK = negatedLower(k, n, false);
    const theta = largestRitz(negK, n, 24, 1);
    for (const e of [-900, 900]) {
      const scaled = negK.map((x) => x * 2 ** e);
      expect(largestRitz(scaled, n, 24, 2 ** e)).toBe(theta * 2 ** e);
    }
  });

  it('is exact (to rounding) once the Krylov space is invariant: three distinct eigenvalues', () => {
    const d = new Float64Array(60).map((_, i) => [0.25, 0.5, 2][i % 3]);
    const negK = negatedLower(reflected(d, new Rng('three')), 60, false);
    expect(largestRitz(negK, 60, 48, 2)).toBeCloseTo(2, 12);
  });
});

describe('lambdaGuesses', () => {
  it('θ(1 + δ) rounded up to 24 bits for each slack below Gershgorin, then the Gershgorin bound', () => {
    const n = 50;
    const k = reflected(shelf(n, new Rng('g-shelf')), new Rng('g-reflection'));
    const negK = negatedLower(k, n, false);
    let gershgorin = 0;
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) row += Math.abs(k[i * n + j]);
      gershgorin = Math.max(gershgorin, row);
    }
    const theta = 0.999;
    const slacks = [2 ** -10, 2 ** -8, 2 ** -4, 2 ** -1, 2, 1000];
    const guesses = [...lambdaGuesses(theta, negK, n, slacks)];
    // Slacks 2 and 1000 put θ(1 + δ) above Gershgorin: skipped.
    expect(gershgorin).toBeLessThan(theta * 3);
    expect(guesses).toHaveLength(5);
    slacks.slice(0, 4).forEach((d, i) => {
      const x = theta * (1 + d);
      expect(guesses[i]).toBeGreaterThanOrEqual(x);
      expect(guesses[i]).toBeLessThanOrEqual(x * (1 + 2 ** -23));
      const unit = 2 ** (Math.floor(Math.log2(guesses[i])) - 23);
      expect(Number.isInteger(guesses[i] / unit)).toBe(true);
    });
    expect(guesses[4]).toBeGreaterThanOrEqual(gershgorin);
    expect(guesses[4]).toBeLessThanOrEqual(gershgorin * (1 + 1e-5));
  });

  it('goes straight to Gershgorin when θ is not positive', () => {
    const negK = negatedLower(reflected(Float64Array.of(1, 2, 3), new Rng('tiny')), 3, false);
    const guesses = [...lambdaGuesses(0, negK, 3, [2 ** -10, 2 ** -8])];
    expect(guesses).toHaveLength(1);
    expect(guesses[0]).toBeGreaterThanOrEqual(3);
  });
});
