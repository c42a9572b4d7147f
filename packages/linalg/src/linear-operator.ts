/**
 * A matrix known only through block products, so that iterative methods ({@link truncatedSvd}) work on
 * dense, bit-packed or implicit matrices alike.
 *
 *     matmat(x, k, out):  out (rows×k) = A · x,   x is cols×k
 *     rmatmat(x, k, out): out (cols×k) = Aᵀ · x,  x is rows×k
 *
 * All blocks are row-major Float64Array. Implementations overwrite `out` and must not keep references to
 * `x` or `out` after returning (callers reuse both buffers).
 *
 * `denseOperator` wraps a row-major Float32Array or Float64Array without copying; its products run on the
 * active GEMM provider (a Float32Array matrix is multiplied in float32 after rounding the block).
 * Complexity per product: rows·cols·k multiply-adds.
 *
 * @example
 * ```ts
 * const op = denseOperator(Float64Array.of(1, 2, 3, 4, 5, 6), 2, 3);
 * const out = new Float64Array(2);
 * op.matmat(Float64Array.of(1, 1, 1), 1, out);   // out = [6, 15]
 * ```
 */
import { gemmUnchecked } from './gemm';
import { scratch32 } from './internal/scratch';
import { checkDim, checkFloatArray, type FloatArray } from './internal/validate';

export interface LinearOperator {
  readonly rows: number;
  readonly cols: number;
  /** out (rows×k) = A·x, x is cols×k; both row-major. */
  matmat(x: Float64Array, k: number, out: Float64Array): void;
  /** out (cols×k) = Aᵀ·x, x is rows×k; both row-major. */
  rmatmat(x: Float64Array, k: number, out: Float64Array): void;
}

/** A {@link LinearOperator} over a row-major dense matrix (no copy). */
export function denseOperator(data: Float32Array | Float64Array, rows: number, cols: number): LinearOperator {
  checkDim('rows', rows);
  checkDim('cols', cols);
  checkFloatArray('data', data, rows * cols, `${rows}×${cols}`);
  return new DenseOperator(data, rows, cols);
}

class DenseOperator implements LinearOperator {
  constructor(
    private readonly data: FloatArray,
    readonly rows: number,
    readonly cols: number,
  ) {}

  matmat(x: Float64Array, k: number, out: Float64Array): void {
    this.product(false, x, k, out);
  }

  rmatmat(x: Float64Array, k: number, out: Float64Array): void {
    this.product(true, x, k, out);
  }

  private product(trans: boolean, x: Float64Array, k: number, out: Float64Array): void {
    const m = trans ? this.cols : this.rows;
    const inner = trans ? this.rows : this.cols;
    if (this.data instanceof Float64Array) {
      gemmUnchecked(trans, false, m, k, inner, 1, this.data, x, 0, out);
      return;
    }
    const x32 = scratch32('dense-op:x', inner * k);
    for (let i = 0; i < inner * k; i++) x32[i] = x[i];
    const out32 = scratch32('dense-op:out', m * k);
    gemmUnchecked(trans, false, m, k, inner, 1, this.data, x32, 0, out32);
    for (let i = 0; i < m * k; i++) out[i] = out32[i];
  }
}
