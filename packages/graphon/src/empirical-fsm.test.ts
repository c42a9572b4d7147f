import { InvalidArgumentError, NumericalError, Rng } from '@graphon-pai/core';
import { referencePredictedLimit } from '../test/reference-predicted-limit';
import { canonicalHistogram } from './canonical';
import { distribution } from './distributions';
import { empiricalFsmLimit } from './empirical-fsm';
import { fitFsm } from './fit-fsm';
import { sampleFsmMask } from './fsm-sample';

function factors(n: number, seed: number, zeroRate: number, law: (rng: Rng) => number): Float64Array {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => (rng.uniform() < zeroRate ? 0 : law(rng)));
}

describe('empiricalFsmLimit equals an independent double sum (slow reference) to 1e-9', () => {
  const cases: [string, Float64Array, Float64Array, ReturnType<typeof distribution>, number, number, number][] = [
    [
      'SNIP-like: zero input columns, half-normal |w| noise',
      factors(96, 1, 0, (r) => Math.abs(r.normal()) * (0.5 + r.uniform())),
      factors(79, 2, 0.3, (r) => Math.abs(r.normal())),
      distribution({ type: 'half-normal', scale: Math.sqrt(2 / 79) }),
      0.1,
      7,
      5,
    ],
    [
      'zero rows and columns, uniform noise, uneven blocks',
      factors(61, 3, 0.2, (r) => Math.exp(r.normal())),
      factors(45, 4, 0.4, (r) => r.uniform()),
      distribution('uniform'),
      0.05,
      4,
      6,
    ],
    [
      'SynFlow-like: B ≡ 1 (one run), dense density',
      factors(50, 5, 0, (r) => Math.abs(r.normal())),
      new Float64Array(40).fill(1),
      distribution({ type: 'half-normal', scale: 0.1 }),
      0.6,
      5,
      4,
    ],
    [
      'random/magnitude: A ≡ B ≡ 1',
      new Float64Array(30).fill(1),
      new Float64Array(20).fill(1),
      distribution('uniform'),
      0.25,
      3,
      2,
    ],
    [
      'tied factor values (runs) with exponential noise',
      factors(70, 6, 0.1, (r) => Math.ceil(4 * r.uniform())),
      factors(33, 7, 0, (r) => Math.ceil(3 * r.uniform()) / 2),
      distribution('exponential'),
      0.3,
      6,
      3,
    ],
  ];
  for (const [name, a, b, noise, p, K, L] of cases) {
    it(name, () => {
      const ref = referencePredictedLimit(a, b, noise, p, { rowBlocks: K, colBlocks: L });
      const lim = empiricalFsmLimit(a, b, noise, p);
      expect(Math.abs(lim.tau - ref.tau) / ref.tau).toBeLessThan(1e-9);
      expect(Math.abs(lim.achievedDensity - ref.achieved)).toBeLessThan(1e-9);
      expect(Math.abs(lim.achievedDensity - p)).toBeLessThanOrEqual(1e-9);
      expect(lim.theta).toBe(0);
      const g = lim.toStepGraphon(K, L);
      expect(Array.from(g.rowCuts)).toEqual(Array.from(ref.graphon.rowCuts));
      expect(Array.from(g.colCuts)).toEqual(Array.from(ref.graphon.colCuts));
      for (let k = 0; k < K * L; k++) expect(Math.abs(g.values[k] - ref.graphon.values[k])).toBeLessThan(1e-9);
    });
  }
});

describe('empiricalFsmLimit: closed forms and atoms', () => {
  it('A ≡ B ≡ 1, ξ ~ U(0, 1): τ = 1 − p and W ≡ p', () => {
    const lim = empiricalFsmLimit([1, 1, 1], [1, 1], 'uniform', 0.3);
    expect(lim.tau).toBeCloseTo(0.7, 9);
    expect(lim.value(0.2, 0.9)).toBeCloseTo(0.3, 9);
    expect(lim.toStepGraphon(3, 2).values.every((x) => Math.abs(x - 0.3) < 1e-9)).toBe(true);
  });

  it('constant noise (threshold model): the top p·n·d products are kept, ties split by θ', () => {
    const rng = new Rng(9);
    const a = Float64Array.from({ length: 20 }, () => 0.1 + rng.uniform());
    const b = Float64Array.from({ length: 15 }, () => 0.1 + rng.uniform());
    const products: number[] = [];
    for (const x of a) for (const y of b) products.push(x * y);
    const sorted = [...products].sort((x, y) => y - x);
    // k = 30 of 300: an exact count, no tie to break
    const whole = empiricalFsmLimit(a, b, 'constant', 0.1);
    expect(whole.achievedDensity).toBeCloseTo(0.1, 12);
    // k = 31.5: the 32nd largest product is half kept
    const half = empiricalFsmLimit(a, b, 'constant', 0.105);
    expect(half.theta).toBeCloseTo(0.5, 9);
    expect(Math.abs(half.achievedDensity - 0.105)).toBeLessThan(1e-12);
    for (const [lim, k] of [
      [whole, 30],
      [half, 31.5],
    ] as const) {
      let kept = 0;
      for (let j = 0; j < 20; j++) {
        for (let i = 0; i < 15; i++) {
          const w = lim.pairValue(a[j], b[i]);
          const rank = sorted.indexOf(a[j] * b[i]);
          const expected = rank < Math.floor(k) ? 1 : rank < k ? k - Math.floor(k) : 0;
          expect(w).toBeCloseTo(expected, 9);
          kept += w;
        }
      }
      expect(kept).toBeCloseTo(k, 9);
      expect(lim.toStepGraphon(20, 15).integral()).toBeCloseTo(k / 300, 12);
    }
  });

  it('fitted factors with many exact zeros and an empirical noise law with atoms finish quickly', () => {
    const rng = new Rng(4);
    const rows = 64;
    const cols = 100;
    const S = new Float32Array(rows * cols);
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        // 60 % of the inputs are never seen (zero column), 10 % of the remaining scores are exact zeros
        S[j * cols + i] = i % 5 < 3 || rng.uniform() < 0.1 ? 0 : (j + 1) * (i + 1) * Math.abs(rng.normal());
      }
    }
    const fit = fitFsm(S, { rows, cols });
    expect(fit.zeroCols).toBe(60);
    const lim = fit.limit(0.2);
    expect(Math.abs(lim.achievedDensity - 0.2)).toBeLessThan(1e-9);
    const g = lim.toStepGraphon(8, 10);
    expect(g.integral()).toBeCloseTo(0.2, 9);
    // inputs sorted by B descending: the last 60 % of the columns (zero factors) are empty
    for (let p = 0; p < 8; p++) for (let q = 4; q < 10; q++) expect(g.block(p, q)).toBe(0);
  });
});

describe('empiricalFsmLimit: the step graphon', () => {
  const a = factors(37, 11, 0.1, (r) => Math.exp(r.normal()));
  const b = factors(23, 12, 0.2, (r) => Math.abs(r.normal()));
  const lim = empiricalFsmLimit(a, b, 'half-normal', 0.15);

  it('value, degrees and block averages agree with a direct sum over cells', () => {
    const sa = [...a].sort((x, y) => y - x);
    const sb = [...b].sort((x, y) => y - x);
    const W = (j: number, i: number) => (sa[j] * sb[i] > 0 ? distribution('half-normal').ge(lim.tau / (sa[j] * sb[i])) : 0);
    expect(lim.value(0, 0)).toBeCloseTo(W(0, 0), 14);
    expect(lim.value(5.5 / 37, 20.2 / 23)).toBeCloseTo(W(5, 20), 14);
    expect(lim.value(1, 1)).toBeCloseTo(W(36, 22), 14);
    let row7 = 0;
    for (let i = 0; i < 23; i++) row7 += W(7, i) / 23;
    expect(lim.rowDegree(7.5 / 37)).toBeCloseTo(row7, 12);
    let col3 = 0;
    for (let j = 0; j < 37; j++) col3 += W(j, 3) / 37;
    expect(lim.colDegree(3.5 / 23)).toBeCloseTo(col3, 12);
    // a rectangle that cuts cells: cells weighted by their overlap
    const [u0, u1, v0, v1] = [0.1, 0.55, 0.3, 0.95];
    let s = 0;
    for (let j = 0; j < 37; j++) {
      const wu = Math.max(0, Math.min((j + 1) / 37, u1) - Math.max(j / 37, u0));
      for (let i = 0; i < 23; i++) {
        const wv = Math.max(0, Math.min((i + 1) / 23, v1) - Math.max(i / 23, v0));
        s += wu * wv * W(j, i);
      }
    }
    expect(lim.blockAverage(u0, u1, v0, v1)).toBeCloseTo(s / ((u1 - u0) * (v1 - v0)), 12);
    expect(lim.toStepGraphon(37, 23).integral()).toBeCloseTo(0.15, 9);
  });

  it('lines up with the canonical histogram of a mask drawn from the same finite model', () => {
    // The finite-width counterpart: predict from the factors the sampler drew.
    const { mask, rowFactors, colFactors } = sampleFsmMask(
      { rowFactor: 'half-normal', colFactor: 'exponential', noise: 'half-normal' },
      300,
      200,
      { density: 0.1, seed: 5 },
    );
    const est = canonicalHistogram(mask, { rowBlocks: 6, colBlocks: 4 }).graphon;
    const g = empiricalFsmLimit(rowFactors, colFactors, 'half-normal', 0.1).toStepGraphon(6, 4);
    let l1 = 0;
    for (let k = 0; k < 24; k++) l1 += Math.abs(est.values[k] - g.values[k]) / 24;
    expect(l1).toBeLessThan(0.02);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => empiricalFsmLimit([1, 2], [1], 'uniform', 1)).toThrow(/density must be/);
    expect(() => empiricalFsmLimit([1, -2], [1], 'uniform', 0.1)).toThrow(/rowFactors\[1\] must be a finite factor ≥ 0/);
    expect(() => empiricalFsmLimit([1], [Number.NaN], 'uniform', 0.1)).toThrow(InvalidArgumentError);
    expect(() => empiricalFsmLimit([], [1], 'uniform', 0.1)).toThrow(/rowFactors/);
    expect(() => empiricalFsmLimit([0, 0], [1, 2], 'uniform', 0.1)).toThrow(NumericalError);
    // only 1 of 4 pairs can connect: density 0.5 is out of reach
    expect(() => empiricalFsmLimit([1, 0], [1, 0], 'uniform', 0.5)).toThrow(/largest reachable density/);
    expect(() => lim.toStepGraphon(38, 2)).toThrow(/rowBlocks/);
    expect(() => lim.blockAverage(0.5, 0.4, 0, 1)).toThrow(InvalidArgumentError);
  });
});
