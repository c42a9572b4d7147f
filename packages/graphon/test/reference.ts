/** Slow, obviously-correct float64 references used by the tests. */
import type { BitMatrix } from '@graphon-pai/core';

/** Dense 0/1 matrix of a mask as number[][]. */
export function dense(mask: BitMatrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < mask.rows; r++) {
    const row: number[] = [];
    for (let c = 0; c < mask.cols; c++) row.push(mask.get(r, c) ? 1 : 0);
    out.push(row);
  }
  return out;
}

/** Stable descending sort of indices by value (Array.prototype.sort is stable). */
export function referenceOrder(values: ArrayLike<number>): number[] {
  return Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b] - values[a]);
}

/** Canonical histogram computed the slow way: reorder a dense copy, then average blocks. */
export function referenceCanonicalHistogram(mask: BitMatrix, k: number, l: number): number[] {
  const d = dense(mask);
  const rowDeg = d.map((row) => row.reduce((s, x) => s + x, 0));
  const colDeg = d[0].map((_, c) => d.reduce((s, row) => s + row[c], 0));
  const ro = referenceOrder(rowDeg);
  const co = referenceOrder(colDeg);
  const out: number[] = [];
  for (let a = 0; a < k; a++) {
    const r0 = Math.floor((a * mask.rows) / k);
    const r1 = Math.floor(((a + 1) * mask.rows) / k);
    for (let b = 0; b < l; b++) {
      const c0 = Math.floor((b * mask.cols) / l);
      const c1 = Math.floor(((b + 1) * mask.cols) / l);
      let s = 0;
      for (let p = r0; p < r1; p++) for (let q = c0; q < c1; q++) s += d[ro[p]][co[q]];
      out.push(s / ((r1 - r0) * (c1 - c0)));
    }
  }
  return out;
}

/** Midpoint-rule double integral of f over [0,1]² with n × n cells. */
export function midpoint2d(f: (u: number, v: number) => number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += f((i + 0.5) / n, (j + 0.5) / n);
  return s / (n * n);
}
