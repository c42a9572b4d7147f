import { InvalidArgumentError, Rng } from '@graphon-pai/core';
import { midpoint2d } from '../test/reference';
import { distribution } from './distributions';
import { empiricalFsmLimit } from './empirical-fsm';
import { fsmLimit } from './fsm';
import { sampleFsmMask } from './fsm-sample';

/** τ with 1 − τ + τ ln τ = p (P(XY ≥ τ) for independent uniforms), by Newton from the right. */
function productUniformTau(p: number): number {
  let t = 0.5;
  for (let i = 0; i < 200; i++) {
    const f = 1 - t + t * Math.log(t) - p;
    const df = Math.log(t);
    const next = t - f / df;
    t = next <= 0 ? t / 2 : next;
  }
  return t;
}

describe('FSM limit: closed forms', () => {
  it('threshold model A, B ~ U(0,1), ξ ≡ 1: W = 1{(1−u)(1−v) ≥ τ}, 1 − τ + τ ln τ = p', () => {
    for (const p of [0.02, 0.1, 0.5, 0.9]) {
      const lim = fsmLimit({ rowFactor: 'uniform', colFactor: 'uniform', noise: 'constant' }, p);
      const tau = productUniformTau(p);
      // density accuracy: D(τ_ours) − p, with D known in closed form
      const t = lim.tau;
      expect(Math.abs(1 - t + t * Math.log(t) - p)).toBeLessThan(1e-9);
      expect(lim.tau).toBeCloseTo(tau, 8);
      expect(lim.value(0.1, 0.1)).toBe(0.9 * 0.9 >= t ? 1 : 0);
      expect(lim.value(0.99, 0.5)).toBe(0.01 * 0.5 >= t ? 1 : 0);
    }
  });

  it('A ~ U(0,1), B ≡ 1, ξ ~ U(0,1): W(u, v) = max(0, 1 − τ/(1−u)), same τ', () => {
    const p = 0.2;
    const lim = fsmLimit({ rowFactor: 'uniform', colFactor: 'constant', noise: 'uniform' }, p);
    const t = lim.tau;
    expect(Math.abs(1 - t + t * Math.log(t) - p)).toBeLessThan(1e-9);
    for (const u of [0.05, 0.3, 0.6, 0.95]) {
      expect(lim.value(u, 0.4)).toBeCloseTo(Math.max(0, 1 - t / (1 - u)), 12);
      expect(lim.rowDegree(u)).toBeCloseTo(Math.max(0, 1 - t / (1 - u)), 10);
    }
    // block averages against the exact integral ∫ max(0, 1 − τ/s) ds = (s − τ ln s) on [τ, 1]
    const g = lim.toStepGraphon(4, 3);
    const F = (s: number) => (s <= t ? 0 : s - t - t * (Math.log(s) - Math.log(t)));
    for (let a = 0; a < 4; a++) {
      const exact = (F(1 - a / 4) - F(1 - (a + 1) / 4)) * 4;
      for (let b = 0; b < 3; b++) expect(g.block(a, b)).toBeCloseTo(exact, 8);
    }
    expect(g.integral()).toBeCloseTo(p, 8);
  });

  it('homogeneous criteria: A ≡ B ≡ 1 gives W ≡ p with τ the noise quantile', () => {
    const lim = fsmLimit({ rowFactor: 'constant', colFactor: 'constant', noise: 'half-normal' }, 0.1);
    expect(lim.tau).toBeCloseTo(distribution('half-normal').quantile(0.9), 9);
    for (const [u, v] of [
      [0.1, 0.2],
      [0.9, 0.5],
    ])
      expect(lim.value(u, v)).toBeCloseTo(0.1, 9);
  });

  it('all-constant scores: ties broken uniformly, W ≡ p', () => {
    const lim = fsmLimit({ rowFactor: 'constant', colFactor: 'constant', noise: 'constant' }, 0.3);
    expect(lim.theta).toBeCloseTo(0.3, 12);
    expect(lim.value(0.5, 0.5)).toBeCloseTo(0.3, 12);
    expect(lim.toStepGraphon(2, 2).values.every((x) => Math.abs(x - 0.3) < 1e-12)).toBe(true);
  });

  it('additive link: A, B ~ U(0,1), ξ ≡ 0, p = (2 − τ)²/2', () => {
    const lim = fsmLimit(
      { rowFactor: 'uniform', colFactor: 'uniform', noise: { type: 'constant', value: 0 }, link: 'additive' },
      0.08,
    );
    expect(lim.tau).toBeCloseTo(2 - Math.sqrt(0.16), 9);
  });
});

describe('FSM limit: general laws', () => {
  it('the density of the returned graphon, integrated independently, is p', () => {
    const lim = fsmLimit({ rowFactor: 'uniform', colFactor: 'exponential', noise: 'exponential' }, 0.15);
    expect(Math.abs(lim.achievedDensity - 0.15)).toBeLessThan(1e-9);
    // midpoint rule on 300² (smooth integrand: error ~1e-5)
    expect(Math.abs(midpoint2d((u, v) => lim.value(u, v), 300) - 0.15)).toBeLessThan(1e-4);
    expect(lim.toStepGraphon(4, 4).integral()).toBeCloseTo(0.15, 7);
  });

  it('accepts empirical samples for factors (close to the continuous law they sample)', () => {
    const a = Float64Array.from({ length: 2000 }, (_, i) => (i + 0.5) / 2000);
    const lim = fsmLimit({ rowFactor: a, colFactor: 'constant', noise: 'uniform' }, 0.2);
    expect(Math.abs(lim.achievedDensity - 0.2)).toBeLessThan(1e-9);
    const t = lim.tau;
    expect(Math.abs(1 - t + t * Math.log(t) - 0.2)).toBeLessThan(1e-3);
  });
});

describe('FSM limit: finite factor samples', () => {
  it('both factors given as samples (with many zeros): the exact finite limit, fast', () => {
    const rng = new Rng(2);
    const a = Float64Array.from({ length: 64 }, () => Math.abs(rng.normal()) * (0.5 + rng.uniform()));
    const b = Float64Array.from({ length: 49 }, (_, i) => (i % 7 < 2 ? 0 : Math.abs(rng.normal())));
    const lim = fsmLimit({ rowFactor: a, colFactor: b, noise: 'half-normal' }, 0.1);
    const exact = empiricalFsmLimit(a, b, 'half-normal', 0.1);
    expect(lim.tau).toBe(exact.tau);
    expect(Math.abs(lim.achievedDensity - 0.1)).toBeLessThan(1e-10);
    expect(lim.value(0.3, 0.2)).toBe(exact.value(0.3, 0.2));
    expect(lim.rowDegree(0.5)).toBe(exact.rowDegree(0.5));
    expect(lim.colDegree(0.95)).toBe(0);
    // equal cuts (fsmLimit's default grid), cells cut by blocks counted by overlap
    const g = lim.toStepGraphon(4, 3);
    expect(Array.from(g.rowCuts)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    for (let p = 0; p < 4; p++) {
      for (let q = 0; q < 3; q++) {
        expect(g.block(p, q)).toBeCloseTo(exact.blockAverage(p / 4, (p + 1) / 4, q / 3, (q + 1) / 3), 12);
      }
    }
    expect(g.integral()).toBeCloseTo(0.1, 9);
  });
});

describe('FSM limit: bad input', () => {
  it('rejects densities outside (0, 1) and bad links', () => {
    const m = { rowFactor: 'uniform', colFactor: 'uniform', noise: 'uniform' } as const;
    for (const p of [0, 1, 1.5, -0.1, Number.NaN])
      expect(() => fsmLimit(m, p)).toThrow(/density must be a number in \(0, 1\)/);
    expect(() => fsmLimit({ ...m, link: 'max' as never }, 0.1)).toThrow(InvalidArgumentError);
    expect(() => fsmLimit({ ...m, noise: 'student' as never }, 0.1)).toThrow(/model\.noise/);
  });

  it('rejects laws reaching below 0 under the multiplicative link (fsmLimit and sampleFsmMask), accepts them under the additive one', () => {
    const signed = [
      ['rowFactor', { type: 'constant', value: -2 }],
      ['colFactor', { type: 'uniform', low: -1, high: 1 }],
      ['noise', Float64Array.of(0.5, -0.25, 2)],
    ] as const;
    for (const [key, law] of signed) {
      const model = { rowFactor: 'uniform', colFactor: 'uniform', noise: 'uniform', [key]: law } as const;
      expect(() => fsmLimit(model, 0.1)).toThrow(new RegExp(`model\\.${key}.*multiplicative link`));
      expect(() => sampleFsmMask(model, 8, 8, { density: 0.5, seed: 1 })).toThrow(InvalidArgumentError);
    }
    // Additive a + b + ξ is defined for any real laws.
    const additive = fsmLimit(
      {
        rowFactor: { type: 'uniform', low: -1, high: 1 },
        colFactor: 'uniform',
        noise: 'uniform',
        link: 'additive',
      },
      0.3,
    );
    expect(Math.abs(additive.achievedDensity - 0.3)).toBeLessThan(1e-8);
    // A law with an atom at 0 is fine (non-negative).
    expect(() =>
      fsmLimit({ rowFactor: Float64Array.of(0, 1, 2), colFactor: 'uniform', noise: 'uniform' }, 0.2),
    ).not.toThrow();
  });
});
