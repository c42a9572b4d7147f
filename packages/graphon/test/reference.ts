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

/**
 * Least-squares two-way additive fit `y_ji ≈ α_j + β_i` over the entries where `y` is not null, by dense
 * normal equations with the gauge fixed by a penalty row `Σ β = 0` per call, solved by Gaussian elimination
 * with partial pivoting. Returns the fitted values α_j + β_i (gauge-invariant) on the observed pattern's
 * rows and columns (NaN for rows/columns without observations). Rows and columns must form one connected
 * bipartite component on the pattern.
 */
export function referenceTwoWayFit(y: (number | null)[][]): number[][] {
  const n = y.length;
  const d = y[0].length;
  const m = n + d;
  const M = Array.from({ length: m }, () => new Array<number>(m + 1).fill(0));
  const seenRow = new Array<boolean>(n).fill(false);
  const seenCol = new Array<boolean>(d).fill(false);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < d; i++) {
      const v = y[j][i];
      if (v === null) continue;
      seenRow[j] = seenCol[i] = true;
      const idx = [j, n + i];
      for (const a of idx) {
        for (const b of idx) M[a][b] += 1;
        M[a][m] += v;
      }
    }
  }
  // Unobserved rows/columns: pin their effect to 0. Gauge: add (Σ_observed β)² as a penalty.
  for (let j = 0; j < n; j++) if (!seenRow[j]) M[j][j] = 1;
  for (let i = 0; i < d; i++) {
    if (!seenCol[i]) M[n + i][n + i] = 1;
    else for (let k = 0; k < d; k++) if (seenCol[k]) M[n + i][n + k] += 1;
  }
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      if (f !== 0) for (let k = c; k <= m; k++) M[r][k] -= f * M[c][k];
    }
  }
  const x = M.map((row, i) => row[m] / row[i]);
  return Array.from({ length: n }, (_, j) =>
    Array.from({ length: d }, (_, i) => (seenRow[j] && seenCol[i] ? x[j] + x[n + i] : Number.NaN)),
  );
}
