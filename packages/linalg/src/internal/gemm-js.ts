/**
 * Dependency-free blocked GEMM in plain JavaScript, the provider of last resort.
 *
 *     C ← alpha · op(A) · op(B) + beta · C,   op(X) = X or Xᵀ,
 *
 * all matrices row-major; C is m×n, op(A) m×k, op(B) k×n. op(B) is first packed into a float64 panel
 * (k×n, reused scratch), then C is produced four rows at a time: each packed row of op(B) is loaded once
 * and fed to four float64 accumulator rows, in column blocks of {@link JB} so the accumulators stay in L1.
 * Accumulation is float64 for both element types; the result is rounded once when written to C.
 * beta = 0 overwrites C (NaN in C does not propagate), as in BLAS.
 *
 * Complexity: m·n·k multiply-adds, k·n extra reads for the panel, no allocation after warm-up.
 */
import { scratch64 } from './scratch';
import type { FloatArray } from './validate';

const JB = 256;

/** The BLAS GEMM arguments `(transA, transB, m, n, k, alpha, a, b, beta, c)` with matrices of type T. */
export type GemmArguments<T> = [
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: T,
  b: T,
  beta: number,
  c: T,
];

export type GemmKernel<T extends FloatArray> = (...args: GemmArguments<T>) => void;

/**
 * Each call returns a fresh closure so that V8 keeps separate (monomorphic) type feedback for the
 * Float32Array and the Float64Array instantiation.
 */
function makeKernel<T extends FloatArray>(packAlways: boolean): GemmKernel<T> {
  return (transA, transB, m, n, k, alpha, a, b, beta, c) => {
    if (m === 0 || n === 0) return;
    if (k === 0 || alpha === 0) {
      scaleC(c, m * n, beta);
      return;
    }
    let bp: Float64Array;
    if (transB) {
      bp = scratch64('gemm-js:b', k * n);
      for (let j = 0; j < n; j++) {
        const row = j * k;
        for (let p = 0; p < k; p++) bp[p * n + j] = b[row + p];
      }
    } else if (packAlways) {
      bp = scratch64('gemm-js:b', k * n);
      for (let i = 0; i < k * n; i++) bp[i] = b[i];
    } else {
      bp = b as unknown as Float64Array;
    }
    const acc = scratch64('gemm-js:acc', 4 * JB);
    // op(A)(i, p) lives at a[i * sa + p * sp].
    const sa = transA ? 1 : k;
    const sp = transA ? m : 1;
    for (let j0 = 0; j0 < n; j0 += JB) {
      const jw = Math.min(JB, n - j0);
      for (let i0 = 0; i0 < m; i0 += 4) {
        const ih = Math.min(4, m - i0);
        acc.fill(0, 0, 4 * JB);
        if (ih === 4) {
          const r0 = i0 * sa;
          const r1 = r0 + sa;
          const r2 = r1 + sa;
          const r3 = r2 + sa;
          for (let p = 0; p < k; p++) {
            const o = p * sp;
            const a0 = a[r0 + o];
            const a1 = a[r1 + o];
            const a2 = a[r2 + o];
            const a3 = a[r3 + o];
            const bo = p * n + j0;
            for (let j = 0; j < jw; j++) {
              const bv = bp[bo + j];
              acc[j] += a0 * bv;
              acc[JB + j] += a1 * bv;
              acc[2 * JB + j] += a2 * bv;
              acc[3 * JB + j] += a3 * bv;
            }
          }
        } else {
          for (let r = 0; r < ih; r++) {
            const ro = (i0 + r) * sa;
            const ao = r * JB;
            for (let p = 0; p < k; p++) {
              const av = a[ro + p * sp];
              const bo = p * n + j0;
              for (let j = 0; j < jw; j++) acc[ao + j] += av * bp[bo + j];
            }
          }
        }
        for (let r = 0; r < ih; r++) {
          const co = (i0 + r) * n + j0;
          const ao = r * JB;
          if (beta === 0) {
            for (let j = 0; j < jw; j++) c[co + j] = alpha * acc[ao + j];
          } else {
            for (let j = 0; j < jw; j++) c[co + j] = alpha * acc[ao + j] + beta * c[co + j];
          }
        }
      }
    }
  };
}

/** C ← beta · C (beta = 0 writes zeros, as BLAS does). */
export function scaleC(c: FloatArray, length: number, beta: number): void {
  if (beta === 0) c.fill(0, 0, length);
  else if (beta !== 1) for (let i = 0; i < length; i++) c[i] *= beta;
}

export const gemmJs32: GemmKernel<Float32Array> = makeKernel<Float32Array>(true);
export const gemmJs64: GemmKernel<Float64Array> = makeKernel<Float64Array>(false);
