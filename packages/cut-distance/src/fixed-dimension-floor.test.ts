import { BitMatrix, Rng } from '@graphon-pai/core';
import { fixedDimensionFloor } from './fixed-dimension-floor';

const { exp, log, sqrt } = Math;

/** Independent float64 reference: E[(D − dp)_+]/d for D ~ Binomial(d, p), summed in the log domain. */
function binomialPositivePart(d: number, p: number): number {
  const lfact = new Float64Array(d + 1);
  for (let i = 1; i <= d; i++) lfact[i] = lfact[i - 1] + log(i);
  let s = 0;
  for (let k = Math.ceil(d * p); k <= d; k++) {
    if (k <= d * p) continue;
    s += (k - d * p) * exp(lfact[d] - lfact[k] - lfact[d - k] + k * log(p) + (d - k) * log(1 - p));
  }
  return s / d;
}

/** Random exact-count mask: k = round(p·n·d) ones placed uniformly. */
function exactCountMask(rng: Rng, n: number, d: number, p: number): BitMatrix {
  const k = Math.round(p * n * d);
  const words = new Uint32Array(n * Math.ceil(d / 32));
  const wpr = Math.ceil(d / 32);
  for (const flat of rng.sampleWithoutReplacement(n * d, k)) {
    const r = Math.floor(flat / d);
    const c = flat - r * d;
    words[r * wpr + (c >>> 5)] |= 1 << (c & 31);
  }
  return new BitMatrix(n, d, words);
}

/** The cut of the above-average rows against all columns: (1/(n·d)) Σ_{D_j > mean} (D_j − mean). */
function aboveAverageCut(mask: BitMatrix): number {
  const deg = mask.rowDegrees();
  const mean = mask.nnz() / mask.rows;
  let s = 0;
  for (const x of deg) if (x > mean) s += x - mean;
  return s / (mask.rows * mask.cols);
}

describe('fixedDimensionFloor', () => {
  it('is ½·√(2/π)·√(p(1−p)/d): 0.0042744 at p = 0.1, d = 784', () => {
    expect(fixedDimensionFloor(0.1, 784)).toBeCloseTo(0.5 * sqrt(2 / Math.PI) * sqrt(0.09 / 784), 16);
    expect(fixedDimensionFloor(0.1, 784)).toBeCloseTo(0.0042744, 7);
    expect(fixedDimensionFloor(0, 10)).toBe(0);
    expect(() => fixedDimensionFloor(1.5, 10)).toThrow(/density/);
    expect(() => fixedDimensionFloor(0.1, 0)).toThrow(/input dimension/);
  });

  it.each([
    [784, 0.1, 0.002],
    [64, 0.1, 0.009],
    [100, 0.3, 0.004],
  ])(
    'is the binomial mean E[(D/d − p)_+] at d = %i, p = %f within %f relative (normal approximation)',
    (d, p, tol) => {
      const exact = binomialPositivePart(d, p);
      expect(abs(fixedDimensionFloor(p, d) / exact - 1)).toBeLessThan(tol);
    },
  );

  it.each([
    [784, 0.1],
    [64, 0.1],
  ])(
    'matches Monte Carlo on random exact-count masks (d = %i, p = %f): above-average rows × all columns',
    (d, p) => {
      const rng = new Rng(`floor-${d}`);
      const n = 4096;
      const reps = 6;
      const values: number[] = [];
      for (let r = 0; r < reps; r++) values.push(aboveAverageCut(exactCountMask(rng.fork(r), n, d, p)));
      const mean = values.reduce((s, x) => s + x, 0) / reps;
      const sd = sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (reps - 1));
      const se = sd / sqrt(reps);
      const exact = binomialPositivePart(d, p);
      // Monte Carlo within 4 standard errors (plus the O(1/n) bias of the exact-count constraint) of the
      // binomial mean, and the analytic floor within the normal-approximation error measured above.
      expect(abs(mean - exact)).toBeLessThan(4 * se + exact / n);
      expect(abs(mean / fixedDimensionFloor(p, d) - 1)).toBeLessThan(0.02);
    },
  );
});

const { abs } = Math;
