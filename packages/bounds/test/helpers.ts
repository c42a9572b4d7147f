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
