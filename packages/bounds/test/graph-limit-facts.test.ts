import { Rng, StepGraphon, StepKernel } from '@graphon-pai/core';
import fc from 'fast-check';
import {
  ALON_NAOR,
  alonNaorAugment,
  bipartiteHomomorphismDensity,
  countingLemmaBound,
  cutNormBruteForce,
  infinityToOneNormBruteForce,
  samplingLemmaBound,
  weakRegularityBound,
  weakRegularitySteps,
} from '../src';

/** Cut norm of a step kernel: the sup is attained on unions of blocks (bilinear in block indicators). */
function stepCutNorm(k: StepKernel): number {
  const kk = k.rowBlocks;
  const ll = k.colBlocks;
  let best = 0;
  for (let s = 0; s < 2 ** kk; s++) {
    for (let t = 0; t < 2 ** ll; t++) {
      let sum = 0;
      for (let a = 0; a < kk; a++) {
        if (!((s >>> a) & 1)) continue;
        for (let b = 0; b < ll; b++) {
          if ((t >>> b) & 1)
            sum +=
              (k.rowCuts[a + 1] - k.rowCuts[a]) * (k.colCuts[b + 1] - k.colCuts[b]) * k.values[a * ll + b];
        }
      }
      best = Math.max(best, Math.abs(sum));
    }
  }
  return best;
}

describe('constants', () => {
  it('weak regularity 2/√(log k) and its inverse', () => {
    expect(weakRegularityBound(Math.round(Math.exp(4)))).toBeCloseTo(2 / Math.sqrt(Math.log(55)), 15);
    expect(weakRegularityBound(1000)).toBeCloseTo(0.761, 4);
    const k = weakRegularitySteps(0.9);
    expect(weakRegularityBound(k)).toBeLessThanOrEqual(0.9);
    expect(weakRegularityBound(k - 1)).toBeGreaterThan(0.9);
    expect(() => weakRegularityBound(1)).toThrow(/k ≥ 2/);
  });

  it('sampling lemma 22/√(log k), 20/√(log k), failure exp(−k/(2 log k))', () => {
    const s = samplingLemmaBound(10_000);
    expect(s.random).toBeCloseTo(22 / Math.sqrt(Math.log(10_000)), 15);
    expect(s.weighted).toBeCloseTo(20 / Math.sqrt(Math.log(10_000)), 15);
    expect(s.failureProbability).toBeCloseTo(Math.exp(-10_000 / (2 * Math.log(10_000))), 300);
    expect(s.reference).toMatch(/Lemma 10\.16/);
  });

  it('Alon–Naor constants', () => {
    expect(ALON_NAOR.upper).toBe(4);
    expect(ALON_NAOR.grothendieckUpper).toBeCloseTo(1.7822, 4);
  });
});

describe('Alon–Naor facts by brute force on random matrices', () => {
  it('‖A‖_□ ≤ ‖A‖_{∞→1} ≤ 4‖A‖_□, and the augmented matrix attains 4 with the same cut norm', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 1e6 }),
        (r, c, seed) => {
          const rng = new Rng(seed);
          const a = { rows: r, cols: c, data: Float64Array.from({ length: r * c }, () => rng.normal()) };
          const cut = cutNormBruteForce(a);
          const inf1 = infinityToOneNormBruteForce(a);
          const aug = alonNaorAugment(a);
          const cutAug = cutNormBruteForce(aug);
          const inf1Aug = infinityToOneNormBruteForce(aug);
          const tol = 1e-9 * (1 + inf1);
          return (
            cut <= inf1 + tol &&
            inf1 <= 4 * cut + tol &&
            Math.abs(cutAug - cut) <= tol &&
            Math.abs(inf1Aug - 4 * cutAug) <= tol
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('homomorphism densities and the counting lemma', () => {
  const edge = { left: 1, right: 1, edges: [[0, 0]] as [number, number][] };
  const c4 = {
    left: 2,
    right: 2,
    edges: [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
    ] as [number, number][],
  };
  const star = {
    left: 1,
    right: 3,
    edges: [
      [0, 0],
      [0, 1],
      [0, 2],
    ] as [number, number][],
  };

  it('closed forms: t(F, p) = p^e(F); edge density = ∫∫W; star = ∫ d_row(u)^3', () => {
    expect(bipartiteHomomorphismDensity(c4, StepGraphon.constant(0.3))).toBeCloseTo(0.3 ** 4, 15);
    const g = new StepGraphon([0, 0.3, 1], [0, 0.6, 1], [0.2, 0.9, 0.5, 0.1]);
    expect(bipartiteHomomorphismDensity(edge, g)).toBeCloseTo(g.integral(), 15);
    const d0 = 0.6 * 0.2 + 0.4 * 0.9;
    const d1 = 0.6 * 0.5 + 0.4 * 0.1;
    expect(bipartiteHomomorphismDensity(star, g)).toBeCloseTo(0.3 * d0 ** 3 + 0.7 * d1 ** 3, 15);
  });

  it('|t(F, U) − t(F, W)| ≤ e(F)·‖U − W‖_□ on random step graphons with shared cuts (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const rng = new Rng(seed);
        const rc = [0, 0.25 + 0.5 * rng.uniform(), 1];
        const cc = [0, 0.2, 0.2 + 0.6 * rng.uniform(), 1];
        const u = new StepGraphon(
          rc,
          cc,
          Array.from({ length: 6 }, () => rng.uniform()),
        );
        const w = new StepGraphon(
          rc,
          cc,
          Array.from({ length: 6 }, () => rng.uniform()),
        );
        const diff = new StepKernel(
          rc,
          cc,
          u.values.map((x, i) => x - w.values[i]),
        );
        const cut = stepCutNorm(diff);
        for (const f of [edge, c4, star]) {
          const gap = Math.abs(bipartiteHomomorphismDensity(f, u) - bipartiteHomomorphismDensity(f, w));
          if (gap > countingLemmaBound(f.edges.length, cut) + 1e-12) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });
});
