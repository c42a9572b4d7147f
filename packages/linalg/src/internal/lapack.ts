/**
 * LAPACK through LAPACKE (`liblapacke.so.3`, Debian package `liblapacke`, which runs on OpenBLAS's LAPACK
 * when libopenblas0-pthread is installed), row-major interface, called synchronously through koffi.
 */
import { loadKoffi, loadOpenblasLibrary } from './openblas';

export interface Lapack {
  /** Symmetric eigen (all pairs, lower triangle read); on exit `a` holds eigenvectors as columns, `w` ascending values. Returns info. */
  dsyevd(n: number, a: Float64Array, w: Float64Array): number;
  /** Lower Cholesky in place (row-major; upper triangle untouched); returns info (> 0: minor of that order not PD). */
  dpotrf(n: number, a: Float64Array): number;
  /** Solves A·X = B with the lower factor, b n×nrhs row-major in place; returns info. */
  dpotrs(n: number, nrhs: number, l: Float64Array, b: Float64Array): number;
}

const ROW_MAJOR = 101;
const V = 'V'.charCodeAt(0);
const L = 'L'.charCodeAt(0);

let cached: Lapack | null | undefined;

/** LAPACKE routines, or undefined when the library does not load. */
export function loadLapack(): Lapack | undefined {
  if (cached !== undefined) return cached ?? undefined;
  try {
    // Load OpenBLAS first so its core type and thread settings apply to the LAPACK it provides.
    loadOpenblasLibrary();
    const k = loadKoffi();
    let lib: ReturnType<typeof k.load> | undefined;
    for (const name of ['liblapacke.so.3', 'liblapacke.so', 'liblapacke.dylib']) {
      try {
        lib = k.load(name);
        break;
      } catch {
        // try the next name
      }
    }
    if (!lib) throw new Error('liblapacke not found');
    const syevd = lib.func('int LAPACKE_dsyevd(int, char, char, int, double *, int, double *)');
    const potrf = lib.func('int LAPACKE_dpotrf(int, char, int, double *, int)');
    const potrs = lib.func('int LAPACKE_dpotrs(int, char, int, int, const double *, int, double *, int)');
    cached = {
      dsyevd: (n, a, w) => syevd(ROW_MAJOR, V, L, n, a, n, w) as number,
      dpotrf: (n, a) => potrf(ROW_MAJOR, L, n, a, n) as number,
      dpotrs: (n, nrhs, l, b) => potrs(ROW_MAJOR, L, n, nrhs, l, n, b, Math.max(nrhs, 1)) as number,
    };
  } catch {
    cached = null;
  }
  return cached ?? undefined;
}
