/**
 * Thin QR of a tall row-major block W (rows×b): W = Q·R with Q orthonormal (overwrites W) and R b×b upper
 * triangular. Cholesky QR applied twice (CholQR2: G = WᵀW = LLᵀ, W ← W·L⁻ᵀ, twice; R = L₂ᵀ·L₁ᵀ), so the
 * O(rows·b²) work runs in the GEMM provider; when W is too ill-conditioned for that (a Cholesky pivot
 * below 1e-12 of its diagonal entry, i.e. κ(W) ≳ 10⁶), falls back to modified Gram–Schmidt with random
 * replacement of collapsed columns ({@link orthonormalize}).
 *
 * Reference: Fukaya, Nakatsukasa, Yanagisawa, Yamamoto, "CholeskyQR2: a simple and communication-avoiding
 * algorithm for computing a tall-skinny QR factorization", ScalA 2014.
 */
import type { Rng } from '@graphon-pai/core';
import { gemmUnchecked } from '../gemm';
import { orthonormalize } from './orthonormalize';
import { scratch64 } from './scratch';

/** Lower Cholesky of the b×b Gram matrix in place; false when a pivot is (numerically) not positive. */
function smallCholesky(g: Float64Array, b: number): boolean {
  for (let j = 0; j < b; j++) {
    const rj = j * b;
    const diag = g[rj + j];
    let d = diag;
    for (let p = 0; p < j; p++) d -= g[rj + p] * g[rj + p];
    if (!(d > 1e-12 * diag) || !(diag > 0)) return false;
    const ljj = Math.sqrt(d);
    g[rj + j] = ljj;
    for (let i = j + 1; i < b; i++) {
      const ri = i * b;
      let s = g[ri + j];
      for (let p = 0; p < j; p++) s -= g[ri + p] * g[rj + p];
      g[ri + j] = s / ljj;
    }
    for (let c = j + 1; c < b; c++) g[rj + c] = 0;
  }
  return true;
}

/** Inverse of a lower-triangular b×b matrix (row-major), into out. */
function lowerInverse(l: Float64Array, b: number, out: Float64Array): void {
  out.fill(0, 0, b * b);
  for (let j = 0; j < b; j++) {
    out[j * b + j] = 1 / l[j * b + j];
    for (let i = j + 1; i < b; i++) {
      let s = 0;
      for (let p = j; p < i; p++) s += l[i * b + p] * out[p * b + j];
      out[i * b + j] = -s / l[i * b + i];
    }
  }
}

/** W (rows×b, row-major) ← Q, and r (b×b) ← R with W_in = Q·R. */
export function blockQr(w: Float64Array, rows: number, b: number, rng: Rng, r: Float64Array): void {
  if (b === 0) return;
  const g = scratch64('bqr:g', b * b);
  const inv = scratch64('bqr:inv', b * b);
  const tmp = scratch64('bqr:tmp', rows * b);
  const r1 = scratch64('bqr:r1', b * b);
  const wv = w.subarray(0, rows * b);
  let passes = 0;
  for (; passes < 2; passes++) {
    gemmUnchecked(true, false, b, b, rows, 1, wv, wv, 0, g);
    if (!smallCholesky(g, b)) break;
    lowerInverse(g, b, inv);
    // W ← W·L⁻ᵀ
    gemmUnchecked(false, true, rows, b, b, 1, wv, inv.subarray(0, b * b), 0, tmp);
    wv.set(tmp.subarray(0, rows * b));
    if (passes === 0) {
      // R₁ = L₁ᵀ
      for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) r1[i * b + j] = g[j * b + i];
    } else {
      // R = L₂ᵀ·R₁ (both upper triangular)
      for (let i = 0; i < b; i++) {
        for (let j = 0; j < b; j++) {
          let s = 0;
          for (let p = i; p <= j; p++) s += g[p * b + i] * r1[p * b + j];
          r[i * b + j] = j >= i ? s : 0;
        }
      }
    }
  }
  if (passes === 2) return;
  // Too ill-conditioned for Cholesky QR: Gram–Schmidt on the current W (= W_in after `passes` passes).
  const rm = scratch64('bqr:rm', b * b);
  orthonormalize(wv, rows, b, rng, rm);
  if (passes === 0) {
    r.set(rm.subarray(0, b * b));
    return;
  }
  // W_in = W₁·R₁ and W₁ = Q·R_m, so R = R_m·R₁.
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < b; j++) {
      let s = 0;
      for (let p = 0; p < b; p++) s += rm[i * b + p] * r1[p * b + j];
      r[i * b + j] = s;
    }
  }
}
