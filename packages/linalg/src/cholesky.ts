/**
 * Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix, solves with the factor, and
 * log-determinants.
 *
 *     L[j][j] = √(A[j][j] − Σ_{p<j} L[j][p]²),   L[i][j] = (A[i][j] − Σ_{p<j} L[i][p]·L[j][p]) / L[j][j]  (i > j)
 *     solve:   L·y = b (forward), Lᵀ·x = y (backward)
 *     log det A = 2 Σ_j log L[j][j]
 *
 * Conventions: row-major Float64Array, n×n; only the lower triangle of A is read (A is assumed
 * symmetric). The result is a new array with zeros above the diagonal. The JS path is the row-oriented
 * Cholesky–Crout algorithm (both inner products run over contiguous rows, float64); with LAPACK present
 * (`dpotrf`/`dpotrs` from OpenBLAS) the same factor comes from the blocked LAPACK routine.
 *
 * Errors: NumericalError when A has a non-finite entry or is not (numerically) positive definite; the
 * message names the failing pivot and suggests a ridge `A + εI`.
 *
 * Complexity: n³/3 multiply-adds for the factor, n²·nrhs per solve.
 *
 * @example
 * ```ts
 * const l = cholesky(Float64Array.of(4, 2, 2, 3), 2);  // [2, 0, 1, √2]
 * choleskySolve(l, 2, Float64Array.of(2, 1));          // x with A·x = b: [0.5, 0]
 * logDetFromCholesky(l, 2);                           // log 8
 * ```
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §4.2.
 */
import { InvalidArgumentError, NumericalError } from '@graphon-pai/core';
import { checkAllFinite, checkDim, checkFloat64Array, checkFloatArray } from './internal/validate';
import { lapack } from './provider';

function notPositiveDefinite(pivot: number, value: number, a: Float64Array, n: number): NumericalError {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += Math.abs(a[i * n + i]);
  // Rounding-level failures need ≈ 1e-8·mean|diagonal|; a clearly negative pivot needs at least its size.
  const ridge = Math.max(
    (trace / Math.max(n, 1)) * 1e-8,
    Number.isFinite(value) ? -2 * value : 0,
    Number.MIN_VALUE,
  );
  return new NumericalError(
    `matrix is not positive definite: Cholesky pivot ${pivot} (0-based row/column) is ${value.toPrecision(6)} ≤ 0`,
    {
      fix: `check that the matrix is symmetric positive definite, or add a ridge, a[i*n+i] += ε with ε ≳ ${ridge.toExponential(2)} (the larger of 1e-8·mean|diagonal| and 2·|pivot|), and retry`,
    },
  );
}

/** Lower Cholesky factor L (new n×n row-major array, zeros above the diagonal) with A = L·Lᵀ. */
export function cholesky(a: Float64Array, n: number): Float64Array {
  checkDim('n', n);
  checkFloat64Array('a', a, n * n, `${n}×${n}`);
  checkAllFinite('a', a, n * n, n);
  // The factorisation reads only the lower triangle; a whole-array copy (memcpy) is faster than a
  // triangular loop.
  const l = a.slice(0, n * n);
  const j = factorLower(l, n);
  if (j >= 0) {
    // Recompute the failing pivot's value for the message from the rows of the factor left behind.
    let s = a[j * n + j];
    for (let p = 0; p < j; p++) s -= l[j * n + p] * l[j * n + p];
    throw notPositiveDefinite(j, s, a, n);
  }
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
  return l;
}

/**
 * Cholesky factorisation in place, for callers that only need the factor's lower triangle or only whether
 * the factorisation completes (e.g. a positive-definiteness proof): no copy, no allocation, no validation.
 * On success the lower triangle of `a` holds L (the strict upper triangle is left as it was); on failure
 * `a` is partly overwritten. A pivot that is NaN or infinite counts as not positive, so a non-finite entry in
 * the lower triangle (which reaches the pivot of its row) makes the factorisation fail, never an exception.
 *
 * A Float32Array is factored in float32: LAPACK `spotrf` when present (float32 arithmetic throughout), else
 * the JS kernel, which forms each inner product in float64 and rounds every stored entry of L to float32.
 * Either way every computed entry obeys the float32 backward-error bound of the Cholesky analysis
 * (Higham, *Accuracy and Stability of Numerical Algorithms*, Thm 10.3, with u = 2⁻²⁴): the float64 inner
 * product carries relative error ≤ γ₆₄ ≪ 2⁻²⁴ and the store one float32 rounding.
 *
 * @returns -1 when every pivot is positive (A = L·Lᵀ), else the 0-based index of the first pivot that is not.
 */
export function choleskyInPlace(a: Float64Array | Float32Array, n: number): number {
  checkDim('n', n);
  checkFloatArray('a', a, n * n, `${n}×${n}`);
  return a instanceof Float32Array ? factorLower32(a, n) : factorLower(a, n);
}

/** Float32 {@link factorLower}: LAPACK `spotrf` for n ≥ 64 when present, else the JS kernel (float64 sums, float32 stores). */
function factorLower32(l: Float32Array, n: number): number {
  const lp = n >= 64 ? lapack() : undefined;
  if (lp) {
    const info = lp.spotrf(n, l);
    if (info > 0) return info - 1;
    // As for dpotrf: a NaN passes OpenBLAS's `pivot <= 0` test and reaches the diagonal of its row.
    for (let j = 0; j < n; j++) if (!Number.isFinite(l[j * n + j])) return j;
    return -1;
  }
  return crout(l, n);
}

/** Factors the lower triangle of `l` in place (LAPACK `dpotrf` for n ≥ 64 when present); see {@link choleskyInPlace}. */
function factorLower(l: Float64Array, n: number): number {
  const lp = n >= 64 ? lapack() : undefined;
  if (lp) {
    const info = lp.dpotrf(n, l);
    if (info > 0) return info - 1;
    // OpenBLAS's dpotrf tests `pivot <= 0`, which a NaN passes; a NaN or infinite entry reaches the
    // diagonal of its row (and of every later row), so the first non-finite diagonal entry is that pivot.
    for (let j = 0; j < n; j++) if (!Number.isFinite(l[j * n + j])) return j;
    return -1;
  }
  return crout(l, n);
}

/**
 * Row-oriented Cholesky–Crout in place on the lower triangle (float64 arithmetic; a Float32Array rounds each
 * stored entry). Returns -1 on success, else the first pivot that is not positive and finite.
 */
function crout(l: Float64Array | Float32Array, n: number): number {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    // Row j of L left of the diagonal is final; finish the diagonal.
    let d = l[rj + j];
    for (let p = 0; p < j; p++) d -= l[rj + p] * l[rj + p];
    if (!(d > 0 && d < Number.POSITIVE_INFINITY)) return j;
    l[rj + j] = Math.sqrt(d);
    // The stored pivot (rounded to float32 for a Float32Array), which may overflow there.
    const ljj = l[rj + j];
    if (!(ljj < Number.POSITIVE_INFINITY)) return j;
    const inv = 1 / ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = l[ri + j];
      for (let p = 0; p < j; p++) s -= l[ri + p] * l[rj + p];
      l[ri + j] = s * inv;
    }
  }
  return -1;
}

/**
 * Solves A·X = B given the lower Cholesky factor L of A; B is n×nrhs row-major. Returns a new array.
 */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, nrhs = 1): Float64Array {
  checkDim('n', n);
  checkDim('nrhs', nrhs);
  checkFloat64Array('l', l, n * n, `${n}×${n}`);
  checkFloat64Array('b', b, n * nrhs, `${n}×${nrhs}`);
  for (let i = 0; i < n; i++) {
    const d = l[i * n + i];
    if (!(d > 0) || !Number.isFinite(d)) {
      throw new InvalidArgumentError(
        'l',
        l,
        `a Cholesky factor with a positive diagonal; l[${i}][${i}] = ${d}`,
        {
          fix: 'pass the factor returned by cholesky(a, n)',
        },
      );
    }
  }
  checkAllFinite('b', b, n * nrhs, nrhs);
  const x = b.slice(0, n * nrhs);
  const lp = n >= 64 ? lapack() : undefined;
  if (lp) {
    const info = lp.dpotrs(n, nrhs, l, x);
    if (info !== 0) throw new NumericalError(`LAPACK dpotrs failed with info = ${info}`);
    return x;
  }
  // Forward: L·Y = B, row by row; each row update is an axpy over the right-hand sides.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const xi = i * nrhs;
    for (let p = 0; p < i; p++) {
      const lip = l[ri + p];
      if (lip === 0) continue;
      const xp = p * nrhs;
      for (let r = 0; r < nrhs; r++) x[xi + r] -= lip * x[xp + r];
    }
    const inv = 1 / l[ri + i];
    for (let r = 0; r < nrhs; r++) x[xi + r] *= inv;
  }
  // Backward: Lᵀ·X = Y; row i of Lᵀ is column i of L.
  for (let i = n - 1; i >= 0; i--) {
    const xi = i * nrhs;
    const inv = 1 / l[i * n + i];
    for (let r = 0; r < nrhs; r++) x[xi + r] *= inv;
    for (let p = 0; p < i; p++) {
      const lip = l[i * n + p];
      if (lip === 0) continue;
      const xp = p * nrhs;
      for (let r = 0; r < nrhs; r++) x[xp + r] -= lip * x[xi + r];
    }
  }
  return x;
}

/** log det A = 2 Σ log L[i][i] from the lower Cholesky factor of A. */
export function logDetFromCholesky(l: Float64Array, n: number): number {
  checkDim('n', n);
  checkFloat64Array('l', l, n * n, `${n}×${n}`);
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.log(l[i * n + i]);
  return 2 * s;
}
