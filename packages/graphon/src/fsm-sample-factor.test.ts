/**
 * One sample/profile factor against continuous laws (the 1-D table path of `fsm-sample-factor.ts`), checked
 * against three independent references:
 * - scipy: product tails in special functions (K0 integral, K1), exact piecewise integration over the profile's
 *   interpolated law, τ by brentq (`test/fixtures/fsm-sample-factor/generate.py` → `references.json`);
 * - a closed form: profile `1 − x` is uniform with end atoms, with uniform C and ξ `P(C·ξ > s) = 1 − s + s ln s`
 *   (kinks at the support end s = 1);
 * - the 2-D adaptive quadrature (the previous path, forced by passing the law without its knots).
 * Tolerances: D(τ) to 2e-11 (the quadrature target of `fsmLimit` is 1e-11), τ to the root tolerance 1e-10 in
 * density, block averages to their tolerance.
 */
import { expressionProfile } from '@graphon-pai/expressions';
import fc from 'fast-check';
import { type Distribution, distribution } from './distributions';
import { FSM_BLOCK_TOLERANCE, FsmLimit, type FsmModel, fsmLimit, resolveFsm, sampleFactorLimit } from './fsm';
import refs from '../test/fixtures/fsm-sample-factor/references.json';

const { abs, log } = Math;

interface Ref {
  profile: string;
  resolution: number;
  law: string;
  density: number;
  tau: number;
  densityAtTau: number;
  densityAtHalfTau: number;
  densityAtDoubleTau: number;
}

/** Gauss–Legendre nodes and weights on [−1, 1] by Newton on P_n (test-local reference). */
function gaussLegendre(n: number): { x: number[]; w: number[] } {
  const x: number[] = [];
  const w: number[] = [];
  for (let i = 1; i <= n; i++) {
    let t = Math.cos((Math.PI * (i - 0.25)) / (n + 0.5));
    let dp = 0;
    for (let it = 0; it < 100; it++) {
      let p0 = 1;
      let p1 = t;
      for (let k = 2; k <= n; k++) {
        const p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = (n * (t * p1 - p0)) / (t * t - 1);
      const dt = p1 / dp;
      t -= dt;
      if (abs(dt) < 1e-16) break;
    }
    x.push(t);
    w.push(2 / ((1 - t * t) * dp * dp));
  }
  return { x, w };
}

function model(sample: unknown, law: unknown, noise: unknown, sampleIsRow: boolean): FsmModel {
  return (
    sampleIsRow ? { rowFactor: sample, colFactor: law, noise } : { rowFactor: law, colFactor: sample, noise }
  ) as FsmModel;
}

function tablePath(m: FsmModel) {
  const sf = sampleFactorLimit(resolveFsm(m), 1e-10);
  if (!sf) throw new Error('the table path does not apply');
  return sf;
}

/** The same law without its knots: fsmLimit then integrates it by the 2-D adaptive quadrature. */
function withoutKnots(d: Distribution): Distribution {
  const { knots: _, ...plain } = d;
  return plain;
}

describe('fsmLimit with one profile factor: 1-D tables against scipy (generate.py)', () => {
  for (const c of (refs as { cases: Ref[] }).cases) {
    for (const sampleIsRow of [true, false]) {
      it(`${c.profile} (${c.resolution}) × ${c.law}, noise ${c.law}, p = ${c.density}, sample ${sampleIsRow ? 'rows' : 'columns'}`, () => {
        const sample = { ...expressionProfile(c.profile), resolution: c.resolution };
        const sf = tablePath(model(sample, c.law, c.law, sampleIsRow));
        expect(sf.sampleIsRow).toBe(sampleIsRow);
        expect(abs(sf.density(c.tau) - c.densityAtTau)).toBeLessThan(2e-11);
        expect(abs(sf.density(0.5 * c.tau) - c.densityAtHalfTau)).toBeLessThan(2e-11);
        expect(abs(sf.density(2 * c.tau) - c.densityAtDoubleTau)).toBeLessThan(2e-11);
      });
    }
  }

  it('solves τ to the density tolerance (1e-10) on the reference D', () => {
    const c = (refs as { cases: Ref[] }).cases[0];
    const limit = fsmLimit(model(expressionProfile(c.profile), c.law, c.law, false), c.density);
    expect(abs(limit.achievedDensity - c.density)).toBeLessThanOrEqual(1e-10);
    // D is monotone; its local slope from the reference values brackets how far τ may sit from τ_ref.
    const sf = tablePath(model(expressionProfile(c.profile), c.law, c.law, true));
    const slope = (sf.density(c.tau * (1 + 1e-4)) - sf.density(c.tau * (1 - 1e-4))) / (2e-4 * c.tau);
    expect(abs(limit.tau - c.tau)).toBeLessThan((1.2e-10 + 2e-11) / abs(slope));
  });
});

describe('fsmLimit with one profile factor: closed form for profile 1 − x, uniform C and ξ', () => {
  const n = 64;
  const alpha = 0.5 / n;
  const beta = 1 - 0.5 / n;
  /** P(C·ξ > s) for C, ξ ~ U(0, 1). */
  const H = (s: number) => (s >= 1 ? 0 : s <= 0 ? 1 : 1 - s + s * log(s));
  /** ∫ H(τ/a) da antiderivative on a ≥ τ. */
  const F = (a: number, tau: number) => a - tau * log(a) + tau * (log(tau) * log(a) - 0.5 * log(a) ** 2);
  /** The interpolated law of 1 − x at n midpoints: U(α, β) of mass (n − 1)/n plus atoms ½n at α and β. */
  const D = (tau: number) => {
    const lo = Math.max(alpha, tau);
    const cont = lo < beta ? F(beta, tau) - F(lo, tau) : 0;
    return (0.5 / n) * (H(tau / alpha) + H(tau / beta)) + cont;
  };
  const profile = { ...expressionProfile('1 - x'), resolution: n };

  it('D(τ) matches for random τ, both orientations (fast-check)', () => {
    const rows = tablePath(model(profile, 'uniform', 'uniform', true));
    const cols = tablePath(model(profile, 'uniform', 'uniform', false));
    fc.assert(
      fc.property(fc.double({ min: 0.002, max: 0.999, noNaN: true }), (tau) => {
        expect(abs(rows.density(tau) - D(tau))).toBeLessThan(2e-11);
        expect(abs(cols.density(tau) - D(tau))).toBeLessThan(2e-11);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('block averages (tables over column ranges, kinks inside) match a closed-form inner integral', () => {
    // H_z(s) = ∫_{z0}^{z1} max(0, 1 − s/(1 − z)) dz = [b − s ln b] from max(1 − z1, s) to 1 − z0.
    const Hz = (s: number, z0: number, z1: number) => {
      const hi = 1 - z0;
      const lo = Math.max(1 - z1, s);
      return s >= hi ? 0 : hi - s * log(hi) - (lo - s * log(lo));
    };
    // J(w) = 1 − w on [α, β], constant outside; composite 20-point Gauss–Legendre between the kinks in w.
    const J = (w: number) => (w <= alpha ? beta : w >= beta ? alpha : 1 - w);
    const gl = gaussLegendre(20);
    const reference = (tau: number, w0: number, w1: number, z0: number, z1: number) => {
      const cuts = [w0, w1, alpha, beta, 1 - tau / (1 - z0), 1 - tau / (1 - z1)]
        .filter((w) => w >= w0 && w <= w1)
        .sort((a, b) => a - b);
      let sum = 0;
      for (let i = 0; i + 1 < cuts.length; i++) {
        const parts = 50;
        for (let k = 0; k < parts; k++) {
          const a = cuts[i] + ((cuts[i + 1] - cuts[i]) * k) / parts;
          const b = cuts[i] + ((cuts[i + 1] - cuts[i]) * (k + 1)) / parts;
          for (let j = 0; j < gl.x.length; j++) {
            const w = 0.5 * (a + b) + 0.5 * (b - a) * gl.x[j];
            sum += 0.5 * (b - a) * gl.w[j] * Hz(tau / J(w), z0, z1);
          }
        }
      }
      return sum / ((w1 - w0) * (z1 - z0));
    };
    const cuts = [0, 0.3, 0.7, 1];
    for (const sampleIsRow of [true, false]) {
      const limit = fsmLimit(model(profile, 'uniform', 'uniform', sampleIsRow), 0.2);
      for (let a = 0; a < 3; a++) {
        for (let b = 0; b < 3; b++) {
          const [w0, w1, z0, z1] = [cuts[a], cuts[a + 1], cuts[b], cuts[b + 1]];
          const got = sampleIsRow
            ? limit.blockAverage(w0, w1, z0, z1, 1e-11)
            : limit.blockAverage(z0, z1, w0, w1, 1e-11);
          expect(abs(got - reference(limit.tau, w0, w1, z0, z1))).toBeLessThan(2e-11);
        }
      }
    }
  });

  it('fsmLimit meets the closed-form density to 1e-10 (plus the quadrature error)', () => {
    for (const p of [0.05, 0.3]) {
      const limit = fsmLimit(model(profile, 'uniform', 'uniform', true), p);
      expect(abs(D(limit.tau) - p)).toBeLessThan(1e-10 + 2e-11);
      // The whole square as one block: the table path's block mass, to the requested 1e-11.
      expect(abs(limit.blockAverage(0, 1, 0, 1, 1e-11) - D(limit.tau))).toBeLessThan(2e-11);
    }
  });
});

describe('fsmLimit with one profile factor: the table path equals the 2-D quadrature', () => {
  // A coarse profile keeps the 2-D quadrature affordable; same τ on both paths.
  const J = distribution({ ...expressionProfile('exp(-3*x)'), resolution: 24 });
  const tau = 0.28;
  for (const sampleIsRow of [true, false]) {
    it(`block averages on a 3 × 3 grid (tolerance 1e-10), sample ${sampleIsRow ? 'rows' : 'columns'}`, () => {
      const fast = resolveFsm(model(J, 'half-normal', 'half-normal', sampleIsRow));
      const slow = resolveFsm(model(withoutKnots(J), 'half-normal', 'half-normal', sampleIsRow));
      const sf = sampleFactorLimit(fast, 1e-10);
      expect(sf).toBeDefined();
      expect(sampleFactorLimit(slow, 1e-10)).toBeUndefined();
      const a = new FsmLimit(fast, tau, 0, 0.2, 0.2, 1e-9, undefined, undefined, sf);
      const b = new FsmLimit(slow, tau, 0, 0.2, 0.2, 1e-9);
      const ga = a.toStepGraphon(3, 3, { tolerance: 1e-10 });
      const gb = b.toStepGraphon(3, 3, { tolerance: 1e-10 });
      for (let k = 0; k < 9; k++) expect(abs(ga.values[k] - gb.values[k])).toBeLessThan(2e-10);
    });
  }
});

describe('fsmLimit with one profile factor: exact zeros in the profile', () => {
  it('D(τ) equals the 2-D quadrature for max(0, 0.5 − x) × half-normal with log-normal noise', () => {
    // Half the positions have J = 0 (never connect), and one cell runs linearly down to J = 0 (log J → −∞).
    const J = distribution({ ...expressionProfile('max(0, 0.5 - x)'), resolution: 24 });
    const fast = resolveFsm(model(J, 'half-normal', 'log-normal', false));
    const slow = resolveFsm(model(withoutKnots(J), 'half-normal', 'log-normal', false));
    const sf = tablePath(fast as unknown as FsmModel);
    for (const tau of [0.05, 0.3, 1]) {
      const reference = new FsmLimit(slow, tau, 0, 0.2, 0.2, 1e-9).blockAverage(0, 1, 0, 1, 1e-11);
      expect(abs(sf.density(tau) - reference)).toBeLessThan(2e-11);
    }
    // Only positions with J > 0 can connect: the interpolated quantile leaves 0 after p_11 = 11.5/24.
    expect(abs(sf.density(1e-12) - 12.5 / 24)).toBeLessThan(1e-9);
  });
});

describe('fsmLimit path selection', () => {
  it('uses the table path only for one sample factor, multiplicative link, continuous C and noise', () => {
    const p = { ...expressionProfile('exp(-3*x)'), resolution: 32 };
    expect(sampleFactorLimit(resolveFsm(model(p, 'half-normal', 'exponential', true)), 1e-10)).toBeDefined();
    expect(sampleFactorLimit(resolveFsm(model(p, 'half-normal', 'constant', true)), 1e-10)).toBeUndefined();
    expect(sampleFactorLimit(resolveFsm(model(p, 'constant', 'half-normal', true)), 1e-10)).toBeUndefined();
    expect(sampleFactorLimit(resolveFsm(model(p, p, 'half-normal', true)), 1e-10)).toBeUndefined();
    expect(
      sampleFactorLimit(resolveFsm(model('half-normal', 'uniform', 'half-normal', true)), 1e-10),
    ).toBeUndefined();
    const additive = { ...model(p, 'half-normal', 'half-normal', true), link: 'additive' } as FsmModel;
    expect(sampleFactorLimit(resolveFsm(additive), 1e-10)).toBeUndefined();
  });
});

describe('FsmLimit block averages at the default accuracy (FSM_BLOCK_TOLERANCE = 1e-7)', () => {
  it('is 1e-7', () => {
    expect(FSM_BLOCK_TOLERANCE).toBe(1e-7);
  });
  const models: [string, FsmModel][] = [
    [
      'uniform³ (kinks at the noise support end)',
      { rowFactor: 'uniform', colFactor: 'uniform', noise: 'uniform' },
    ],
    ['half-normal³', { rowFactor: 'half-normal', colFactor: 'half-normal', noise: 'half-normal' }],
    [
      'profile × half-normal (table path)',
      {
        rowFactor: { ...expressionProfile('exp(-3*x)'), resolution: 24 },
        colFactor: 'half-normal',
        noise: 'half-normal',
      },
    ],
  ];
  for (const [name, m] of models) {
    it(`${name}: default 4 × 3 blocks within 1e-7 of the 2-D quadrature at 1e-10`, () => {
      const limit = fsmLimit(m, 0.2);
      const g = limit.toStepGraphon(4, 3);
      // Slow reference: the 2-D adaptive quadrature at 1e-10 (for the profile: the law without its knots).
      const r = resolveFsm(m);
      const slowModel = r.rowFactor.knots ? { ...r, rowFactor: withoutKnots(r.rowFactor) } : r;
      const slow = new FsmLimit(slowModel, limit.tau, limit.theta, 0.2, 0.2, 1e-10);
      const ref = slow.toStepGraphon(4, 3, { tolerance: 1e-10 });
      for (let k = 0; k < 12; k++) {
        expect(abs(g.values[k] - ref.values[k])).toBeLessThan(1e-7);
        expect(g.values[k]).toBeGreaterThanOrEqual(0);
        expect(g.values[k]).toBeLessThanOrEqual(1);
      }
      expect(limit.blockAverage(0.25, 0.5, 0, 1 / 3)).toBe(g.values[3]);
    });
  }
});
