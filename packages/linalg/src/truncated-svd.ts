/**
 * Truncated SVD: the k largest singular triplets of a matrix known only through block products.
 *
 *     A ≈ U_k · diag(σ) · V_kᵀ,   A·v_j = σ_j·u_j,   Aᵀ·u_j = σ_j·v_j,   σ_1 ≥ … ≥ σ_k ≥ 0
 *
 * Method: thick-restarted block Golub–Kahan–Lanczos bidiagonalisation with full reorthogonalisation, on
 * blocks of b columns inside a basis of at most m vectors (Golub, Luk & Overton 1981; thick restart as in
 * Baglama & Reichel's IRLBA 2005 and Wu & Simon's TRLan 2000). From a seeded Gaussian start P₁ (cols×b):
 *
 *     Q_j·R_j   ← qr(A·P_j − Q_{<j}·(Q_{<j}ᵀ·A·P_j))          (so A·P = Q·T exactly, T = Qᵀ·A·P)
 *     P_{j+1}·S_j ← qr(Aᵀ·Q_j − P_{≤j}·(P_{≤j}ᵀ·Aᵀ·Q_j))
 *     Ritz: T = U_t·Σ·V_tᵀ;  u = Q·U_t, v = P·V_t
 *     residual: A·v − σ·u = 0 and ‖Aᵀ·u_i − σ_i·v_i‖ = ‖S_j · (last block of U_t[:, i])‖
 *
 * When the basis is full (s + b > m) it is compressed to the top l Ritz vectors (thick restart):
 * Q ← Q·U_t[:, :l], P ← [P·V_t[:, :l], P_{j+1}], T ← diag(σ_1..σ_l), and the recurrence continues from
 * P_{j+1}, so no Krylov information about the wanted triplets is thrown away. l = k + oversample plus
 * half the number of converged triplets (as ARPACK does), so that converged vectors stay locked in the
 * basis while the rest of it keeps working on the unconverged ones. The method stops when every
 * residual of the top k is ≤ tol·σ_1 (the criterion of ARPACK / `scipy.sparse.linalg.svds` with
 * `tol`), confirmed by one extra `rmatmat` of width k (rounding makes the recurrence's estimate
 * optimistic near the attainable accuracy, ≈ 1e-10·σ_1). A wide matrix is handled as its transpose.
 *
 * Only `matmat`/`rmatmat` touch A (one of each per step, width b), so bit-packed or implicit matrices work
 * (wrap them in a {@link LinearOperator}); dense input (`{ data, rows, cols }`) is wrapped with
 * {@link denseOperator}. Reorthogonalisation, the basis compression and the thin QR (Cholesky QR, twice)
 * run on the GEMM provider.
 *
 * Conventions: `values` descending; `u` rows×k and `v` cols×k row-major, column j the j-th singular vector
 * (A·v_j ≈ σ_j·u_j); `iterations` counts block steps (one `matmat` and one `rmatmat` of width b each, plus
 * one `rmatmat` of width k per convergence confirmation); `products` counts the columns multiplied by A or
 * Aᵀ in total (the analogue of ARPACK's mat-vec count); `converged` reports whether the residual test
 * passed (the estimate is returned either way). Ask for the leading part of the spectrum, not for singular
 * values below ≈ 1e-7·σ_1 (the attainable residual is ≈ 1e-10·σ_1).
 *
 * Complexity per step: 2·rows·cols·b multiply-adds in the products (2·nnz·b for a sparse operator) plus
 * O((rows + cols)·m·b) for the reorthogonalisation; O((rows + cols)·m·l) per restart.
 *
 * @example
 * ```ts
 * const { values, u, v } = truncatedSvd({ data: a, rows: 500, cols: 300 }, 10, { seed: 1 });
 * truncatedSvd(op, 32, { tol: 1e-4 }); // looser residuals, fewer products
 * ```
 * @see G. H. Golub, F. T. Luk, M. L. Overton, "A block Lanczos method for computing the singular values and
 * corresponding singular vectors of a matrix", ACM TOMS 7 (1981); J. Baglama, L. Reichel, "Augmented
 * implicitly restarted Lanczos bidiagonalization methods", SIAM J. Sci. Comput. 27 (2005); K. Wu, H. Simon,
 * "Thick-restart Lanczos method for large symmetric eigenvalue problems", SIAM J. Matrix Anal. Appl. 22
 * (2000); R. B. Lehoucq, D. C. Sorensen, C. Yang, ARPACK Users' Guide (SIAM 1998).
 */
import { checkPositiveInteger, InvalidArgumentError, Rng, type Seed } from '@graphon-pai/core';
import { gemmUnchecked } from './gemm';
import { blockQr } from './internal/block-qr';
import { orthonormalize } from './internal/orthonormalize';
import { jacobiSvd } from './internal/small-svd';
import { checkDim, isFloatArray } from './internal/validate';
import { denseOperator, type LinearOperator } from './linear-operator';
import { symmetricEigen } from './symmetric-eigen';

export interface TruncatedSvdOptions {
  /** Seed of the random start block (default 0). */
  seed?: Seed;
  /**
   * Ritz vectors kept at a restart beyond k (default max(4, ⌈k/4⌉)); the basis also keeps half of the
   * converged triplets on top of this.
   */
  oversample?: number;
  /**
   * Block width b: columns per `matmat` / `rmatmat` (default min(k, 8) for dense `{ data, rows, cols }`
   * input, whose products run on the GEMM provider, and min(k, 4) for a LinearOperator).
   */
  block?: number;
  /**
   * Largest basis size m before a thick restart (default max(3k, k + oversample + 4b), at least
   * k + oversample + b; capped by min(rows, cols)).
   */
  subspace?: number;
  /** Maximum number of block steps (default 1000; the first ⌈k/block⌉ steps always run). */
  iterations?: number;
  /**
   * Stop when every ‖Aᵀ·u_j − σ_j·v_j‖ ≤ tol·σ_1 (A·v_j = σ_j·u_j holds to rounding by construction).
   * Default 1e-7; 1e-5 for Float32Array data, whose products are rounded to float32.
   */
  tol?: number;
}

export interface TruncatedSvdResult {
  /** σ_1 ≥ … ≥ σ_k. */
  values: Float64Array;
  /** rows×k row-major, column j = left singular vector j. */
  u: Float64Array;
  /** cols×k row-major, column j = right singular vector j. */
  v: Float64Array;
  /** Block steps performed. */
  iterations: number;
  /** Columns multiplied by A or Aᵀ in total (matmat and rmatmat widths summed). */
  products: number;
  /** Whether the residual test passed. */
  converged: boolean;
}

export type DenseMatrix = { data: Float64Array | Float32Array; rows: number; cols: number };

function toOperator(input: LinearOperator | DenseMatrix): {
  op: LinearOperator;
  float32: boolean;
  dense: boolean;
} {
  if (input === null || typeof input !== 'object') {
    throw new InvalidArgumentError('op', input, 'a LinearOperator or { data, rows, cols }');
  }
  if ('data' in input && isFloatArray(input.data)) {
    return {
      op: denseOperator(input.data, input.rows, input.cols),
      float32: input.data instanceof Float32Array,
      dense: true,
    };
  }
  const op = input as LinearOperator;
  if (typeof op.matmat !== 'function' || typeof op.rmatmat !== 'function') {
    throw new InvalidArgumentError(
      'op',
      input,
      'a LinearOperator (rows, cols, matmat, rmatmat) or { data, rows, cols }',
      {
        fix: 'wrap a dense row-major array with denseOperator(data, rows, cols)',
      },
    );
  }
  checkDim('op.rows', op.rows);
  checkDim('op.cols', op.cols);
  return { op, float32: false, dense: false };
}

/** The k largest singular triplets; see the file header. */
export function truncatedSvd(
  input: LinearOperator | DenseMatrix,
  k: number,
  options: TruncatedSvdOptions = {},
): TruncatedSvdResult {
  const { op, float32, dense } = toOperator(input);
  const { rows, cols } = op;
  const maxRank = Math.min(rows, cols);
  if (!Number.isInteger(k) || k < 0 || k > maxRank) {
    throw new InvalidArgumentError('k', k, `an integer in [0, min(rows, cols) = ${maxRank}]`);
  }
  const oversample = options.oversample ?? Math.max(4, Math.ceil(k / 4));
  if (!Number.isInteger(oversample) || oversample < 0) {
    throw new InvalidArgumentError('options.oversample', oversample, 'a non-negative integer');
  }
  const maxIterations = checkPositiveInteger('options.iterations', options.iterations ?? 1000);
  const tol = options.tol ?? (float32 ? 1e-5 : 1e-7);
  if (typeof tol !== 'number' || !(tol >= 0) || !Number.isFinite(tol)) {
    throw new InvalidArgumentError('options.tol', tol, 'a finite number ≥ 0');
  }
  // Narrower blocks need fewer columns in total but more steps (each with its own reorthogonalisation),
  // and a column costs less in wider blocks: much less on the GEMM provider (dense input), ≈ 2× less
  // from width 1 to 4 in bitMatrixOperator's gathers. Measured on a 4096² mask: block 4 is fastest.
  let b = checkPositiveInteger('options.block', options.block ?? Math.max(1, Math.min(k, dense ? 8 : 4)));
  const keep = k + oversample;
  let m = checkPositiveInteger('options.subspace', options.subspace ?? Math.max(3 * k, keep + 4 * b));
  if (k === 0) {
    return {
      values: new Float64Array(0),
      u: new Float64Array(0),
      v: new Float64Array(0),
      iterations: 0,
      products: 0,
      converged: true,
    };
  }
  // Work on the tall orientation (rows ≥ cols): the right basis then spans at most maxRank = cols.
  const tall: LinearOperator =
    rows >= cols
      ? op
      : {
          rows: cols,
          cols: rows,
          matmat: (x, w, o) => op.rmatmat(x, w, o),
          rmatmat: (x, w, o) => op.matmat(x, w, o),
        };
  m = Math.max(m, keep + b);
  if (m >= maxRank) {
    // The whole right space fits in the basis: one step with P₁ spanning it is exact.
    b = maxRank;
    m = maxRank;
  }
  const result = thickRestartLanczos(
    tall,
    k,
    b,
    Math.min(keep, m - b),
    m,
    maxIterations,
    tol,
    new Rng(options.seed ?? 0),
    input,
  );
  if (rows < cols) {
    const { u, v } = result;
    result.u = v;
    result.v = u;
  }
  return result;
}

/** Transposes a row-major rows×cols block into dst (cols×rows). */
function transposeInto(
  src: Float64Array,
  rows: number,
  cols: number,
  dst: Float64Array,
  dstOffset = 0,
): void {
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) dst[dstOffset + j * rows + i] = src[i * cols + j];
}

/**
 * The block Gram–Schmidt steps of the bidiagonalisation and their workspace: `cSum` holds the coefficients
 * of the last orthogonalisation against the basis (the new column block of T above the diagonal).
 */
class BlockOrthogonalizer {
  /** Coefficients against the basis of the last {@link extend} (count × b, row-major). */
  readonly cSum: Float64Array;
  private readonly c: Float64Array;
  private readonly c1: Float64Array;
  private readonly r1: Float64Array;
  private rotated: Float64Array | undefined; // restart workspace, allocated on the first restart

  constructor(
    private readonly b: number,
    sMax: number,
    private readonly rotatedSize: number,
    private readonly rng: Rng,
  ) {
    this.c = new Float64Array((sMax + b) * b);
    this.cSum = new Float64Array((sMax + b) * b);
    this.c1 = new Float64Array((sMax + b) * b);
    this.r1 = new Float64Array(b * b);
  }

  /** Removes from x (n×b) its components along the first `count` rows of basisT (one classical pass), into cSum. */
  private reorthogonalize(basisT: Float64Array, count: number, x: Float64Array, n: number): void {
    const { b, c, cSum } = this;
    cSum.fill(0, 0, count * b);
    if (count === 0) return;
    const basis = basisT.subarray(0, count * n);
    gemmUnchecked(false, false, count, b, n, 1, basis, x, 0, c);
    gemmUnchecked(true, false, n, b, count, -1, basis, c, 1, x);
    for (let i = 0; i < count * b; i++) cSum[i] += c[i];
  }

  /**
   * Block classical Gram–Schmidt, twice (BCGS2): x (n×b) ← its orthonormalised component outside the
   * first `count` basis rows, with x_in = basis·cSum + x·r. The second round also orthogonalises to the
   * basis any direction the first QR had to invent (rank deficiency) or amplify from rounding noise.
   */
  extend(basisT: Float64Array, count: number, x: Float64Array, n: number, rOut: Float64Array): void {
    const { b, c, c1, r1, cSum, rng } = this;
    this.reorthogonalize(basisT, count, x, n);
    c1.set(cSum.subarray(0, count * b));
    blockQr(x, n, b, rng, r1);
    this.reorthogonalize(basisT, count, x, n);
    blockQr(x, n, b, rng, rOut);
    // cSum ← C₁ + C₂·R₁, rOut ← R₂·R₁
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < b; j++) {
        let acc = c1[i * b + j];
        for (let p = 0; p < b; p++) acc += cSum[i * b + p] * r1[p * b + j];
        c[i * b + j] = acc;
      }
    }
    cSum.set(c.subarray(0, count * b));
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < b; j++) {
        let acc = 0;
        for (let p = 0; p < b; p++) acc += rOut[i * b + p] * r1[p * b + j];
        c1[i * b + j] = acc;
      }
    }
    rOut.set(c1.subarray(0, b * b));
  }

  /** rows [0, l) of basisT (count×n) ← (basis·X[:, :l])ᵀ for X count×kk (row-major, leading dim kk). */
  compress(basisT: Float64Array, count: number, n: number, x: Float64Array, kk: number, l: number): void {
    const xl = new Float64Array(count * l);
    for (let i = 0; i < count; i++) for (let j = 0; j < l; j++) xl[i * l + j] = x[i * kk + j];
    this.rotated ??= new Float64Array(this.rotatedSize);
    gemmUnchecked(true, false, l, n, count, 1, xl, basisT.subarray(0, count * n), 0, this.rotated);
    basisT.set(this.rotated.subarray(0, l * n));
  }
}

/** T[:, s..s+b) = [cSum; R] (T row-major with leading dimension sMax; zeros left of the new diagonal block). */
function appendColumnBlock(
  t: Float64Array,
  sMax: number,
  s: number,
  b: number,
  cSum: Float64Array,
  r: Float64Array,
): void {
  for (let i = 0; i < s; i++) for (let j = 0; j < b; j++) t[i * sMax + s + j] = cSum[i * b + j];
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < b; j++) t[(s + i) * sMax + s + j] = r[i * b + j];
    for (let j = 0; j < s; j++) t[(s + i) * sMax + j] = 0;
  }
}

/** The Lanczos driver's state between steps: bases (transposed), T, the current right block and counters. */
interface LanczosState {
  readonly qt: Float64Array;
  readonly pt: Float64Array;
  readonly t: Float64Array;
  readonly pj: Float64Array;
  readonly w: Float64Array;
  readonly z: Float64Array;
  readonly r: Float64Array;
  readonly sBlock: Float64Array;
  s: number;
  steps: number;
  products: number;
}

/**
 * One step of block Golub–Kahan bidiagonalisation: Q_j from A·P_j (orthogonalised against Q), then the
 * next right block from Aᵀ·Q_j (orthogonalised against P) into `z` and `sBlock`.
 */
function bidiagonalStep(
  op: LinearOperator,
  st: LanczosState,
  orth: BlockOrthogonalizer,
  sMax: number,
  b: number,
  input: unknown,
): void {
  const { rows, cols } = op;
  const { qt, pt, t, pj, w, z, r, sBlock } = st;
  st.steps++;
  // Left half: A·P_j, orthogonalised against Q.
  op.matmat(pj, b, w);
  st.products += b;
  orth.extend(qt, st.s, w, rows, r);
  appendColumnBlock(t, sMax, st.s, b, orth.cSum, r);
  transposeInto(w, rows, b, qt, st.s * rows);
  st.s += b;
  // Right half: Aᵀ·Q_j, orthogonalised against P (s vectors).
  op.rmatmat(w, b, z);
  st.products += b;
  if (!z.every(Number.isFinite)) {
    throw new InvalidArgumentError('op', input, 'an operator returning finite products', {
      fix: 'check the matrix (or matmat/rmatmat) for NaN or Infinity',
    });
  }
  orth.extend(pt, st.s, z, cols, sBlock);
}

/**
 * Thick restart: keep the top l Ritz triplets, which satisfy A·P̃ = Q̃·Σ and
 * Aᵀ·Q̃ = P̃·Σ + P_{j+1}·S·U_t[last block, :l]; the recurrence continues from P_{j+1}. Returns l.
 */
function thickRestart(
  st: LanczosState,
  orth: BlockOrthogonalizer,
  ritz: ReturnType<typeof rayleighRitz>,
  rows: number,
  cols: number,
  sMax: number,
  k: number,
  keepBase: number,
  maxKeep: number,
  bound: number,
): number {
  let converged = 0;
  while (converged < k && ritz.residuals[converged] <= bound) converged++;
  const kk = ritz.values.length;
  const l = Math.min(kk, maxKeep, keepBase + Math.min(converged, Math.floor((maxKeep - keepBase) / 2)));
  orth.compress(st.qt, st.s, rows, ritz.ut, kk, l);
  orth.compress(st.pt, st.s, cols, ritz.vt, kk, l);
  st.t.fill(0);
  for (let i = 0; i < l; i++) st.t[i * sMax + i] = ritz.values[i];
  return l;
}

function thickRestartLanczos(
  op: LinearOperator,
  k: number,
  b: number,
  keepBase: number,
  sMax: number,
  maxSteps: number,
  tol: number,
  rng: Rng,
  input: unknown,
): TruncatedSvdResult {
  const { rows, cols } = op;
  const maxKeep = sMax - b;
  const checkEvery = Math.max(b, Math.ceil((sMax - keepBase) / 3));
  // Bases stored transposed: row i of qt (pt) is the i-th left (right) basis vector.
  const st: LanczosState = {
    qt: new Float64Array(sMax * rows),
    pt: new Float64Array((sMax + b) * cols),
    t: new Float64Array(sMax * sMax), // leading dimension sMax
    pj: new Float64Array(cols * b),
    w: new Float64Array(rows * b),
    z: new Float64Array(cols * b),
    r: new Float64Array(b * b),
    sBlock: new Float64Array(b * b),
    s: 0, // left basis size; the right basis has s + b vectors after each step's second half
    steps: 0,
    products: 0,
  };
  const y = new Float64Array(cols * k);
  const orth = new BlockOrthogonalizer(b, sMax, maxKeep * Math.max(rows, cols), rng);
  const { qt, pt, t, pj, z, sBlock } = st;

  rng.normalArray(cols * b, 0, 1, pj);
  blockQr(pj, cols, b, rng, st.r);
  transposeInto(pj, cols, b, pt, 0);
  let lastChecked = 0;
  while (true) {
    bidiagonalStep(op, st, orth, sMax, b, input);
    const { s, steps } = st;
    const full = s + b > sMax;
    // The cap applies once the basis holds k vectors (the first ⌈k/b⌉ steps always run).
    const last = steps >= maxSteps && s >= k;
    // Ritz values are checked at each restart, at the cap, and a few times per restart cycle.
    if (s < k || !(full || last || s - lastChecked >= checkEvery)) {
      pj.set(z);
      transposeInto(z, cols, b, pt, s * cols);
      continue;
    }
    lastChecked = s;
    const ritz = rayleighRitz(t, sMax, s, b, sBlock, Math.min(s, Math.max(k, maxKeep)), k);
    const bound = tol * ritz.values[0];
    if (ritz.worst <= bound || last) {
      const result = finish(ritz, qt, pt, rows, cols, s, k, steps, st.products);
      // The recurrence's residual estimate is confirmed with one product of width k before reporting
      // convergence (rounding can make the estimate optimistic near the attainable accuracy).
      if (ritz.worst <= bound) {
        result.converged = trueResidual(op, result, y) <= bound;
        st.products += k;
        result.products = st.products;
      }
      if (result.converged || last) return result;
    }
    if (full) {
      st.s = thickRestart(st, orth, ritz, rows, cols, sMax, k, keepBase, maxKeep, bound);
      lastChecked = st.s;
    }
    pj.set(z);
    transposeInto(z, cols, b, pt, st.s * cols);
  }
}

/** max_j ‖Aᵀ·u_j − σ_j·v_j‖ by one `rmatmat` of width k. */
function trueResidual(op: LinearOperator, r: TruncatedSvdResult, y: Float64Array): number {
  const k = r.values.length;
  op.rmatmat(r.u, k, y);
  let worst = 0;
  for (let j = 0; j < k; j++) {
    let ss = 0;
    for (let i = 0; i < op.cols; i++) ss += (y[i * k + j] - r.values[j] * r.v[i * k + j]) ** 2;
    worst = Math.max(worst, Math.sqrt(ss));
  }
  return Number.isFinite(worst) ? worst : Number.POSITIVE_INFINITY;
}

/** Deterministic source for replacing collapsed directions inside the small projected problems. */
const rngForCompletion = new Rng('truncated-svd-completion');

interface Ritz {
  values: Float64Array;
  /** s×kk: right singular vectors of T (columns). */
  vt: Float64Array;
  /** s×kk: left singular vectors of T (columns). */
  ut: Float64Array;
  /** Residual estimates ‖Aᵀu_j − σ_j v_j‖ of the top min(k, kk). */
  residuals: Float64Array;
  /** Largest of `residuals`. */
  worst: number;
}

/** The top kk singular triplets of the s×s projected matrix T (leading dimension ld) and the residual estimates. */
function rayleighRitz(
  t: Float64Array,
  ld: number,
  s: number,
  b: number,
  sBlock: Float64Array,
  kk: number,
  k: number,
): Ritz {
  const tc = new Float64Array(s * s);
  for (let i = 0; i < s; i++) for (let j = 0; j < s; j++) tc[i * s + j] = t[i * ld + j];
  const g = new Float64Array(s * s);
  gemmUnchecked(true, false, s, s, s, 1, tc, tc, 0, g);
  // Exact symmetry for the eigen-solver's check (rounding in the product is not symmetric).
  for (let i = 0; i < s; i++)
    for (let j = 0; j < i; j++) g[i * s + j] = g[j * s + i] = 0.5 * (g[i * s + j] + g[j * s + i]);
  // The top-kk right singular subspace of T from the Gram matrix, then an accurate SVD inside it:
  // T·V_g = Q_x·R_x (QR), R_x = U_r·Σ·V_rᵀ (one-sided Jacobi), so T·(V_g·V_r) = (Q_x·U_r)·Σ. Squaring only
  // affects the subspace, not the singular values (which a Gram eigen-solver would get only to ε·σ₁²/σ).
  const eig = symmetricEigen(g, s, { k: kk });
  const x = new Float64Array(s * kk);
  gemmUnchecked(false, false, s, kk, s, 1, tc, eig.vectors, 0, x);
  const rx = new Float64Array(kk * kk);
  orthonormalize(x, s, kk, rngForCompletion, rx);
  const small = jacobiSvd(rx, kk);
  const values = small.s;
  const ut = new Float64Array(s * kk);
  const vt = new Float64Array(s * kk);
  gemmUnchecked(false, false, s, kk, kk, 1, x, small.u, 0, ut);
  gemmUnchecked(false, false, s, kk, kk, 1, eig.vectors, small.v, 0, vt);
  // ‖Aᵀu_j − σ_j v_j‖ = ‖S · ut[s−b.., j]‖
  const count = Math.min(k, kk);
  const residuals = new Float64Array(count);
  let worst = 0;
  for (let j = 0; j < count; j++) {
    let ss = 0;
    for (let i = 0; i < b; i++) {
      let x = 0;
      for (let p = 0; p < b; p++) x += sBlock[i * b + p] * ut[(s - b + p) * kk + j];
      ss += x * x;
    }
    residuals[j] = Math.sqrt(ss);
    worst = Math.max(worst, residuals[j]);
  }
  return { values, vt, ut, residuals, worst };
}

function finish(
  ritz: Ritz,
  qt: Float64Array,
  pt: Float64Array,
  rows: number,
  cols: number,
  s: number,
  k: number,
  iterations: number,
  products: number,
): TruncatedSvdResult {
  const kk = ritz.values.length;
  const utK = new Float64Array(s * k);
  const vtK = new Float64Array(s * k);
  for (let i = 0; i < s; i++) {
    for (let j = 0; j < k; j++) {
      utK[i * k + j] = ritz.ut[i * kk + j];
      vtK[i * k + j] = ritz.vt[i * kk + j];
    }
  }
  const u = new Float64Array(rows * k);
  const v = new Float64Array(cols * k);
  gemmUnchecked(true, false, rows, k, s, 1, qt.subarray(0, s * rows), utK, 0, u);
  gemmUnchecked(true, false, cols, k, s, 1, pt.subarray(0, s * cols), vtK, 0, v);
  return { values: ritz.values.slice(0, k), u, v, iterations, products, converged: false };
}
