/** LAPACK through LAPACKE (filled in with the OpenBLAS provider). */
export interface Lapack {
  /** Symmetric eigen, all pairs; on exit `a` holds eigenvectors as columns (row-major), `w` ascending values. Returns info. */
  dsyevd(n: number, a: Float64Array, w: Float64Array): number;
  /** Lower Cholesky in place (row-major); returns info (> 0: leading minor of that order is not PD). */
  dpotrf(n: number, a: Float64Array): number;
  /** Solves with a lower Cholesky factor, b is n×nrhs row-major, in place; returns info. */
  dpotrs(n: number, nrhs: number, l: Float64Array, b: Float64Array): number;
}

export function loadLapack(): Lapack | undefined {
  return undefined;
}
