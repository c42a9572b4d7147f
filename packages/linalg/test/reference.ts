/** Slow, obviously-correct float64 references for the tests. */
import { Rng } from '@graphon-pai/core';
import type { GemmArguments } from '../src/internal/gemm-js';

/** Σ_p f(op(A)(i, p) · op(B)(p, j)) per entry (m×n), with A row-major m×k (k×m when transA), likewise B. */
function refSums(
  [transA, transB, m, n, k, , a, b]: GemmArguments<ArrayLike<number>>,
  f: (product: number) => number,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const aip = transA ? a[p * m + i] : a[i * k + p];
        const bpj = transB ? b[j * k + p] : b[p * n + j];
        s += f(aip * bpj);
      }
      out[i * n + j] = s;
    }
  }
  return out;
}

/** alpha · op(A) · op(B) + beta · C as a new m×n array (C is not read when beta = 0). */
export function refGemm(...args: GemmArguments<ArrayLike<number>>): Float64Array {
  const [, , , , , alpha, , , beta, c] = args;
  return refSums(args, (x) => x).map((s, ij) => alpha * s + (beta === 0 ? 0 : beta * c[ij]));
}

/** Σ_p |op(A)(i,p)|·|op(B)(p,j)| per entry: the scale of rounding errors in a product. */
export function refAbsGemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
): Float64Array {
  return refSums([transA, transB, m, n, k, 1, a, b, 0, []], Math.abs);
}

export function randomMatrix(rng: Rng, length: number): Float64Array {
  return rng.normalArray(length);
}

/** Random symmetric positive definite n×n: G·Gᵀ + n·I. */
export function randomSpd(rng: Rng, n: number): Float64Array {
  const g = rng.normalArray(n * n);
  const a = refGemm(false, true, n, n, n, 1, g, g, 0, new Float64Array(0));
  for (let i = 0; i < n; i++) a[i * n + i] += n;
  return a;
}

export function randomSymmetric(rng: Rng, n: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = rng.normal();
      a[i * n + j] = x;
      a[j * n + i] = x;
    }
  }
  return a;
}

export function frobenius(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

export function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}

/** Column j of a row-major rows×k block. */
export function column(x: Float64Array, rows: number, k: number, j: number): Float64Array {
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = x[i * k + j];
  return out;
}

export function newRng(seed: number): Rng {
  return new Rng(seed);
}

/**
 * op.matmat and op.rmatmat on random blocks of each width equal the float64 reference products of the
 * row-major `dense` matrix (op.rows × op.cols) to 1e-12; outputs start as NaN so unwritten entries fail.
 */
export function expectOperatorProducts(
  op: { rows: number; cols: number; matmat: Product; rmatmat: Product },
  dense: Float64Array,
  widths: readonly number[],
  rng: Rng,
): void {
  const { rows, cols } = op;
  for (const k of widths) {
    const x = rng.normalArray(cols * k);
    const out = new Float64Array(rows * k).fill(Number.NaN);
    op.matmat(x, k, out);
    expect(maxAbsDiff(out, refGemm(false, false, rows, k, cols, 1, dense, x, 0, out))).toBeLessThan(1e-12);
    const y = rng.normalArray(rows * k);
    const out2 = new Float64Array(cols * k).fill(Number.NaN);
    op.rmatmat(y, k, out2);
    expect(maxAbsDiff(out2, refGemm(true, false, cols, k, rows, 1, dense, y, 0, out2))).toBeLessThan(1e-12);
  }
}

type Product = (x: Float64Array, k: number, out: Float64Array) => void;
