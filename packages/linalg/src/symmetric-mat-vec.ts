/**
 * Product of a symmetric matrix stored as its lower triangle with a vector (BLAS `symv`):
 *
 *     y_i = Σ_{j ≤ i} A[i][j]·x_j + Σ_{j > i} A[j][i]·x_j
 *
 * Conventions: A is row-major n×n and only its lower triangle (diagonal included) is read, so the strict
 * upper triangle may hold anything (e.g. the untouched half of a Gram product or of a factorisation's
 * workspace); no mirrored copy is needed. x and y hold at least n entries (longer arrays are read or
 * written in their first n), all three of one element type; y is overwritten. With LAPACK present (see `lapackAvailable`) the product is OpenBLAS's `cblas_ssymv` /
 * `cblas_dsymv` in the array's precision; otherwise a JS loop that reads each stored entry once (a dot
 * product with row i left of the diagonal and an update of y by the same row), summing in float64.
 *
 * Errors: InvalidArgumentError for a bad n, too short arrays or mixed element types.
 * Complexity: n² multiply-adds, one read of the n(n+1)/2 stored entries.
 *
 * @example
 * ```ts
 * // A = [[2, 1], [1, 3]] with the upper entry left unset (NaN here)
 * const y = new Float64Array(2);
 * symmetricMatVec(2, Float64Array.of(2, Number.NaN, 1, 3), Float64Array.of(1, 1), y); // y = [3, 4]
 * ```
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { scratch64 } from './internal/scratch';
import { checkDim, checkFloatArray } from './internal/validate';
import { lapack } from './provider';

export function symmetricMatVec<T extends Float32Array | Float64Array>(n: number, a: T, x: T, y: T): void {
  checkDim('n', n);
  checkFloatArray('a', a, n * n, `${n}×${n}`);
  checkFloatArray('x', x, n, `${n}`);
  checkFloatArray('y', y, n, `${n}`);
  if (a.constructor !== x.constructor || a.constructor !== y.constructor) {
    throw new InvalidArgumentError(
      'a, x, y',
      `${a.constructor.name}, ${x.constructor.name}, ${y.constructor.name}`,
      'arrays of one element type',
      {
        fix: 'convert all three to Float32Array or all three to Float64Array',
      },
    );
  }
  const lp = n > 0 ? lapack() : undefined;
  if (lp && a instanceof Float32Array) lp.symv32(n, a, x as Float32Array, y as Float32Array);
  else if (lp && a instanceof Float64Array) lp.symv64(n, a, x as Float64Array, y as Float64Array);
  else lowerProduct(n, a, x, y);
}

/** The JS product: row i contributes a dot product to y_i and A[i][j]·x_i to every y_j, j < i. */
function lowerProduct(
  n: number,
  a: Float32Array | Float64Array,
  x: Float32Array | Float64Array,
  y: Float32Array | Float64Array,
): void {
  const acc = scratch64('symv', n);
  acc.fill(0, 0, n);
  for (let i = 0; i < n; i++) {
    const row = i * n;
    const xi = x[i];
    let dot = 0;
    for (let j = 0; j < i; j++) {
      const v = a[row + j];
      dot += v * x[j];
      acc[j] += v * xi;
    }
    acc[i] += dot + a[row + i] * xi;
  }
  for (let i = 0; i < n; i++) y[i] = acc[i];
}
