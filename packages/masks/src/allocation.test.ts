import { BitMatrix, type LayerShape, type NetworkMask, Rng } from '@graphon-pai/core';
import fc from 'fast-check';
import { makeScores, totalNnz } from '../test/helpers/reference';
import { allocateCounts, erkFactor, layerDensities } from './allocation';
import { maskFromScores } from './mask-from-scores';

const shapeArb = fc.record({
  rows: fc.integer({ min: 1, max: 400 }),
  cols: fc.integer({ min: 1, max: 400 }),
});
const shapesArb = fc
  .array(shapeArb, { minLength: 1, maxLength: 7 })
  .map((list) => new Map<string, LayerShape>(list.map((s, i) => [`layer${i}`, s])));
const smallShapesArb = fc
  .array(fc.record({ rows: fc.integer({ min: 1, max: 40 }), cols: fc.integer({ min: 1, max: 40 }) }), {
    minLength: 1,
    maxLength: 5,
  })
  .map((list) => new Map<string, LayerShape>(list.map((s, i) => [`layer${i}`, s])));
const densityArb = fc.double({ min: 1e-4, max: 1, noNaN: true });

function sizes(shapes: Map<string, LayerShape>): number[] {
  return [...shapes.values()].map((s) => s.rows * s.cols);
}

/** Float64 reference of ERK's definition: bisection on ε for Σ min(1, ε r_l) N_l = d N (forced dense = 1). */
function erkReference(
  shapes: Map<string, LayerShape>,
  density: number,
  dense: string[] = [],
  power = 1,
): number[] {
  const names = [...shapes.keys()];
  const N = sizes(shapes);
  const r = names.map((n) => {
    const s = shapes.get(n)!;
    const t = s.tensorShape ?? [s.rows, s.cols];
    return (t.reduce((a, b) => a + b, 0) / t.reduce((a, b) => a * b, 1)) ** power;
  });
  const budget = density * N.reduce((a, b) => a + b, 0);
  const dens = (eps: number) => names.map((n, l) => (dense.includes(n) ? 1 : Math.min(1, eps * r[l])));
  const used = (eps: number) => dens(eps).reduce((acc, d, l) => acc + d * N[l], 0);
  let lo = 0;
  let hi = 1;
  while (used(hi) < budget && hi < 1e300) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (used(mid) < budget) lo = mid;
    else hi = mid;
  }
  return dens(hi);
}

describe('allocateCounts: exact totals', () => {
  it('uniform, erk, first-last: Σ k_l = round(d · N), |k_l − d_l N_l| < 1, 0 ≤ k_l ≤ N_l', () => {
    fc.assert(
      fc.property(
        shapesArb,
        densityArb,
        fc.constantFrom('uniform', 'erk', 'first-last'),
        (shapes, d, kind) => {
          const N = sizes(shapes);
          const total = N.reduce((a, b) => a + b, 0);
          const counts = [...allocateCounts(shapes, d, kind as 'erk').values()];
          const dens = [...layerDensities(shapes, d, kind as 'erk').values()];
          expect(counts.reduce((a, b) => a + b, 0)).toBe(Math.round(d * total));
          counts.forEach((k, l) => {
            expect(Number.isInteger(k)).toBe(true);
            expect(k).toBeGreaterThanOrEqual(0);
            expect(k).toBeLessThanOrEqual(N[l]);
            expect(Math.abs(k - dens[l] * N[l])).toBeLessThan(1 + 1e-9);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('layerwise and explicit: each layer exactly round(d_l · N_l)', () => {
    fc.assert(
      fc.property(
        shapesArb,
        densityArb,
        fc.array(densityArb, { minLength: 7, maxLength: 7 }),
        (shapes, d, ds) => {
          const N = sizes(shapes);
          const lw = [...allocateCounts(shapes, d, 'layerwise').values()];
          lw.forEach((k, l) => {
            expect(k).toBe(Math.round(d * N[l]));
          });
          const names = [...shapes.keys()];
          const explicit = [
            ...allocateCounts(shapes, d, { kind: 'explicit', densities: ds.slice(0, names.length) }).values(),
          ];
          explicit.forEach((k, l) => {
            expect(k).toBe(Math.round(ds[l] * N[l]));
          });
          const byName = Object.fromEntries(names.map((n, l) => [n, ds[l]]));
          expect([...allocateCounts(shapes, d, { kind: 'explicit', densities: byName }).values()]).toEqual(
            explicit,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('induced: reproduces the layer counts of a mask at its own density, and scales them otherwise', () => {
    fc.assert(
      fc.property(
        smallShapesArb,
        fc.integer(),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        (shapes, seed, p) => {
          const rng = new Rng(seed);
          const mask: NetworkMask = new Map();
          for (const [n, s] of shapes)
            mask.set(
              n,
              BitMatrix.from(s.rows, s.cols, () => rng.bernoulli(p)),
            );
          const kept = totalNnz(mask);
          const total = sizes(shapes).reduce((a, b) => a + b, 0);
          if (kept === 0) return;
          const counts = allocateCounts(shapes, kept / total, { kind: 'induced', mask });
          for (const [n, m] of mask) expect(counts.get(n)).toBe(m.nnz());
          const half = allocateCounts(shapes, kept / total / 2, { kind: 'induced', mask });
          expect([...half.values()].reduce((a, b) => a + b, 0)).toBe(Math.round((kept / total / 2) * total));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('ERK', () => {
  it('matches a float64 bisection reference of its definition (saturated layers dense)', () => {
    fc.assert(
      fc.property(shapesArb, densityArb, (shapes, d) => {
        const got = [...layerDensities(shapes, d, 'erk').values()];
        const ref = erkReference(shapes, d);
        got.forEach((v, l) => {
          expect(Math.abs(v - ref[l])).toBeLessThan(1e-9);
        });
      }),
      { numRuns: 150 },
    );
  });

  it('handles convolution tensor shapes, power and forced-dense layers like the reference', () => {
    const shapes = new Map<string, LayerShape>([
      ['conv1', { rows: 16, cols: 3 * 9, tensorShape: [16, 3, 3, 3] }],
      ['conv2', { rows: 32, cols: 16 * 9, tensorShape: [32, 16, 3, 3] }],
      ['fc', { rows: 10, cols: 512 }],
    ]);
    for (const d of [0.02, 0.1, 0.3, 0.7]) {
      const got = [...layerDensities(shapes, d, 'erk').values()];
      erkReference(shapes, d).forEach((v, l) => {
        expect(got[l]).toBeCloseTo(v, 12);
      });
      if (d * (16 * 27 + 32 * 144 + 5120) >= 5120) {
        const forced = [...layerDensities(shapes, d, { kind: 'erk', dense: ['fc'] }).values()];
        erkReference(shapes, d, ['fc']).forEach((v, l) => {
          expect(forced[l]).toBeCloseTo(v, 12);
        });
      } else {
        expect(() => layerDensities(shapes, d, { kind: 'erk', dense: ['fc'] })).toThrow(/allocation.dense/);
      }
      const p2 = [...layerDensities(shapes, d, { kind: 'erk', power: 0.5 }).values()];
      erkReference(shapes, d, [], 0.5).forEach((v, l) => {
        expect(p2[l]).toBeCloseTo(v, 12);
      });
    }
    expect(erkFactor({ rows: 16, cols: 27, tensorShape: [16, 3, 3, 3] })).toBeCloseTo(25 / 432, 15);
    expect(erkFactor({ rows: 16, cols: 27, tensorShape: [16, 3, 3, 3] }, 1, false)).toBeCloseTo(19 / 48, 15);
  });

  it('makes small layers dense and gives the rest one common ε (MLP 784-300-100-10 at 5 %)', () => {
    const shapes = new Map<string, LayerShape>([
      ['fc1', { rows: 300, cols: 784 }],
      ['fc2', { rows: 100, cols: 300 }],
      ['fc3', { rows: 10, cols: 100 }],
    ]);
    const d = [...layerDensities(shapes, 0.05, 'erk').values()];
    const N = [235200, 30000, 1000];
    expect(d.reduce((a, v, l) => a + v * N[l], 0)).toBeCloseTo(0.05 * 266200, 6);
    // Unsaturated layers share ε: d_l / r_l equal.
    expect(d[0] / ((300 + 784) / 235200)).toBeCloseTo(d[1] / ((100 + 300) / 30000), 9);
  });
});

describe('first-last', () => {
  it('end layers get min(1, boost · d_mid) and the total is exact', () => {
    const shapes = new Map<string, LayerShape>([
      ['a', { rows: 100, cols: 50 }],
      ['b', { rows: 100, cols: 100 }],
      ['c', { rows: 100, cols: 100 }],
      ['d', { rows: 10, cols: 100 }],
    ]);
    const d = [...layerDensities(shapes, 0.1, { kind: 'first-last', boost: 3 }).values()];
    expect(d[1]).toBeCloseTo(d[2], 15);
    expect(d[0]).toBeCloseTo(3 * d[1], 12);
    expect(d[3]).toBeCloseTo(3 * d[1], 12);
    const dSat = [...layerDensities(shapes, 0.5, { kind: 'first-last', boost: 3 }).values()];
    expect(dSat[0]).toBe(1);
    expect(dSat[3]).toBe(1);
    expect(5000 + 1000 + dSat[1] * 20000).toBeCloseTo(0.5 * 26000, 6);
  });
});

describe('maskFromScores', () => {
  it('keeps exactly the allocated counts per layer for every allocation, and round(d·N) globally', () => {
    const rng = new Rng(3);
    const scores = makeScores([
      ['a', { rows: 20, cols: 30 }, Array.from({ length: 600 }, () => rng.int(10))],
      ['b', { rows: 30, cols: 10 }, Array.from({ length: 300 }, () => rng.normal())],
      ['c', { rows: 5, cols: 30 }, Array.from({ length: 150 }, () => rng.uniform())],
    ]);
    const shapes = new Map([...scores].map(([n, l]) => [n, l.shape]));
    fc.assert(
      fc.property(densityArb, fc.constantFrom('layerwise', 'uniform', 'erk', 'first-last'), (d, kind) => {
        const mask = maskFromScores(scores, { density: d, allocation: kind as 'erk' });
        const counts = allocateCounts(shapes, d, kind as 'erk');
        for (const [n, m] of mask) expect(m.nnz()).toBe(counts.get(n));
        expect(totalNnz(maskFromScores(scores, { density: d }))).toBe(Math.round(d * 1050));
      }),
      { numRuns: 100 },
    );
  });

  it('rejects densities outside (0, 1], unknown layers and bad allocations with typed errors', () => {
    const scores = makeScores([['a', { rows: 2, cols: 2 }, [1, 2, 3, 4]]]);
    for (const bad of [0, -0.1, 1.5, Number.NaN, Infinity]) {
      expect(() => maskFromScores(scores, { density: bad })).toThrow(/density must be a number in \(0, 1\]/);
    }
    expect(() => maskFromScores(scores, { density: 0.5, allocation: 'magic' as never })).toThrow(
      /allocation must be one of/,
    );
    expect(() =>
      maskFromScores(scores, {
        density: 0.5,
        allocation: { kind: 'explicit', densities: { a: 0.5, b: 0.1 } },
      }),
    ).toThrow(/densities only for layers a/);
    expect(() =>
      maskFromScores(scores, { density: 0.5, allocation: { kind: 'explicit', densities: {} } }),
    ).toThrow(/a density for every layer/);
    expect(() =>
      maskFromScores(scores, { density: 0.5, allocation: { kind: 'erk', dense: ['zz'] } }),
    ).toThrow(/allocation.dense/);
    expect(() => maskFromScores(new Map(), { density: 0.5 })).toThrow(/non-empty ScoreMap/);
    const empty = new Map([['e', { shape: { rows: 0, cols: 3 }, scores: new Float32Array(0) }]]);
    expect(() => maskFromScores(empty, { density: 0.5 })).toThrow(/positive integer rows and cols/);
  });
});
