/**
 * Deterministic upper bound on the cut norm from the SDP's dual candidate, proved by a Cholesky
 * factorisation in float64 or float32 with a rigorous rounding margin (no randomness: the bound holds, or
 * none is returned).
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
 * formed on the smaller side, K = GᵀG or GGᵀ; u and η are the unit roundoff and the per-operation underflow
 * error of the certificate's `precision`: 2⁻⁵³ and 2⁻¹⁰⁷⁴ in float64, 2⁻²⁴ and 2⁻¹²⁶ in float32, the
 * latter the smallest normal so that flush-to-zero kernels are covered):
 *
 * 1. G̃ = the float64 G, formed in one pass over the operator's value rows (never the float32 fast path; one
 *    dense matrix on its own pieces is read in place, by the WebAssembly SIMD row kernel of `form-rows.ts`
 *    where it runs: the same float64 operations, sums in lanes), with no error arithmetic per entry: the
 *    error is bounded globally. Write u₆₄, η₆₄ = 2⁻⁵³, 2⁻¹⁰⁷⁴. A mass entry m̃ = fl(fl(h·g)·D̃), D̃ the rounded sum of
 *    k terms, satisfies |m̃ − h·g·D| ≤ c·w + 2η₆₄ with c = 1.01·γ_{k+9} and w = h·g·Σ|terms| (one term:
 *    w = |m̃|); x̃ = fl(fl(m̃·r_p)·r_q) adds γ₃|x̃| and η₆₄(1 + r_q) (each product is exact up to relative
 *    u₆₄ or, underflowing, absolute η₆₄/2; the first one's carried through ·r_q). So entrywise
 *    |x̃ − x| ≤ γ₃|x̃| + (1 + γ₃)·r_p r_q (c·w + 2η₆₄) + η₆₄(1 + r_q), and by Minkowski's inequality over
 *    the mass entries, with ν := η₆₄(√(S·T) + √(m + 1)·‖r_b‖),
 *
 *        ‖E_mass‖_F ≤ γ₃‖G̃‖_F + (1 + γ₃)(c·‖W‖_F + 2η₆₄‖r_a‖‖r_b‖) + ν,
 *
 *    W_pq = r_p r_q w_pq, ‖W‖_F ≤ (1 + γ₃)(‖fl(W)‖_F + 2ν) with fl(W) = fl(fl(w·r_p)·r_q) from the same
 *    pass (one term: fl(W) = |G̃|, so ‖W‖_F needs no pass of its own). Sums of squares carry γ_{S·T+2} and η₆₄/2 per square. The
 *    S + T augmentation entries (ρ, κ, τ: γ_len relative to Σw plus the propagated entry errors, then the
 *    two weight products) keep their entrywise bounds e_ij; e := √(‖E_mass‖_F² + Σ e_ij²)·1.01 ≥ ‖G̃ − G‖_F
 *    ≥ ‖G̃ − G‖₂ (tested against an exact rational G, with four terms per entry and with subnormal
 *    entries). Float32: G̃ is stored rounded to float32, |fl₃₂(x) − x| ≤ u|x| + η, which adds
 *    u‖G̃‖_F + √(S·T)·η to e and to ‖G̃‖_F. In float32 the bound is within a factor 2–3 of the actual
 *    error (the final rounding dominates); in float64 it is far below the λ guess's slack either way.
 * 2. K̃ = fl(G̃ᵀG̃) by the GEMM provider (dgemm, or sgemm in float32) in row chunks and row panels, lower
 *    triangle only, stored negated (α = −1: an exact sign change of each computed sum). Each entry is an
 *    inner product of T terms, so in any summation order, fused multiply-adds included, |K̃ − G̃ᵀG̃| ≤ γ_T|G̃|ᵀ|G̃| (Higham, *Accuracy and Stability of Numerical
 *    Algorithms*, 2nd ed., §3.1 and Lemma 3.5), and by Cauchy–Schwarz on each entry
 *    `‖K̃ − G̃ᵀG̃‖₂ ≤ γ_T‖G̃‖_F² + S·T·η`; `‖G̃ᵀG̃ − GᵀG‖₂ ≤ e(2‖G̃‖_F + e)`. This needs true float32
 *    products and sums from sgemm (no bf16/tf32 inputs, no half-precision accumulation): the tests check every
 *    provider with data that lower precision would break.
 * 3. S̃ = fl(λI − K̃): the stored −K̃ copied, its diagonal replaced by λ + (−K̃_jj) in float64 (then rounded
 *    to float32 in float32): the off-diagonal entries are exact, the diagonal adds at most
 *    1.01·u·max_j(λ + |K̃_jj|).
 * 4. A Cholesky of S̃ in the same precision that runs to completion proves `λ_min(S̃) ≥ −μ`
 *    (`psd-certificate.ts`: μ = Σ_i γ_{i+2}/(1−γ_{i+2})·S̃_ii, the Demmel / Rump backward-error bound of
 *    Higham Thm 10.3 weighted per row, plus an underflow term).
 *
 * Hence `λ_max(GᵀG) ≤ λ⁺ := λ + μ + γ_T‖G̃‖_F² + S·T·η + 1.01·u·max_j(λ + |K̃_jj|) + e(2‖G̃‖_F + e)` and
 *
 *     ‖B‖_□ ≤ √λ⁺ · √(Σα · Σβ) / 4        (deterministic).
 *
 * Size of the margin relative to λ ≈ λ_max: float64 ~S·T·u ≈ 10⁻¹⁰, negligible. Float32: γ_T‖G̃‖_F²/λ is
 * T·u times the effective rank ‖G̃‖_F²/λ_max (≈ 240 on a dense 1000 × 1000 difference: 1.4 %), and μ/λ ≈
 * u·S²/2 · (1 − ‖G̃‖_F²/(S·λ)) (≈ 2.3 % there); together ≈ 3.7 % of λ, ≈ 1.9 % of the bound (on a
 * 4096 × 784 mask difference, T = 4097: ≈ 9.7 % of λ, ≈ 4.8 % of the bound). The float32 path therefore
 * trades a few % of tightness (the probabilistic certificate pays ε = 2 % of λ) for a Gram product and a
 * factorisation each about twice as fast.
 *
 * λ itself is a guess: the largest Ritz value θ of K̃ after one plain Lanczos run from a fixed start
 * (`lambda-guess.ts`; each step one product with K̃'s lower triangle, OpenBLAS `symv` where LAPACK runs,
 * so K̃ is never mirrored), times 1 + δ for the slacks δ of the precision in turn (float64: 64 steps,
 * δ = 2⁻²⁰, 2⁻¹⁶, 2⁻¹², 2⁻⁸, 2⁻⁴, 2⁻¹; float32: 48 steps, δ = 2⁻¹⁰, 2⁻⁸, 2⁻⁴, 2⁻¹: its margins dwarf
 * 2⁻¹⁰), then the Gershgorin bound max_j Σ_k |K̃_jk| (a failed factorisation only costs time; a wrong guess
 * can never produce a wrong bound). The solver itself offers no usable guess: its primal value is a few %
 * below the dual value of its candidate weights. In float64 the margins are far below the 1 + δ of the
 * guess, so the deterministic bound is within ~10⁻⁶ of the exact dual value of the candidate, typically
 * tighter than the probabilistic bound (whose Lanczos slack is ε = 0.02). Step count: the top of K̃'s
 * spectrum is a flat shelf (the solver equalises the leading singular values of G), so Lanczos needs many
 * steps but each is cheap: `symv` reads K̃'s lower triangle once, ≈ 0.03 ms at S = 1001 in float32 on one
 * thread (an S × 4 GEMM with the mirrored K̃ took ≈ 0.2 ms, and the mirror ≈ 1 ms). A failed first
 * factorisation costs ≈ 3–5 ms, so steps are spent freely (see {@link LANCZOS_STEPS}); with them the first
 * factorisation succeeded on all 12 solver seeds of both the 1000 × 1000 difference and the 4096 × 784 mask
 * difference and on all 24 of the FSM mask against its 64 × 64 limit, in either precision (with 40 float32
 * steps one FSM seed of 16 needed a third guess, so 48 it is).
 *
 * Sizes: the Schur complement is S × S dense (S = min(rows, cols) + 1); rows of the taller side are
 * streamed in blocks of max(S, 2²²/S) rows, so memory is O(S² + 2²²) when rows > cols and O(S·T) otherwise.
 * {@link deterministicLimit} caps S (4096 with LAPACK, 2048 on the JS path, where a 2049² Cholesky takes
 * seconds); above it no Cholesky certificate is attempted. Cost: T·S²/2 multiply-adds (GEMM, lower
 * triangle) + S³/3 (Cholesky, in place) + 64·S² (float64 Lanczos guess; 48·S² in float32) + O(T·S) to
 * form G̃.
 */
import { lapackAvailable } from '@graphon-pai/linalg';
import { clock } from './clock';
import { createWasmRowScaler } from './form-rows';
import { lambdaGuesses, largestRitz } from './lambda-guess';
import { lowerGram } from './lower-gram';
import type { BlockOperator, DenseSummand, FloatArray } from './operator';
import { ASSEMBLY, choleskyEigenLowerBound, FLOAT32, formatOf, gamma } from './psd-certificate';

/** Arithmetic of the Gram product and the factorisation (G̃ itself is always formed in float64). */
export type CertificatePrecision = 'float64' | 'float32';

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
  precision: CertificatePrecision;
  /** Time per step ({@link clock} ms): forming G̃, the Gram product K̃, the λ guess, the factorisations. */
  phaseMs: { form: number; gram: number; guess: number; factor: number };
}

/** Largest Schur-complement order attempted: 4096 with LAPACK, 2048 on the JS path. */
export function deterministicLimit(): number {
  return lapackAvailable() ? 4096 : 2048;
}

/** Stored G̃ entries when the smaller side is the rows (m < n: G̃ is kept whole for K = G̃G̃ᵀ). */
const FULL_LIMIT = 1 << 25;
/** Entries of G̃ held at once when streaming (32 MiB): one GEMM for the usual sizes. Tests lower it. */
export const gramBlock = { entries: 1 << 22 };
/**
 * Lanczos steps of the guess (one run, each step one `symv` with K̃'s lower triangle): float64 needs θ
 * within 2⁻²⁰ of λ_max(K̃), float32, whose margins are ~10⁻² of λ, only within its first slack 2⁻¹⁰.
 * Measured on K̃ of three solver seeds of the 1000 × 1000 difference, 200 random starts each (the top of
 * the spectrum is a flat shelf: λ₂/λ₁ ≈ 0.986, 40 eigenvalues above 0.82·λ₁): θ missed 2⁻¹⁰ in 17–37 % of
 * the starts at 24 steps, 0.5–7 % at 32, 0–0.5 % at 40 and never at 48; the median error is 10⁻¹¹ at 48
 * steps and at rounding level at 64.
 */
const LANCZOS_STEPS: Record<CertificatePrecision, number> = { float64: 64, float32: 48 };
/** Rows of G̃ staged row-major before they are transposed into the Gram block (`rowsTall`). */
const STAGE_ROWS = 32;

const GUESS_SLACKS: Record<CertificatePrecision, number[]> = {
  float64: [2 ** -20, 2 ** -16, 2 ** -12, 2 ** -8, 2 ** -4, 2 ** -1],
  float32: [2 ** -10, 2 ** -8, 2 ** -4, 2 ** -1],
};

/**
 * The deterministic bound for the weights `a` (m + 1 rows of A') and `b` (n + 1 columns), or undefined when
 * the operator is too large ({@link deterministicLimit}) or no factorisation succeeds.
 */
export function deterministicCertificate(
  op: BlockOperator,
  a: Float64Array,
  b: Float64Array,
  precision: CertificatePrecision = 'float64',
): DeterministicCertificate | undefined {
  const shape = gramShape(op);
  const { S, T } = shape;
  if (S > deterministicLimit() || (!shape.rowsTall && S * T > FULL_LIMIT)) return undefined;
  const ra = reciprocalRoots(a);
  const rb = reciprocalRoots(b);
  const sumAlpha = exactWeightSum(ra);
  const sumBeta = exactWeightSum(rb);
  const start = clock.now();
  const formed = formGram(op, ra, rb, shape, precision);
  if (!formed) return undefined;
  const { negK, frob2, errFrob, spare, gramMs } = formed;
  const formedAt = clock.now();
  const f = formatOf(negK);

  // The guess: largest Ritz value of K̃ by Lanczos from a fixed start (reproducible; correctness never
  // depends on it), each step one product with K̃'s lower triangle. Starting from the solver's vectors
  // instead (at the optimum K·D^{½}V = D^{½}V) was tried: off the exact optimum the top eigenvalue lies a
  // few % above that subspace and 12 steps missed it, costing retries. A non-finite K̃ (float32 overflow)
  // needs no test of its own: its factorisations fail.
  let maxKdiag = 0;
  for (let j = 0; j < S; j++) maxKdiag = Math.max(maxKdiag, Math.abs(negK[j * S + j]));
  const ritz = largestRitz(negK, S, LANCZOS_STEPS[precision], maxKdiag);
  const guessedAt = clock.now();
  const shifted = spare.subarray(0, S * S);
  let attempts = 0;
  for (const lambda of lambdaGuesses(ritz, negK, S, GUESS_SLACKS[precision])) {
    attempts++;
    shift(negK, lambda, S, shifted);
    const mu = choleskyEigenLowerBound(shifted, S);
    if (mu === undefined) continue;
    const gemmError = gamma(T, f.u) * frob2 + S * T * f.eta;
    // fl(λ − K̃_jj) in float64, then (float32) rounded to the stored precision: ≤ 1.01·u·|λ − K̃_jj|.
    const shiftError = 1.01 * f.u * (lambda + maxKdiag);
    const inputError = errFrob * (2 * Math.sqrt(frob2) + errFrob);
    const lambdaUpper = (lambda + mu + gemmError + shiftError + inputError) * ASSEMBLY;
    const bound = ((Math.sqrt(lambdaUpper) * Math.sqrt(sumAlpha * sumBeta)) / 4) * ASSEMBLY;
    const phaseMs = {
      form: formedAt - start - gramMs,
      gram: gramMs,
      guess: guessedAt - formedAt,
      factor: clock.now() - guessedAt,
    };
    return { bound, lambda, lambdaUpper, ritz, attempts, schurSize: S, precision, phaseMs };
  }
  return undefined;
}

/**
 * fl(λI − K̃) into `out` from −K̃ (the factorisations read its lower triangle only): a copy of the whole
 * buffer (a memory copy, ≈ 0.07 ms for S = 1001 in float32, where negating the lower triangle entry by entry
 * took 0.4–0.7 ms) and λ added to the diagonal.
 */
function shift<T extends Float64Array | Float32Array>(negK: T, lambda: number, s: number, out: T): void {
  out.set(negK.subarray(0, s * s));
  for (let j = 0; j < s; j++) out[j * s + j] = lambda + negK[j * s + j];
}

/**
 * A float64 (or, with `float32`, float32) buffer of `length` entries (contents unspecified) for `key`, reused
 * from the previous call while the garbage collector has not reclaimed it: the certificate's two S-sized
 * matrices are large, and fresh memory is slow to touch on some machines. Held weakly, so nothing stays
 * allocated between uses.
 */
function reusable(key: string, length: number): Float64Array;
function reusable(key: string, length: number, float32: boolean): Float64Array | Float32Array;
function reusable(key: string, length: number, float32 = false): Float64Array | Float32Array {
  const slot = `${key}:${float32 ? 32 : 64}`;
  const held = buffers.get(slot)?.deref();
  if (held && held.length >= length) return held.subarray(0, length);
  const fresh = float32 ? new Float32Array(length) : new Float64Array(length);
  buffers.set(slot, new WeakRef(fresh));
  return fresh;
}
const buffers = new Map<string, WeakRef<Float64Array | Float32Array>>();

/** r_i = fl(1/√w_i) after flooring tiny weights at 1e-9·max (any positive weights are valid). */
function reciprocalRoots(w: Float64Array): Float64Array {
  let max = 0;
  for (let i = 0; i < w.length; i++) max = Math.max(max, w[i]);
  const floor = max > 0 ? max * 1e-9 : 1;
  const r = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) r[i] = 1 / Math.sqrt(Math.max(w[i], floor));
  return r;
}

/** Upper bound on Σ r_i² (‖r‖₂²). */
function squareSum(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s * (1 + gamma(r.length + 2));
}

/** Upper bound on Σ r_i⁻² (the exact weights the certificate is about). */
function exactWeightSum(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += 1 / (r[i] * r[i]);
  return s * (1 + gamma(r.length + 4));
}

/** Sides of A' ((m + 1) × (n + 1)): the Schur complement is formed on the smaller (S), the larger is T. */
export interface GramShape {
  m: number;
  n: number;
  /**
   * rows > cols: K = GᵀG (S = n + 1, rows of G̃ streamed and transposed), else K = GGᵀ (S = m + 1, G̃ kept
   * whole, no transposition). Equal sides take the second when G̃ fits one streaming block.
   */
  rowsTall: boolean;
  S: number;
  T: number;
}

export function gramShape(op: BlockOperator): GramShape {
  const m = op.rows;
  const n = op.cols;
  const rowsTall = m > n || (m === n && (m + 1) * (n + 1) > gramBlock.entries);
  return { m, n, rowsTall, S: (rowsTall ? n : m) + 1, T: (rowsTall ? m : n) + 1 };
}

export interface Gram {
  /**
   * −K̃ (S×S, row-major, lower triangle), in the certificate's precision: negated by the Gram product itself
   * (α = −1, exact), so that λI − K̃ is a copy plus a diagonal shift.
   */
  negK: Float64Array | Float32Array;
  /** Upper bound on ‖G̃‖_F² (G̃ as stored: rounded to float32 in the float32 path). */
  frob2: number;
  /** Upper bound on ‖G̃ − G‖_F (G̃ as stored). */
  errFrob: number;
  /** The row buffer of G̃, free once K̃ is formed (≥ S² entries): reused for the shifted matrix. */
  spare: Float64Array | Float32Array;
  /** Time spent in the Gram products ({@link clock} ms). */
  gramMs: number;
}

/**
 * Streams the rows of A' (value rows of the operator, mass-weighted, then the augmentation), scales them
 * into rows of G̃ and accumulates K̃, with the global error bound of step 1 of the file header. Exported for
 * its test against an exact rational G.
 */
export function formGram(
  op: BlockOperator,
  ra: Float64Array,
  rb: Float64Array,
  shape: GramShape,
  precision: CertificatePrecision,
): Gram | undefined {
  const float32 = precision === 'float32';
  const { m, n, rowsTall, S, T } = shape;
  const n1 = n + 1;
  const h = op.rowWeights;
  const g = op.colWeights;
  const terms = op.summands.length + 2 * op.rankOne.length;
  const oneTerm = op.summands.length === 1 && op.rankOne.length === 0;
  // Dense matrices on the pieces themselves (D_pq = Σ_t coef_t·data_t[p·n + q]): their rows are read in
  // place, one term by the row kernel, several by the accumulating kernel (with the kernels).
  const inPlace = op.summands.filter(
    (t): t is DenseSummand => t.kind === 'dense' && !t.rowMap && !t.colMap && t.unitCols === n,
  );
  const denseTerms = inPlace.length === op.summands.length && op.rankOne.length === 0 ? inPlace : [];
  const direct = oneTerm ? denseTerms[0] : undefined;
  // Relative error of a mass entry against h·g·Σ|terms|: k summands (≤ 2 roundings each), h·g, ·D.
  const entryRel = 1.01 * gamma(terms + 9);
  const sumRelN = gamma(n + 2);
  const sumRelM = gamma(m + 2);
  const scaleRel = gamma(3);
  const kappa = new Float64Array(n);
  // Σ_p w_pq with w_pq = h_p·g_q·abs_pq ≥ |mass_pq| / 1.01 (entry error e_pq = entryRel·w_pq + 2η).
  const kappaW = new Float64Array(n);
  let tau = 0;
  let tauErr = 0;
  let tauAbs = 0;
  let frob2 = 0;
  // Σ (w·r_p·r_q)² over the mass entries, and Σ e² over the augmentation entries.
  let weighted2 = 0;
  let err2 = 0;
  const negK = reusable('k', S * S, float32);
  // `block` holds G̃ with the K̃ index along its rows (S × width, row-major): `rowsTall` streams chunks of
  // `width` rows of G̃ stored transposed (K̃ += chunk·chunkᵀ); otherwise G̃ itself, whole (K̃ = G̃G̃ᵀ).
  // At least S wide, so that the buffer can hold the S × S shifted matrix afterwards.
  const width = rowsTall ? Math.min(m + 1, Math.max(S, Math.floor(gramBlock.entries / n1))) : n1;
  const block = reusable('block', S * width, float32);
  // `rowsTall`: rows of G̃ are staged row-major and transposed into `block` STAGE_ROWS at a time (writing
  // each row straight into a column of `block` touches one cache line per entry).
  // Float32 without streaming: each row is staged in float64 and rounded into `block` by one typed-array
  // copy (so the row kernel always writes float64, which keeps it monomorphic and fast). The WebAssembly
  // row kernels (`form-rows.ts`) write into a stage in their own memory, copied on the same way, or, for
  // one dense term in float32 without streaming, straight into a float32 row (copied on with the last entry
  // from the stage).
  const stageLength = (rowsTall ? STAGE_ROWS : 1) * n1;
  const wasm = createWasmRowScaler(g, rb, stageLength, float32 && !rowsTall && direct !== undefined);
  // The operator's value rows (and, for several terms, magnitude rows) are written where the kernel reads.
  const value = wasm?.value ?? new Float64Array(n);
  const abs = wasm?.abs ?? new Float64Array(n);
  const row32 = wasm?.row32;
  const oneRowStage = !rowsTall && (float32 || wasm !== undefined);
  const stage =
    wasm?.stage ?? (rowsTall || oneRowStage ? reusable('stage', stageLength) : (block as Float64Array));
  let staged = 0;
  let filled = 0;
  let flushed = false;
  const unstage = (): void => {
    transposeStaged(stage, staged, n1, block, width, filled);
    filled += staged;
    staged = 0;
  };
  let gramMs = 0;
  const gram = (cols: number, update: 'set' | 'add'): void => {
    const t = clock.now();
    lowerGram(block, S, width, cols, negK, update, -1);
    gramMs += clock.now() - t;
  };
  const flush = (): void => {
    unstage();
    if (filled === 0) return;
    gram(filled, flushed ? 'add' : 'set');
    flushed = true;
    filled = 0;
  };
  /** Where row i of G̃ goes: the staging tile (`rowsTall`), the one-row stage or row i of `block`. */
  const rowOffset = (i: number): number => (rowsTall ? staged * n1 : oneRowStage ? 0 : i * n1);
  const rowDone = (i: number): void => {
    if (!rowsTall) {
      if (row32 && i < m) {
        // A mass row from the kernel; the augmentation row m is written to the stage.
        block.set(row32, i * n1);
        block[i * n1 + n] = stage[n];
      } else if (oneRowStage) block.set(stage.subarray(0, n1), i * n1);
      return;
    }
    if (++staged === STAGE_ROWS || filled + staged === width) unstage();
    if (filled === width) flush();
  };
  const acc = new Float64Array(ROW_SUMS);
  const sc: Scaling = {
    g,
    rb,
    kappa,
    kappaW,
    dst: stage,
    scaleRel,
    acc,
    lanes: new Float64Array(ROW_SUMS * LANES),
  };
  for (let p = 0; p < m; p++) {
    // One term: Σ|terms| is |D| itself (the same rounded product), so the magnitudes are not summed apart.
    if (wasm && direct) wasm.row(h[p], ra[p], direct.data, p * n, direct.coef, rowOffset(p), acc);
    else if (direct) scaleMassRow(sc, h[p], ra[p], direct.data, p * n, direct.coef, undefined, rowOffset(p));
    else if (wasm && denseTerms.length > 1) {
      for (let t = 0; t < denseTerms.length; t++)
        wasm.accumulate(denseTerms[t].data, p * n, denseTerms[t].coef, t === 0);
      wasm.rowWithMagnitudes(h[p], ra[p], rowOffset(p), acc);
    } else {
      op.valueRow(p, value, oneTerm ? undefined : abs);
      if (!wasm) scaleMassRow(sc, h[p], ra[p], value, 0, 1, oneTerm ? undefined : abs, rowOffset(p));
      else if (oneTerm) wasm.row(h[p], ra[p], value, 0, 1, rowOffset(p), acc);
      else wasm.rowWithMagnitudes(h[p], ra[p], rowOffset(p), acc);
    }
    const o = rowOffset(p);
    const ri = ra[p];
    weighted2 += acc[W2];
    const rho = acc[RHO];
    // |mass| ≤ 1.01·w + 2η entrywise (value and abs sum the same rounded terms; same two products).
    const rhoErr = entryRel * acc[W] + 2 * n * Number.MIN_VALUE;
    const rhoAbs = 1.01 * acc[W] + 2 * n * Number.MIN_VALUE;
    const rhoBound = (rhoErr + sumRelN * rhoAbs) * (1 + sumRelN);
    err2 += scaledEntry(sc, -rho, rhoBound, ri, rb[n], o + n);
    frob2 += acc[F2];
    tau += rho;
    tauAbs += Math.abs(rho);
    tauErr += rhoBound;
    rowDone(p);
  }
  wasm?.columnSums(kappa, kappaW);
  // The augmentation row −κᵀ, τ.
  const o = rowOffset(m);
  const rm = ra[m];
  acc[F2] = 0;
  let lastErr2 = 0;
  for (let q = 0; q < n; q++) {
    const kErr = entryRel * kappaW[q] + 2 * m * Number.MIN_VALUE;
    const kAbs = 1.01 * kappaW[q] + 2 * m * Number.MIN_VALUE;
    const bound = (kErr + sumRelM * kAbs) * (1 + sumRelM);
    lastErr2 += scaledEntry(sc, -kappa[q], bound, rm, rb[q], o + q);
  }
  const tauBound = (tauErr + sumRelM * tauAbs) * (1 + sumRelM);
  lastErr2 += scaledEntry(sc, tau, tauBound, rm, rb[n], o + n);
  frob2 += acc[F2];
  err2 += lastErr2;
  rowDone(m);
  if (rowsTall) flush();
  else gram(n1, 'set');
  const count = S * T;
  // Sums of count squares: relative γ_{count+1}, plus η/2 per square that underflows. The 1.01 absorbs the
  // rounding of the error bounds' own arithmetic.
  const sumOfSquares = (x: number): number => (x + count * Number.MIN_VALUE) * (1 + gamma(count + 2));
  frob2 = sumOfSquares(frob2);
  // Step 1 of the file header: the mass entries' errors through ‖G̃‖_F, ‖W‖_F and ‖r_a‖·‖r_b‖.
  // Underflow: η per entry, and η·r_q where the intermediate product ·r_p underflows before ·r_q.
  const underflow = Number.MIN_VALUE * (Math.sqrt(count) + Math.sqrt(ra.length * squareSum(rb)));
  const weightedFrob =
    (1 + scaleRel) * (Math.sqrt(oneTerm ? frob2 : sumOfSquares(weighted2)) + 2 * underflow);
  const massErr =
    scaleRel * Math.sqrt(frob2) +
    (1 + scaleRel) *
      (entryRel * weightedFrob + 2 * Number.MIN_VALUE * Math.sqrt(squareSum(ra) * squareSum(rb))) +
    underflow;
  let errFrob = 1.01 * Math.sqrt(massErr * massErr + sumOfSquares(err2));
  if (float32) {
    // Each stored entry is fl32(x): |fl32(x) − x| ≤ u₃₂|x| + η₃₂ (η₃₂ = 2⁻¹²⁶ also covers flush-to-zero),
    // so the rounding adds ≤ u₃₂‖G̃‖_F + √count·η₃₂ to ‖G̃ − G‖_F and to ‖G̃‖_F.
    const norm = Math.sqrt(frob2);
    const conversion = (FLOAT32.u * norm + Math.sqrt(count) * FLOAT32.eta) * 1.01;
    errFrob += conversion;
    frob2 = (norm + conversion) ** 2 * ASSEMBLY;
  }
  if (!Number.isFinite(frob2) || !Number.isFinite(errFrob)) return undefined;
  return { negK, frob2, errFrob, spare: block, gramMs };
}

/**
 * Columns `filled..filled + rows` of the S × width `block` from the `rows` × cols row-major `stage`
 * (block[j][filled + r] = stage[r][j]). A function of its own: as a closure inside the streaming driver it
 * ran several times slower (≈ 7 ns per entry on the 4096 × 784 mask difference).
 */
function transposeStaged(
  stage: Float64Array,
  rows: number,
  cols: number,
  block: Float64Array | Float32Array,
  width: number,
  filled: number,
): void {
  for (let j = 0; j < cols; j++) {
    const o = j * width + filled;
    for (let r = 0; r < rows; r++) block[o + r] = stage[r * cols + j];
  }
}

/** Slots of the per-row accumulator of {@link scaleMassRow}. */
const RHO = 0;
const W = 1;
const F2 = 2;
const W2 = 3;
const ROW_SUMS = 4;
/** Lanes of a one-term row's sums: q mod 4 for q < n − n mod 4, then the rest in order (see `form-rows.ts`). */
const LANES = 5;

/** What {@link scaleMassRow} and {@link scaledEntry} share across the rows of one G̃. */
interface Scaling {
  /** Column piece lengths g and the column weights r_q. */
  g: Float64Array;
  rb: Float64Array;
  /** Running column sums κ_q and Σ_p w_pq. */
  kappa: Float64Array;
  kappaW: Float64Array;
  /** Where rows of G̃ are written (float64; the float32 path rounds them when they are copied on). */
  dst: Float64Array;
  /** Relative error of an augmentation entry's two scaling products (γ_3). */
  scaleRel: number;
  /** Per-row results, slots RHO, W, F2, W2. */
  acc: Float64Array;
  /** The lane sums of one row ({@link ROW_SUMS} sums × {@link LANES}). */
  lanes: Float64Array;
}

/**
 * Row p of the mass matrix (entries q < n) scaled into a row of G̃ at `dst[o..]`: mass = h_p·g_q·D_pq,
 * x = mass·r_p·r_q, w = |h_p·g_q·Σ|terms||. Accumulates the column sums κ and Σ_p w_pq, and into `acc` the
 * row sum ρ, Σ_q w_pq, Σ x² and Σ (w·r_p·r_q)² (with one term w = |mass|, so the last equals Σ x² exactly). No per-entry error arithmetic: step 1 of the file header bounds the entries' errors
 * through these norms. A top-level function per row: the JIT optimises it once, where the same loop inline
 * in the streaming closure ran several times slower.
 */
function scaleMassRow(
  sc: Scaling,
  hp: number,
  ri: number,
  value: FloatArray,
  base: number,
  coef: number,
  abs: Float64Array | undefined,
  o: number,
): void {
  const { g, rb, kappa, kappaW, dst } = sc;
  const n = g.length;
  // The sums in the lanes of the WebAssembly kernels (`form-rows.ts`), so that both give the same G̃: lane
  // l < 4 takes q ≡ l (mod 4) below n4, lane 4 the rest; one strided pass per lane, sums in registers.
  const lanes = sc.lanes;
  const n4 = n - (n % 4);
  for (let l = 0; l < LANES; l++) {
    const step = l < 4 ? 4 : 1;
    const end = l < 4 ? n4 : n;
    let laneRho = 0;
    let laneW = 0;
    let laneF2 = 0;
    let laneW2 = 0;
    for (let q = l < 4 ? l : n4; q < end; q += step) {
      const hg = hp * g[q];
      const mass = hg * (coef * value[base + q]);
      // One term: w = |mass| (then ws = |x| and Σ ws² = Σ x² exactly); several: the magnitude row.
      const w = abs === undefined ? Math.abs(mass) : hg * abs[q];
      laneRho += mass;
      laneW += w;
      kappa[q] += mass;
      kappaW[q] += w;
      // Both products in the order (·r_p)·r_q, as the bound of step 1 assumes.
      const x = mass * ri * rb[q];
      dst[o + q] = x;
      laneF2 += x * x;
      const ws = w * ri * rb[q];
      laneW2 += ws * ws;
    }
    lanes[l] = laneRho;
    lanes[LANES + l] = laneW;
    lanes[2 * LANES + l] = laneF2;
    lanes[3 * LANES + l] = laneW2;
  }
  const laneSum = (s: number): number =>
    lanes[s] + lanes[s + 2] + (lanes[s + 1] + lanes[s + 3]) + lanes[s + 4];
  const rho = laneSum(0);
  const wRow = laneSum(LANES);
  const f2 = laneSum(2 * LANES);
  const w2 = laneSum(3 * LANES);
  sc.acc[RHO] = rho;
  sc.acc[W] = wRow;
  sc.acc[F2] = f2;
  sc.acc[W2] = w2;
}

/**
 * One entry of G̃ from an augmentation entry `value` of A' with error bound `err`: writes x = value·r_i·r_j
 * at dst[at], adds x² to acc[F2] and returns the square of its error bound γ_3|x| + r_i·r_j·err·(1 + γ_3)
 * + η·(1 + r_j) (the two scaling products, relative γ_3 or η/2 each on underflow, the first one's carried
 * through ·r_j, and the propagated `err`).
 */
function scaledEntry(sc: Scaling, value: number, err: number, ri: number, rj: number, at: number): number {
  const x = value * ri * rj;
  sc.dst[at] = x;
  sc.acc[F2] += x * x;
  const e = sc.scaleRel * Math.abs(x) + ri * rj * err * (1 + sc.scaleRel) + Number.MIN_VALUE * (1 + rj);
  return e * e;
}
