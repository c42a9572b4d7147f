/**
 * Deterministic upper bound on the cut norm from the SDP's dual candidate, proved by a float64 Cholesky
 * factorisation with a rigorous rounding margin (no randomness: the bound holds, or none is returned).
 *
 * Setting (see `sdp.ts`). A' = [[B, −ρ], [−κᵀ, τ]] is the Alon–Naor augmentation of the mass matrix B, so
 * `4‖B‖_□ = max_{x,y ∈ {±1}} xᵀA'y`. For positive weights α (rows of A') and β (columns) let
 * `G = D_α^{-½} A' D_β^{-½}`. By Cauchy–Schwarz, for every x, y ∈ {±1},
 *
 *     xᵀA'y = (D_α^{½}x)ᵀ G (D_β^{½}y) ≤ σ_max(G) · √(Σα · Σβ),
 *
 * which is the dual certificate `Diag(y) − Â ⪰ 0` in Schur-complement form: with the block [[I, −G], [−Gᵀ,
 * λI]], eliminating the identity block leaves `λI − GᵀG`, and `λI − GᵀG ⪰ 0` ⟺ `σ_max(G)² ≤ λ`. The
 * weights are the solver's row/column norms (complementary slackness makes them optimal at the SDP optimum),
 * rounded to floats r_i ≈ α_i^{-½}; the certificate is about the *exact* weights α_i := r_i^{-2} (any
 * positive weights give a valid bound), whose sums are bounded from above.
 *
 * Proof of `σ_max(G)² ≤ λ⁺` (S = the smaller side + 1, T = the larger side + 1; the Schur complement is
 * formed on the smaller side, K = GᵀG or GGᵀ):
 *
 * 1. G̃ = the float64 G, formed row by row from the operator's value rows (never the float32 fast path).
 *    Entrywise `|G̃ − G| ≤ F` with F from the rounding of each mass entry (k summands, two weight products:
 *    γ_{k+9} relative to Σ|terms|), of the row/column sums ρ, κ, τ (γ_len relative to Σ|B̃| plus the
 *    propagated entry errors) and of the two weight products, with absolute η-terms wherever a product may
 *    underflow; `‖G̃ − G‖₂ ≤ ‖F‖_F =: e`.
 * 2. K̃ = fl(G̃ᵀG̃) by the GEMM provider in row chunks and row panels, lower triangle mirrored (any
 *    summation order): `‖K̃ − G̃ᵀG̃‖₂ ≤ γ_T‖G̃‖_F²
 *    + S·T·η` (η = 2⁻¹⁰⁷⁴, underflow), and `‖G̃ᵀG̃ − GᵀG‖₂ ≤ e(2‖G̃‖_F + e)`.
 * 3. S̃ = fl(λI − K̃): the diagonal subtraction adds at most u·max_j(λ + |K̃_jj|).
 * 4. A float64 Cholesky of S̃ that runs to completion proves `λ_min(S̃) ≥ −μ` (`psd-certificate.ts`:
 *    μ = γ_{S+2}/(1−γ_{S+2}) · tr S̃, plus an underflow term).
 *
 * Hence `λ_max(GᵀG) ≤ λ⁺ := λ + μ + γ_T‖G̃‖_F² + S·T·η + u·max_j(λ + |K̃_jj|) + e(2‖G̃‖_F + e)` and
 *
 *     ‖B‖_□ ≤ √λ⁺ · √(Σα · Σβ) / 4        (deterministic).
 *
 * λ itself is a guess: the largest Ritz value θ of K̃ after a few Lanczos steps from a fixed start, times
 * 1 + δ for δ = 2⁻²⁰, 2⁻¹², 2⁻⁷, 2⁻⁴, 2⁻¹ in turn, then the Gershgorin bound max_j Σ_k |K̃_jk| (a failed
 * factorisation only costs time; a wrong guess can never produce a wrong bound). The margins are ~S·T·u
 * relative: far below the 1 + δ of the guess, so the deterministic bound is within ~10⁻⁶ of the exact dual
 * value of the candidate, typically tighter than the probabilistic bound (whose Lanczos slack is ε = 0.02).
 *
 * Sizes: the Schur complement is S × S dense (S = min(rows, cols) + 1); rows of the taller side are
 * streamed in blocks of max(S, 2²²/S) rows, so memory is O(S² + 2²²) when rows ≥ cols and O(S·T) otherwise.
 * {@link deterministicLimit} caps S (4096 with LAPACK, 2048 on the JS path, where a 2049² Cholesky takes
 * seconds); above it no Cholesky certificate is attempted. Cost: T·S² multiply-adds (GEMM) + S³/3 (Cholesky)
 * + O(T·S) to form G̃.
 */
import { Rng } from '@graphon-pai/core';
import { lapackAvailable } from '@graphon-pai/linalg';
import { lanczosMax } from './lanczos';
import { lowerGram } from './lower-gram';
import type { BlockOperator } from './operator';
import { ASSEMBLY, choleskyEigenLowerBound, gamma, UNIT_ROUNDOFF } from './psd-certificate';

export interface DeterministicCertificate {
  /** Upper bound on ‖B‖_□ (deterministic). */
  bound: number;
  /** The λ whose factorisation succeeded and the final λ⁺ ≥ σ_max(G)². */
  lambda: number;
  lambdaUpper: number;
  /** Largest Ritz value of K̃ (the guess λ started from). */
  ritz: number;
  /** Cholesky factorisations tried (the last one succeeded). */
  attempts: number;
  /** Order S of the factored Schur complement. */
  schurSize: number;
}

/** Largest Schur-complement order attempted: 4096 with LAPACK, 2048 on the JS path. */
export function deterministicLimit(): number {
  return lapackAvailable() ? 4096 : 2048;
}

/** Stored G̃ entries when the smaller side is the rows (m < n: G̃ is kept whole for K = G̃G̃ᵀ). */
const FULL_LIMIT = 1 << 25;
/** Entries of G̃ held at once when streaming (32 MiB): one GEMM for the usual sizes. Tests lower it. */
export const gramBlock = { entries: 1 << 22 };
const LANCZOS_STEPS = 40;

const GUESS_SLACKS = [2 ** -20, 2 ** -12, 2 ** -7, 2 ** -4, 2 ** -1];

/**
 * The deterministic bound for the weights `a` (m + 1 rows of A') and `b` (n + 1 columns), or undefined when
 * the operator is too large ({@link deterministicLimit}) or no factorisation succeeds.
 */
export function deterministicCertificate(
  op: BlockOperator,
  a: Float64Array,
  b: Float64Array,
): DeterministicCertificate | undefined {
  const m = op.rows;
  const n = op.cols;
  const rowsTall = m >= n;
  const S = (rowsTall ? n : m) + 1;
  const T = (rowsTall ? m : n) + 1;
  if (S > deterministicLimit() || (!rowsTall && S * T > FULL_LIMIT)) return undefined;
  const ra = reciprocalRoots(a);
  const rb = reciprocalRoots(b);
  const sumAlpha = exactWeightSum(ra);
  const sumBeta = exactWeightSum(rb);
  const formed = formGram(op, ra, rb, rowsTall, S, T);
  if (!formed) return undefined;
  const { k, frob2, errFrob, spare } = formed;

  // The guess: largest Ritz value of K̃ (fixed seed: reproducible; correctness never depends on it). Starting
  // from the solver's vectors instead (at the optimum K·D^{½}V = D^{½}V) was tried: off the exact optimum
  // the top eigenvalue lies a few % above that subspace and 12 steps missed it, costing retries.
  const apply = (x: Float64Array, out: Float64Array): void => symmetricMatVec(k, S, x, out);
  const ritz = lanczosMax(S, apply, LANCZOS_STEPS, 0.5, new Rng('deterministic-certificate'), 1).ritz;
  let gershgorin = 0;
  let maxKdiag = 0;
  for (let j = 0; j < S; j++) {
    let r = 0;
    for (let l = 0; l < S; l++) r += Math.abs(k[j * S + l]);
    gershgorin = Math.max(gershgorin, r);
    maxKdiag = Math.max(maxKdiag, Math.abs(k[j * S + j]));
  }
  const guesses = GUESS_SLACKS.map((d) => ritz * (1 + d)).filter((x) => x > 0 && x < gershgorin);
  guesses.push(gershgorin * (1 + 2 ** -20) + Number.MIN_VALUE * 2 ** 60);
  const shifted = spare.subarray(0, S * S);
  let attempts = 0;
  for (const lambda of guesses) {
    attempts++;
    // Lower triangle only (the factorisations read nothing else).
    for (let j = 0; j < S; j++) {
      const o = j * S;
      for (let l = 0; l < j; l++) shifted[o + l] = -k[o + l];
      shifted[o + j] = lambda - k[o + j];
    }
    const mu = choleskyEigenLowerBound(shifted, S);
    if (mu === undefined) continue;
    const gemmError = gamma(T) * frob2 + S * T * Number.MIN_VALUE;
    const shiftError = UNIT_ROUNDOFF * (lambda + maxKdiag);
    const inputError = errFrob * (2 * Math.sqrt(frob2) + errFrob);
    const lambdaUpper = (lambda + mu + gemmError + shiftError + inputError) * ASSEMBLY;
    const bound = ((Math.sqrt(lambdaUpper) * Math.sqrt(sumAlpha * sumBeta)) / 4) * ASSEMBLY;
    return { bound, lambda, lambdaUpper, ritz, attempts, schurSize: S };
  }
  return undefined;
}

/**
 * out = K·x for the dense S×S row-major K (a JS loop: a provider call would copy K every step); four
 * independent accumulators let the additions overlap.
 */
function symmetricMatVec(k: Float64Array, s: number, x: Float64Array, out: Float64Array): void {
  const s4 = s - (s % 4);
  for (let i = 0; i < s; i++) {
    const o = i * s;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let j = 0; j < s4; j += 4) {
      a0 += k[o + j] * x[j];
      a1 += k[o + j + 1] * x[j + 1];
      a2 += k[o + j + 2] * x[j + 2];
      a3 += k[o + j + 3] * x[j + 3];
    }
    for (let j = s4; j < s; j++) a0 += k[o + j] * x[j];
    out[i] = a0 + a1 + (a2 + a3);
  }
}

/** r_i = fl(1/√w_i) after flooring tiny weights at 1e-9·max (any positive weights are valid). */
function reciprocalRoots(w: Float64Array): Float64Array {
  let max = 0;
  for (let i = 0; i < w.length; i++) max = Math.max(max, w[i]);
  const floor = max > 0 ? max * 1e-9 : 1;
  const r = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) r[i] = 1 / Math.sqrt(Math.max(w[i], floor));
  return r;
}

/** Upper bound on Σ r_i⁻² (the exact weights the certificate is about). */
function exactWeightSum(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += 1 / (r[i] * r[i]);
  return s * (1 + gamma(r.length + 4));
}

interface Gram {
  /** K̃ (S×S, row-major). */
  k: Float64Array;
  /** Upper bound on ‖G̃‖_F². */
  frob2: number;
  /** Upper bound on ‖G̃ − G‖_F. */
  errFrob: number;
  /** The row buffer of G̃, free once K̃ is formed (≥ S² entries): reused for the shifted matrix. */
  spare: Float64Array;
}

/**
 * Streams the rows of A' (value rows of the operator, mass-weighted, then the augmentation), scales them
 * into rows of G̃ and accumulates K̃ with the entrywise error bounds of step 1 of the file header.
 */
function formGram(
  op: BlockOperator,
  ra: Float64Array,
  rb: Float64Array,
  rowsTall: boolean,
  S: number,
  T: number,
): Gram | undefined {
  const m = op.rows;
  const n = op.cols;
  const n1 = n + 1;
  const h = op.rowWeights;
  const g = op.colWeights;
  const terms = op.summands.length + 2 * op.rankOne.length;
  // Relative error of a mass entry against h·g·Σ|terms|: k summands (≤ 2 roundings each), h·g, ·D.
  const entryRel = 1.01 * gamma(terms + 9);
  const sumRelN = gamma(n + 2);
  const sumRelM = gamma(m + 2);
  const scaleRel = gamma(3);
  const value = new Float64Array(n);
  const abs = new Float64Array(n);
  const kappa = new Float64Array(n);
  const kappaErr = new Float64Array(n);
  const kappaAbs = new Float64Array(n);
  const rowErr = new Float64Array(n1);
  let tau = 0;
  let tauErr = 0;
  let tauAbs = 0;
  let frob2 = 0;
  let err2 = 0;
  const k = new Float64Array(S * S);
  // `block` holds G̃ with the K̃ index along its rows (S × width, row-major): rows ≥ cols streams chunks of
  // `width` rows of G̃ stored transposed (K̃ += chunk·chunkᵀ); otherwise G̃ itself, whole (K̃ = G̃G̃ᵀ).
  // At least S wide, so that the buffer can hold the S × S shifted matrix afterwards.
  const width = rowsTall ? Math.min(m + 1, Math.max(S, Math.floor(gramBlock.entries / n1))) : n1;
  const block = new Float64Array(S * width);
  let filled = 0;
  let flushed = false;
  const flush = (): void => {
    if (filled === 0) return;
    lowerGram(block, S, width, filled, k, flushed ? 'add' : 'set');
    flushed = true;
    filled = 0;
  };
  /** Scales a row of Ã' (with its entry error bounds) into the next row of G̃. */
  const emit = (i: number, row: Float64Array, err: Float64Array): void => {
    // Row i of G̃ is column `filled` of the chunk (rows ≥ cols) or row i of G̃ (otherwise).
    const o = rowsTall ? filled : i * n1;
    const stride = rowsTall ? width : 1;
    const ri = ra[i];
    // Local accumulators: doubles captured by a closure would be boxed on every update.
    let f2 = 0;
    let e2 = 0;
    for (let j = 0; j < n1; j++) {
      const x = row[j] * ri * rb[j];
      block[o + j * stride] = x;
      f2 += x * x;
      // Two products: relative γ_3, or an absolute η/2 each when the result underflows.
      const e = scaleRel * Math.abs(x) + ri * rb[j] * err[j] * (1 + scaleRel) + Number.MIN_VALUE;
      e2 += e * e;
    }
    frob2 += f2;
    err2 += e2;
    filled++;
    if (filled === width && rowsTall) flush();
  };
  const row = new Float64Array(n1);
  for (let p = 0; p < m; p++) {
    op.valueRow(p, value, abs);
    const hp = h[p];
    let rho = 0;
    let rhoAbs = 0;
    let rhoErr = 0;
    for (let q = 0; q < n; q++) {
      const mass = hp * g[q] * value[q];
      // Plus 2η: the products h·g·D may underflow (additions are exact there).
      const e = entryRel * hp * g[q] * abs[q] + 2 * Number.MIN_VALUE;
      row[q] = mass;
      rowErr[q] = e;
      rho += mass;
      rhoAbs += Math.abs(mass);
      rhoErr += e;
      kappa[q] += mass;
      kappaAbs[q] += Math.abs(mass);
      kappaErr[q] += e;
    }
    const rhoBound = (rhoErr + sumRelN * rhoAbs) * (1 + sumRelN);
    row[n] = -rho;
    rowErr[n] = rhoBound;
    tau += rho;
    tauAbs += Math.abs(rho);
    tauErr += rhoBound;
    emit(p, row, rowErr);
  }
  for (let q = 0; q < n; q++) {
    row[q] = -kappa[q];
    rowErr[q] = (kappaErr[q] + sumRelM * kappaAbs[q]) * (1 + sumRelM);
  }
  row[n] = tau;
  rowErr[n] = (tauErr + sumRelM * tauAbs) * (1 + sumRelM);
  emit(m, row, rowErr);
  if (rowsTall) flush();
  else lowerGram(block, S, n1, n1, k, 'set');
  // Mirror the lower triangle (the Lanczos guess and Gershgorin read whole rows).
  for (let i = 0; i < S; i++) for (let j = 0; j < i; j++) k[j * S + i] = k[i * S + j];
  const count = S * T;
  // Sums of count squares: relative γ_{count+1}, plus η/2 per square that underflows. The 1.01 absorbs the
  // rounding of the error bounds' own arithmetic.
  frob2 = (frob2 + count * Number.MIN_VALUE) * (1 + gamma(count + 2));
  const errFrob = 1.01 * Math.sqrt((err2 + count * Number.MIN_VALUE) * (1 + gamma(count + 2)));
  if (!Number.isFinite(frob2) || !Number.isFinite(errFrob)) return undefined;
  for (let i = 0; i < S * S; i++) if (!Number.isFinite(k[i])) return undefined;
  return { k, frob2, errFrob, spare: block };
}
