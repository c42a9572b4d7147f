/**
 * A bit-packed 0/1 matrix ({@link BitMatrix} of `@graphon-pai/core`) as a fast {@link LinearOperator}.
 *
 *     matmat(x, k, out):  out (rows×k) = M·x,    rmatmat(y, k, out): out (cols×k) = Mᵀ·y
 *
 * Two routes, chosen from the density (option `mode`, default `'auto'`):
 *
 * - `'sparse'` (auto at density ≤ 0.2): the set bits are indexed by row (CSR) on the first product and
 *   multiplied by `sparsePatternOperator` (same package), which indexes them by column (CSC) on the first
 *   transposed product. Both products are gathers, out[r, :] = Σ_{c ∈ row r} x[c, :], so a block of b
 *   columns costs nnz index reads and nnz·b adds and no scattered stores. With Uint16 indices (side ≤ 65536)
 *   the gathers run on WebAssembly SIMD kernels (option `kernel`; f64x2 vectors with independent
 *   accumulators: 5× the JavaScript loop for one column, 5–10× per column for blocks), otherwise in
 *   JavaScript with the block's columns summed in 8 or 4 local accumulators per index read. Memory: nnz·4
 *   bytes (Uint16) for the two index lists plus (rows + cols + 2)·4, held a second time inside the
 *   WebAssembly instances, plus an input and an output block in each.
 * - `'dense'` (auto above density 0.2, or when the indices would exceed `cacheBytes`): the bits are expanded
 *   to float64 (exact 0/1) and each block product runs on the active GEMM provider; the expansion is kept
 *   when rows·cols·8 ≤ `cacheBytes` (default 256 MiB), otherwise re-expanded per product in row panels of
 *   ≈ `panelBytes` (default 8 MiB) inside one reused buffer, so memory stays O(panel).
 *
 * Results are exact float64 sums up to summation order. The operator snapshots nothing in panel mode and the
 * indices / expansion on the first product otherwise: do not modify the mask while using the operator.
 *
 * Complexity per product: O(nnz·k) (sparse) or 2·rows·cols·k flops on the provider (dense), plus a one-time
 * O(rows·cols/32 + nnz) indexing / expansion.
 *
 * @example
 * ```ts
 * const op = bitMatrixOperator(mask);          // mask: BitMatrix
 * const { values } = truncatedSvd(op, 32);
 * ```
 */
import { type BitMatrix, InvalidArgumentError } from '@graphon-pai/core';
import { gemmUnchecked } from './gemm';
import type { LinearOperator } from './linear-operator';
import { patternOperator, requireKernel, type SparsePatternOperator } from './sparse-pattern-operator';

export interface BitMatrixOperatorOptions {
  /** `'sparse'` (index gathers), `'dense'` (GEMM on the float64 expansion) or `'auto'` (default; see above). */
  mode?: 'auto' | 'sparse' | 'dense';
  /**
   * Memory budget of what is kept between products (default 256 MiB): the sparse indices, or the whole
   * float64 expansion in dense mode (beyond it, dense mode re-expands panels per product).
   */
  cacheBytes?: number;
  /** Size of one expanded row panel in panel mode (default 8 MiB; at least one row). */
  panelBytes?: number;
  /**
   * Gather kernel of the sparse route: `'wasm'` (WebAssembly SIMD; Uint16 indices only), `'js'`, or
   * `'auto'` (default: wasm when the runtime has WebAssembly SIMD and both sides are ≤ 65536).
   */
  kernel?: 'auto' | 'wasm' | 'js';
}

function nonNegative(name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new InvalidArgumentError(name, value, 'a finite number ≥ 0');
  }
  return value;
}

/** A {@link LinearOperator} over a bit-packed mask; see the file header. */
export function bitMatrixOperator(mask: BitMatrix, options: BitMatrixOperatorOptions = {}): LinearOperator {
  if (
    mask === null ||
    typeof mask !== 'object' ||
    !(mask.words instanceof Uint32Array) ||
    !Number.isInteger(mask.rows) ||
    !Number.isInteger(mask.cols) ||
    mask.wordsPerRow !== Math.ceil(mask.cols / 32) ||
    mask.words.length !== mask.rows * mask.wordsPerRow
  ) {
    throw new InvalidArgumentError('mask', mask, 'a BitMatrix of @graphon-pai/core', {
      fix: 'build the mask with new BitMatrix(rows, cols) or BitMatrix.fromDense',
    });
  }
  const cacheBytes = nonNegative('options.cacheBytes', options.cacheBytes ?? 256 * 2 ** 20);
  const panelBytes = nonNegative('options.panelBytes', options.panelBytes ?? 8 * 2 ** 20);
  const mode = options.mode ?? 'auto';
  if (mode !== 'auto' && mode !== 'sparse' && mode !== 'dense') {
    throw new InvalidArgumentError('options.mode', mode, "'auto', 'sparse' or 'dense'");
  }
  const kernel = options.kernel ?? 'auto';
  if (kernel !== 'auto' && kernel !== 'wasm' && kernel !== 'js') {
    throw new InvalidArgumentError('options.kernel', kernel, "'auto', 'wasm' or 'js'");
  }
  const { rows, cols, words, wordsPerRow } = mask;
  const nnz = mask.nnz();
  requireKernel(rows, cols, kernel);
  const wide = rows > 65536 || cols > 65536;
  const indexBytes = nnz * (wide ? 8 : 4) + (rows + cols + 2) * 4;
  if (mode === 'sparse' || (mode === 'auto' && nnz <= 0.2 * rows * cols && indexBytes <= cacheBytes)) {
    return sparseOperator(mask, kernel);
  }
  const cached = rows * cols * 8 <= cacheBytes;
  const panelRows = cached
    ? rows
    : Math.max(1, Math.min(rows, Math.floor(panelBytes / (8 * Math.max(cols, 1)))));
  let panel: Float64Array | undefined;

  /** Expands rows [r0, r0 + count) into panel (count×cols). */
  const expand = (r0: number, count: number, dst: Float64Array) => {
    dst.fill(0, 0, count * cols);
    for (let i = 0; i < count; i++) {
      const wo = (r0 + i) * wordsPerRow;
      const o = i * cols;
      for (let w = 0; w < wordsPerRow; w++) {
        let bits = words[wo + w];
        const base = o + (w << 5) + 31;
        while (bits !== 0) {
          const low = bits & -bits;
          dst[base - Math.clz32(low)] = 1;
          bits ^= low;
        }
      }
    }
  };

  const getPanel = (): Float64Array => {
    if (!panel) {
      panel = new Float64Array(panelRows * cols);
      if (cached) expand(0, rows, panel);
    }
    return panel;
  };

  return {
    rows,
    cols,
    matmat(x: Float64Array, k: number, out: Float64Array): void {
      if (rows === 0 || k === 0) return;
      const p = getPanel();
      for (let r0 = 0; r0 < rows; r0 += panelRows) {
        const count = Math.min(panelRows, rows - r0);
        if (!cached) expand(r0, count, p);
        gemmUnchecked(
          false,
          false,
          count,
          k,
          cols,
          1,
          p.subarray(0, count * cols),
          x.subarray(0, cols * k),
          0,
          out.subarray(r0 * k, (r0 + count) * k),
        );
      }
    },
    rmatmat(y: Float64Array, k: number, out: Float64Array): void {
      if (cols === 0 || k === 0) return;
      if (rows === 0) {
        out.fill(0, 0, cols * k);
        return;
      }
      const p = getPanel();
      for (let r0 = 0; r0 < rows; r0 += panelRows) {
        const count = Math.min(panelRows, rows - r0);
        if (!cached) expand(r0, count, p);
        gemmUnchecked(
          true,
          false,
          cols,
          k,
          count,
          1,
          p.subarray(0, count * cols),
          y.subarray(r0 * k, (r0 + count) * k),
          r0 === 0 ? 0 : 1,
          out.subarray(0, cols * k),
        );
      }
    },
  };
}

/**
 * The sparse route: the set bits' CSR (column positions as Uint16 when cols ≤ 65536), built on the first
 * product, as a `sparsePatternOperator` (which builds the CSC on the first transposed product).
 */
function sparseOperator(mask: BitMatrix, kernel: 'auto' | 'wasm' | 'js'): LinearOperator {
  const { rows, cols } = mask;
  let op: SparsePatternOperator | undefined;
  const build = () => {
    const { rowPtr, colIdx } = mask.toCsr();
    op = patternOperator(rows, cols, rowPtr, colIdx, kernel);
    return op;
  };
  return {
    rows,
    cols,
    matmat(x: Float64Array, k: number, out: Float64Array): void {
      (op ?? build()).matmat(x, k, out);
    },
    rmatmat(y: Float64Array, k: number, out: Float64Array): void {
      (op ?? build()).rmatmat(y, k, out);
    },
  };
}
