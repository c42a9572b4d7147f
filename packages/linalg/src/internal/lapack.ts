/**
 * LAPACK through LAPACKE (`liblapacke.so.3`, Debian package `liblapacke`, which runs on OpenBLAS's LAPACK
 * when libopenblas0-pthread is installed), called synchronously through koffi, plus the two BLAS `symv`
 * routines of the same OpenBLAS (they come and go with LAPACK: `symmetricMatVec` uses them where LAPACK runs).
 *
 * All calls use LAPACKE's column-major layout on our row-major arrays: a row-major symmetric matrix is its
 * own column-major view, and the row-major lower triangle is the column-major upper one. So `dpotrf` with
 * uplo 'U' (A = UᵀU, U column-major) leaves L = Uᵀ in the row-major lower triangle, and `dsyevd`'s
 * column-major eigenvectors are rows of the row-major array. LAPACKE's row-major layout would instead copy
 * and transpose the whole n×n matrix in and out of every call (≈ 40 % of a 2000² Cholesky here).
 */
import { loadKoffi, loadOpenblasLibrary, onOneThread } from './openblas';
import { scratch64 } from './scratch';

export interface Lapack {
  /** Symmetric eigen (all pairs, lower triangle read); on exit row j of `a` is eigenvector j of `w[j]` (ascending). Returns info. */
  dsyevd(n: number, a: Float64Array, w: Float64Array): number;
  /** Lower Cholesky in place (row-major; upper triangle untouched); returns info (> 0: minor of that order not PD). */
  dpotrf(n: number, a: Float64Array): number;
  /** Float32 `dpotrf` (`spotrf`): lower Cholesky in place in float32 arithmetic; returns info. */
  spotrf(n: number, a: Float32Array): number;
  /** Solves A·X = B with the lower factor, b n×nrhs row-major in place (transposed through a scratch copy when nrhs > 1); returns info. */
  dpotrs(n: number, nrhs: number, l: Float64Array, b: Float64Array): number;
  /** OpenBLAS `cblas_ssymv` / `cblas_dsymv` on one thread: y = A·x from the row-major lower triangle of A (n×n). */
  symv32(n: number, a: Float32Array, x: Float32Array, y: Float32Array): void;
  symv64(n: number, a: Float64Array, x: Float64Array, y: Float64Array): void;
}

const COL_MAJOR = 102;
const ROW_MAJOR = 101;
const LOWER = 122;
const V = 'V'.charCodeAt(0);
const U = 'U'.charCodeAt(0);

let cached: Lapack | null | undefined;

/** LAPACKE routines, or undefined when the library does not load. */
export function loadLapack(): Lapack | undefined {
  if (cached !== undefined) return cached ?? undefined;
  try {
    // Load OpenBLAS first so its core type and thread settings apply to the LAPACK it provides.
    const blas = loadOpenblasLibrary();
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
    const spotrf = lib.func('int LAPACKE_spotrf(int, char, int, float *, int)');
    const potrs = lib.func('int LAPACKE_dpotrs(int, char, int, int, const double *, int, double *, int)');
    const symv = (t: string, name: string) =>
      blas.func(`void ${name}(int, int, int, ${t}, const ${t} *, int, const ${t} *, int, ${t}, ${t} *, int)`);
    const ssymv = symv('float', 'cblas_ssymv');
    const dsymv = symv('double', 'cblas_dsymv');
    cached = {
      dsyevd: (n, a, w) => syevd(COL_MAJOR, V, U, n, a, n, w) as number,
      dpotrf: (n, a) => potrf(COL_MAJOR, U, n, a, n) as number,
      spotrf: (n, a) => spotrf(COL_MAJOR, U, n, a, n) as number,
      dpotrs: (n, nrhs, l, b) => {
        if (nrhs === 1) return potrs(COL_MAJOR, U, n, 1, l, n, b, Math.max(n, 1)) as number;
        const bt = scratch64('lapack:b', n * nrhs);
        for (let i = 0; i < n; i++) for (let r = 0; r < nrhs; r++) bt[r * n + i] = b[i * nrhs + r];
        const info = potrs(COL_MAJOR, U, n, nrhs, l, n, bt, Math.max(n, 1)) as number;
        for (let i = 0; i < n; i++) for (let r = 0; r < nrhs; r++) b[i * nrhs + r] = bt[r * n + i];
        return info;
      },
      symv32: (n, a, x, y) =>
        onOneThread(() => ssymv(ROW_MAJOR, LOWER, n, 1, a, Math.max(n, 1), x, 1, 0, y, 1)),
      symv64: (n, a, x, y) =>
        onOneThread(() => dsymv(ROW_MAJOR, LOWER, n, 1, a, Math.max(n, 1), x, 1, 0, y, 1)),
    };
  } catch {
    cached = null;
  }
  return cached ?? undefined;
}
