/**
 * Density accuracy of `fsmLimit` against closed forms of D(τ) = P(φ(A, B, ξ) > τ), over a grid of densities
 * and named laws (regression: uniform³ at p = 0.1 used to throw a NumericalError because the accurate
 * root-finding phase was clamped to a bracket classified by the coarse quadrature).
 *
 * Contract: τ solves ∫∫ W = p to 1e-9 in density. Each case checks |D_closed(τ_ours) − p| ≤ 2e-10
 * (the default root tolerance 1e-10 plus quadrature error), with D_closed evaluated independently of the
 * library's quadrature and special functions. A second test checks the inner integrals (row degrees) against
 * their closed form: a kink of W at the edge of the noise support used to be lost by the Gauss–Kronrod rule.
 */
import fc from 'fast-check';
import { type FsmModel, fsmLimit } from './fsm';

const { abs, exp, log, sqrt, PI } = Math;

/** erfc by its Taylor series (|x| ≤ 3: terms stay below e^{x²}, ~1e-14 absolute), float64; test-local. */
function erfc(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (abs(add) < 1e-18) break;
  }
  return 1 - (2 / sqrt(PI)) * sum;
}

interface Case {
  name: string;
  model: FsmModel;
  /** P(φ > τ) in closed form. */
  survival: (tau: number) => number;
}

/** P(XYZ ≤ t) = t(1 − ln t + ln²t / 2) for independent U(0,1) (t ∈ (0, 1]). */
const u3 = (t: number) => (t >= 1 ? 0 : 1 - t * (1 - log(t) + (log(t) * log(t)) / 2));
/** P(XY ≤ t) = t(1 − ln t). */
const u2 = (t: number) => (t >= 1 ? 0 : 1 - t * (1 - log(t)));

const CASES: Case[] = [
  { name: 'uniform³', model: { rowFactor: 'uniform', colFactor: 'uniform', noise: 'uniform' }, survival: u3 },
  {
    // A ~ U(0, 2) = 2·U(0, 1): P(2XYZ > τ) = P(XYZ > τ/2).
    name: 'uniform(0,2)·uniform·uniform',
    model: { rowFactor: { type: 'uniform', high: 2 }, colFactor: 'uniform', noise: 'uniform' },
    survival: (t) => u3(t / 2),
  },
  {
    name: 'uniform·uniform·constant (threshold model)',
    model: { rowFactor: 'uniform', colFactor: 'uniform', noise: 'constant' },
    survival: u2,
  },
  {
    name: 'constant·uniform·uniform',
    model: { rowFactor: 'constant', colFactor: 'uniform', noise: 'uniform' },
    survival: u2,
  },
  {
    // log-normal(0, 1)³: ln(ABξ) ~ N(0, 3), P(> τ) = erfc(ln τ / √6) / 2.
    name: 'log-normal³',
    model: { rowFactor: 'log-normal', colFactor: 'log-normal', noise: 'log-normal' },
    survival: (t) => 0.5 * erfc(log(t) / sqrt(6)),
  },
  {
    name: 'constant·constant·exponential',
    model: { rowFactor: 'constant', colFactor: 'constant', noise: 'exponential' },
    survival: (t) => exp(-t),
  },
];

const check = (c: Case, p: number) => {
  const lim = fsmLimit(c.model, p);
  const err = abs(c.survival(lim.tau) - p);
  if (!(err <= 2e-10)) throw new Error(`${c.name} at p = ${p}: |D(τ) − p| = ${err}`);
  // the reported density is the library's own quadrature; it must agree with the closed form too
  expect(abs(lim.achievedDensity - p)).toBeLessThanOrEqual(2e-10);
};

describe('FSM limit: density accuracy against closed forms', () => {
  it('uniform³ on a grid of densities (p = 0.1 was the regression)', () => {
    for (const p of [0.02, 0.05, 0.1, 0.2, 0.3, 0.5]) check(CASES[0], p);
  });

  it('uniform³ row and column degrees match ∫ max(0, 1 − c/b) db = 1 − c + c ln c (c = τ/a) to 1e-12', () => {
    const lim = fsmLimit(CASES[0].model, 0.3);
    const t = lim.tau;
    // u = 0.70375 lost 4e-6 before the kink at b = c was made a cell end
    for (const u of [0.05, 0.3, 0.5, 0.7, 0.70375, 0.75, 0.8, 0.85, 0.9]) {
      const a = 1 - u;
      const c = t / a;
      const exact = a <= t ? 0 : 1 - c + c * log(c);
      expect(abs(lim.rowDegree(u) - exact)).toBeLessThan(1e-12);
    }
    // column degrees: the same function of v = 1 − b (A and B are exchangeable); v = 0.852 lost 5e-6
    for (const v of [0.05, 0.5, 0.7, 0.8, 0.852, 0.9]) {
      const b = 1 - v;
      const c = t / b;
      const exact = b <= t ? 0 : 1 - c + c * log(c);
      expect(abs(lim.colDegree(v) - exact)).toBeLessThan(1e-12);
    }
  });

  it('property: named laws × densities in [0.01, 0.6] meet the density to 2e-10', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CASES), fc.double({ min: 0.01, max: 0.6, noNaN: true }), (c, p) => {
        check(c, p);
      }),
      { seed: 20261125, numRuns: 12 },
    );
  });
});
