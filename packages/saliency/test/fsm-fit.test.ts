import { Rng } from '@graphon-pai/core';
import { Mlp } from '@graphon-pai/nets';
import { explainedFraction, fsmFactors, rankOneFit } from '../src';
import { randomBatch, useCpu } from './helpers';

beforeAll(useCpu);

test('the Perron fit explains σ₁² / ‖S‖² (closed form of a 2 × 2 matrix)', () => {
  const S = [3, 1, 1, 2];
  const { A, B } = rankOneFit(S, 2, 2);
  const frob = 9 + 1 + 1 + 4;
  const det = 3 * 2 - 1 * 1;
  const sigma1 = (frob + Math.sqrt(frob * frob - 4 * det * det)) / 2;
  expect(explainedFraction(S, A, B, 2, 2)).toBeCloseTo(sigma1 / frob, 10);
});

test('an exactly rank-one matrix is fully explained; the zero matrix too', () => {
  const S = [1, 2, 3, 2, 4, 6];
  const { A, B } = rankOneFit(S, 2, 3);
  expect(explainedFraction(S, A, B, 2, 3)).toBeCloseTo(1, 12);
  expect(explainedFraction([0, 0], [1], [1, 1], 1, 2)).toBe(1);
});

describe('fsmFactors report the fit quality and the eligible fraction', () => {
  test('snip, grasp, grasp-magnitude on a one-hidden-layer network', () => {
    const net = Mlp.create({ widths: [16, 32, 4], init: 'kaiming-normal', seed: 2 });
    const data = randomBatch(48, 16, 4, 5);
    const ctx = (options?: Record<string, unknown>) => ({ network: net, data, rng: new Rng(0), options });
    const snip = fsmFactors('snip', ctx());
    const signed = fsmFactors('grasp', ctx({ samplesPerClass: 0 }));
    const magnitude = fsmFactors('grasp-magnitude', ctx({ samplesPerClass: 0 }));
    for (const f of [snip, signed, magnitude]) {
      expect(f.explained).toBeGreaterThan(0);
      expect(f.explained).toBeLessThan(1);
    }
    expect(signed.eligible).toBe(0.5);
    expect(magnitude.eligible).toBe(1);
    expect(snip.eligible).toBe(1);
    // Same |Hg| fit for both GraSP variants.
    expect(Array.from(signed.colFactor)).toEqual(Array.from(magnitude.colFactor));
    expect(fsmFactors('random', ctx()).explained).toBe(1);
    net.dispose();
  });
});
