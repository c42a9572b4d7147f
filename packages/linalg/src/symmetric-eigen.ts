/**
 * Eigen-decomposition of a real symmetric matrix, all pairs or the k largest / smallest.
 *
 *     A = V · diag(λ) · Vᵀ,   Vᵀ·V = I,   A·v_j = λ_j·v_j
 *
 * Conventions: A is a row-major n×n Float64Array, symmetric up to rounding (entries with
 * |A[i][j] − A[j][i]| > 1e-8·max|A| are rejected; the symmetric part (A + Aᵀ)/2 is decomposed).
 * `values` are returned in descending order, also for `which: 'smallest'`; `vectors` is n×k row-major with
 * column j the unit eigenvector of `values[j]` (sign unspecified). With LAPACK present the pairs come from
 * `dsyevd` (divide and conquer); otherwise from Householder tridiagonalisation followed by the implicit QL
 * algorithm (EISPACK `tred2`/`tql2`, as in JAMA), working on the transposed eigenvector matrix so every
 * inner loop runs over contiguous memory.
 *
 * Errors: NumericalError for non-finite input or when QL fails to converge (30·n sweeps in total).
 * Complexity: ≈ 9n³ flops without LAPACK, O(n²) memory.
 *
 * @example
 * ```ts
 * const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
 * // values = [3, 1]; vectors column 0 = ±[1, 1]/√2
 * symmetricEigen(a, n, { k: 10, which: 'largest' });
 * ```
 * @see Golub & Van Loan, Matrix Computations (4th ed.), §8.3; Bowdler, Martin, Reinsch & Wilkinson,
 * "The QR and QL algorithms for symmetric matrices", Numer. Math. 11 (1968).
 */
import { InvalidArgumentError, NumericalError } from '@graphon-pai/core';
import { checkAllFinite, checkDim, checkFloat64Array } from './internal/validate';
import { lapack } from './provider';

export interface SymmetricEigenOptions {
  /** Number of pairs to return (default n). */
  k?: number;
  /** Which end of the spectrum (default 'largest'). */
  which?: 'largest' | 'smallest';
}

export interface SymmetricEigenResult {
  /** Eigenvalues, descending. */
  values: Float64Array;
  /** n×k row-major; column j is the eigenvector of values[j]. */
  vectors: Float64Array;
}

/** Eigenvalues (descending) and eigenvectors of a symmetric matrix; see the file header. */
export function symmetricEigen(
  a: Float64Array,
  n: number,
  options: SymmetricEigenOptions = {},
): SymmetricEigenResult {
  checkDim('n', n);
  checkFloat64Array('a', a, n * n, `${n}×${n}`);
  const k = options.k ?? n;
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new InvalidArgumentError('options.k', k, `an integer in [0, n = ${n}]`);
  }
  const which = options.which ?? 'largest';
  if (which !== 'largest' && which !== 'smallest') {
    throw new InvalidArgumentError('options.which', which, "'largest' or 'smallest'");
  }
  checkAllFinite('a', a, n * n, n);
  let maxAbs = 0;
  for (let i = 0; i < n * n; i++) maxAbs = Math.max(maxAbs, Math.abs(a[i]));
  // w starts as the symmetric part of A; A symmetric means storing it transposed changes nothing.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = a[i * n + j];
      const y = a[j * n + i];
      if (Math.abs(x - y) > 1e-8 * maxAbs) {
        throw new InvalidArgumentError(
          'a',
          a,
          `a symmetric matrix; a[${i}][${j}] = ${x} but a[${j}][${i}] = ${y}`,
          {
            fix: 'pass (A + Aᵀ)/2 if the asymmetry is rounding noise',
          },
        );
      }
      const s = 0.5 * (x + y);
      w[i * n + j] = s;
      w[j * n + i] = s;
    }
  }
  const d = new Float64Array(n);
  // After the decomposition w[j*n + r] = V[r][j]: row j of w is eigenvector j.
  const lp = n >= 32 ? lapack() : undefined;
  if (lp) {
    const info = lp.dsyevd(n, w, d);
    if (info !== 0) throw new NumericalError(`LAPACK dsyevd failed to converge (info = ${info})`);
  } else if (n > 0) {
    const e = new Float64Array(n);
    tred2(w, d, e, n);
    tql2(w, d, e, n);
  }
  // Ascending order of values.
  const order = Array.from({ length: n }, (_, i) => i).sort((p, q) => d[p] - d[q]);
  const values = new Float64Array(k);
  const vectors = new Float64Array(n * k);
  for (let j = 0; j < k; j++) {
    // Descending output: largest → order[n-1-j]; smallest → order[k-1-j].
    const src = which === 'largest' ? order[n - 1 - j] : order[k - 1 - j];
    values[j] = d[src];
    const row = src * n;
    for (let r = 0; r < n; r++) vectors[r * k + j] = w[row + r];
  }
  return { values, vectors };
}

/**
 * Householder tridiagonalisation (EISPACK tred2) on w[c*n + r] ≡ V[r][c]; leaves the diagonal in d, the
 * subdiagonal in e[1..n) and the accumulated orthogonal transform in w.
 */
function tred2(w: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = w[j * n + n - 1];
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = w[j * n + i - 1];
        w[j * n + i] = 0;
        w[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        const wj = j * n;
        w[i * n + j] = f;
        g = e[j] + w[wj + j] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          const v = w[wj + k];
          g += v * d[k];
          e[k] += v * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        g = e[j];
        const wj = j * n;
        for (let k = j; k <= i - 1; k++) w[wj + k] -= f * e[k] + g * d[k];
        d[j] = w[wj + i - 1];
        w[wj + i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    w[i * n + n - 1] = w[i * n + i];
    w[i * n + i] = 1;
    const h = d[i + 1];
    const wi1 = (i + 1) * n;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = w[wi1 + k] / h;
      for (let j = 0; j <= i; j++) {
        const wj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += w[wi1 + k] * w[wj + k];
        for (let k = 0; k <= i; k++) w[wj + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) w[wi1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = w[j * n + n - 1];
    w[j * n + n - 1] = 0;
  }
  w[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations (EISPACK tql2) on the tridiagonal (d, e), rotating the rows of w. */
function tql2(w: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  let sweeps = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      do {
        if (++sweeps > 30 * n) {
          throw new NumericalError(`symmetric eigen: QL iteration did not converge (eigenvalue ${l})`, {
            fix: 'check the input for extreme dynamic range (rescale it)',
          });
        }
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = Math.hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          const wi = i * n;
          const wi1 = wi + n;
          for (let k = 0; k < n; k++) {
            const hk = w[wi1 + k];
            const vk = w[wi + k];
            w[wi1 + k] = s * vk + c * hk;
            w[wi + k] = c * vk - s * hk;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}
