import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// biome-ignore lint/suspicious/noExplicitAny: fixture JSON is checked by the tests that use it
export const fixtures: any = JSON.parse(
  readFileSync(join(__dirname, 'fixtures/bounds/fixtures.json'), 'utf8'),
);

/** max |a − b| / max(1, max |b|). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let err = 0;
  let scale = 1;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

/** Slow float64 reference: per row node, dense Σ and the arc-cosine formulas, no grouping or GEMM. */
export function slowGraphonNtk(
  x: Float64Array,
  m: number,
  d: number,
  weights: ArrayLike<number>,
  profiles: ArrayLike<number>,
  sigmaW2: number,
  both: boolean,
): Float64Array {
  const out = new Float64Array(m * m);
  for (let a = 0; a < weights.length; a++) {
    const s = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        let acc = 0;
        for (let p = 0; p < d; p++) acc += profiles[a * d + p] * x[i * d + p] * x[j * d + p];
        s[i * m + j] = (sigmaW2 / d) * acc;
      }
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const n = Math.sqrt(s[i * m + i] * s[j * m + j]);
        if (n === 0) continue;
        const c = i === j ? 1 : Math.max(-1, Math.min(1, s[i * m + j] / n));
        const t = Math.acos(c);
        let v = ((Math.PI - t) / (2 * Math.PI)) * s[i * m + j];
        if (both) v += (n * (Math.sin(t) + (Math.PI - t) * Math.cos(t))) / (2 * Math.PI);
        out[i * m + j] += weights[a] * v;
      }
    }
  }
  return out;
}

/** A best cut of a small dense matrix: value Σ_{S×T} A (signed), |value| = the unnormalised cut norm. */
export interface BruteForceCut {
  /** max_{S,T} |Σ_{S×T} A_ij| (not divided by rows·cols). */
  norm: number;
  value: number;
  rows: Uint8Array;
  cols: Uint8Array;
}

/**
 * Exact cut norm by enumerating row subsets (the best column set for a fixed row set takes the columns of
 * one sign); rows ≤ 20. Test-only reference: the library's scalable cut norm is `@graphon-pai/cut-distance`,
 * which this package does not depend on.
 */
export function bruteForceCut(data: ArrayLike<number>, rows: number, cols: number): BruteForceCut {
  if (rows > 20) throw new Error('bruteForceCut: at most 20 rows');
  const colSums = new Float64Array(cols);
  let best: BruteForceCut = { norm: 0, value: 0, rows: new Uint8Array(rows), cols: new Uint8Array(cols) };
  for (let s = 1; s < 2 ** rows; s++) {
    colSums.fill(0);
    for (let i = 0; i < rows; i++)
      if ((s >>> i) & 1) for (let j = 0; j < cols; j++) colSums[j] += data[i * cols + j];
    let pos = 0;
    let neg = 0;
    for (let j = 0; j < cols; j++) {
      if (colSums[j] > 0) pos += colSums[j];
      else neg -= colSums[j];
    }
    const sign = pos >= neg ? 1 : -1;
    const v = Math.max(pos, neg);
    if (v > best.norm) {
      best = {
        norm: v,
        value: sign * v,
        rows: Uint8Array.from({ length: rows }, (_, i) => (s >>> i) & 1),
        cols: Uint8Array.from(colSums, (c) => (sign * c > 0 ? 1 : 0)),
      };
    }
  }
  return best;
}
