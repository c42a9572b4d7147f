/**
 * General matrix product on row-major typed arrays, dispatched to the active provider.
 *
 *     C ← alpha · op(A) · op(B) + beta · C,   op(X) = X (trans = false) or Xᵀ (trans = true)
 *
 * Conventions: every matrix is a row-major `Float32Array` or `Float64Array` (all three of the same type);
 * C is m×n, op(A) is m×k and op(B) is k×n, so A is stored m×k (or k×m when `transA`) and B k×n (or n×k
 * when `transB`). As in BLAS, beta = 0 overwrites C without reading it (NaN in C does not propagate).
 * Float32 products accumulate in float64 in the JS kernel and in float32 with wide blocking in the native
 * providers; both stay within float32 rounding of the exact product (relative error ≲ k·2⁻²⁴).
 *
 * Complexity: m·n·k multiply-adds. Providers: see {@link provider}.
 *
 * @example
 * ```ts
 * const a = Float32Array.of(1, 2, 3, 4);       // 2×2
 * const b = Float32Array.of(5, 6, 7, 8);       // 2×2
 * const c = new Float32Array(4);
 * gemm(false, true, 2, 2, 2, 1, a, b, 0, c);   // c = a · bᵀ = [17, 23, 39, 53]
 * matmul(a, b, 2, 2, 2);                       // a · b = [19, 22, 43, 50]
 * ```
 * @see BLAS `xGEMM` (Dongarra et al., "A set of level 3 basic linear algebra subprograms", TOMS 1990).
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { type GemmArguments, gemmJs32 as engineJs32, gemmJs64 as engineJs64 } from './internal/gemm-js';
import { checkDim, checkFinite, checkFloatArray, type FloatArray } from './internal/validate';
import { engine } from './provider';

/** C ← alpha·op(A)·op(B) + beta·C on row-major arrays; see the file header. */
export function gemm<T extends Float32Array | Float64Array>(
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
): void {
  checkDim('m', m);
  checkDim('n', n);
  checkDim('k', k);
  checkFinite('alpha', alpha);
  checkFinite('beta', beta);
  checkFloatArray('a', a, m * k, transA ? `${k}×${m}` : `${m}×${k}`);
  checkFloatArray('b', b, k * n, transB ? `${n}×${k}` : `${k}×${n}`);
  checkFloatArray('c', c, m * n, `${m}×${n}`);
  if (a.constructor !== c.constructor || b.constructor !== c.constructor) {
    throw new InvalidArgumentError(
      'a, b, c',
      `${a.constructor.name}, ${b.constructor.name}, ${c.constructor.name}`,
      'arrays of one element type',
      {
        fix: 'convert all three to Float32Array or all three to Float64Array',
      },
    );
  }
  gemmUnchecked(transA, transB, m, n, k, alpha, a, b, beta, c);
}

/** {@link gemm} without validation, for callers inside the package that already checked shapes. */
export function gemmUnchecked(...args: GemmArguments<FloatArray>): void {
  const [transA, transB, m, n, k, alpha, a, b, beta, c] = args;
  const e = engine();
  if (c instanceof Float64Array) {
    const kernel = m * n * k < e.minWork ? engineJs64 : e.gemm64;
    kernel(transA, transB, m, n, k, alpha, a as Float64Array, b as Float64Array, beta, c);
  } else {
    const kernel = m * n * k < e.minWork ? engineJs32 : e.gemm32;
    kernel(transA, transB, m, n, k, alpha, a as Float32Array, b as Float32Array, beta, c);
  }
}

/**
 * A·B for row-major A (m×k) and B (k×n); returns a new array of A's element type (m×n).
 */
export function matmul<T extends Float32Array | Float64Array>(
  a: T,
  b: T,
  m: number,
  k: number,
  n: number,
): T {
  checkDim('m', m);
  checkDim('k', k);
  checkDim('n', n);
  const c = (a instanceof Float64Array ? new Float64Array(m * n) : new Float32Array(m * n)) as T;
  gemm(false, false, m, n, k, 1, a, b, 0, c);
  return c;
}
