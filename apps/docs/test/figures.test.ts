/**
 * The numbers behind the figures. The interactive figure evaluates the closed-form FSM limit in the browser
 * with thresholds τ(p, β) solved by the generator's fast midpoint-rule bisection; here they are checked
 * against `@graphon-pai/graphon`'s `fsmLimit` (adaptive Gauss–Kronrod, tolerance 1e-7), an independent
 * implementation. The helpers themselves are checked against closed forms.
 */
import { type BitMatrix, Rng } from '@graphon-pai/core';
import { fsmLimit } from '@graphon-pai/graphon';
import { erf, limitThreshold, limitValue, normalQuantile, sampleScores, topK } from '../scripts/lib/fsm-sim';

describe('figure helpers', () => {
  test('erf and the normal quantile match reference values', () => {
    // erf(0.5), erf(1), erf(2) from Abramowitz & Stegun table 7.1 (10 digits).
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 6);
    expect(erf(1)).toBeCloseTo(0.8427007929, 6);
    expect(erf(-2)).toBeCloseTo(-0.995322265, 6);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 7);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
  });

  test.each([
    [0.2, 4],
    [0.05, 0],
    [0.5, 6],
  ])('τ for density %p and β = %p agrees with fsmLimit, and the closed form with its values', (p, beta) => {
    const model = { sigmaA: 0.5, beta };
    const reference = fsmLimit(
      {
        rowFactor: { type: 'log-normal', sigma: 0.5 },
        colFactor: { profile: beta === 0 ? '1' : `exp(-${beta}*x)` },
        noise: 'half-normal',
      },
      p,
      { tolerance: 1e-7 },
    );
    const tau = limitThreshold(model, p);
    // The midpoint rule on a 100 × 100 grid misses the log-normal tail near u = 0: allow 0.5 % on τ.
    expect(Math.abs(tau - reference.tau) / reference.tau).toBeLessThan(5e-3);
    for (const u of [0.02, 0.25, 0.5, 0.75, 0.98]) {
      for (const v of [0.02, 0.25, 0.5, 0.75, 0.98]) {
        expect(limitValue(model, reference.tau, u, v)).toBeCloseTo(reference.value(u, v), 6);
      }
    }
  });

  test('topK keeps exactly round(p·N) weights, the largest ones', () => {
    const rng = new Rng('topk');
    const scores = sampleScores(40, 30, { sigmaA: 0.5, beta: 2 }, rng);
    scores[7] = scores[8] = scores[9] = 0.5; // ties at some level must not change the count
    for (const p of [0, 0.01, 0.2, 0.5, 1]) {
      const mask: BitMatrix = topK(40, 30, scores, p);
      expect(mask.nnz()).toBe(Math.round(p * 1200));
      let minKept = Number.POSITIVE_INFINITY;
      let maxDropped = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < 1200; i++) {
        if (mask.get(Math.floor(i / 30), i % 30)) minKept = Math.min(minKept, scores[i]);
        else maxDropped = Math.max(maxDropped, scores[i]);
      }
      if (p > 0 && p < 1) expect(minKept).toBeGreaterThanOrEqual(maxDropped);
    }
  });
});
