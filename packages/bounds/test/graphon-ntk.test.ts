import { BitMatrix, InvalidArgumentError, Rng, StepGraphon, StepKernel } from '@graphon-pai/core';
import { expressionGraphon } from '@graphon-pai/expressions';
import fc from 'fast-check';
import { denseReluNtk, graphonNtk, rowProfiles } from '../src';
import { fixtures, relErr, slowGraphonNtk } from './helpers';

const stepFx = fixtures.step;
const xStep = { rows: stepFx.rows, cols: stepFx.cols, data: Float64Array.from(stepFx.x) };
const stepGraphon = new StepGraphon(stepFx.rowCuts, stepFx.colCuts, stepFx.values);

function randomX(rng: Rng, rows: number, cols: number) {
  return { rows, cols, data: Float64Array.from({ length: rows * cols }, () => rng.normal()) };
}

describe('graphonNtk against the numpy reference (test/fixtures/bounds/make_fixtures.py)', () => {
  it.each(['grouped', 'direct'] as const)(
    'step graphon with unaligned cuts, both layers (%s route)',
    (method) => {
      const k = graphonNtk(xStep, stepGraphon, { sigmaW2: stepFx.sigmaW2, method });
      expect(relErr(k.data, stepFx.both)).toBeLessThan(1e-12);
    },
  );

  it.each(['grouped', 'direct'] as const)('step graphon, hidden layer only (%s route)', (method) => {
    const k = graphonNtk(xStep, stepGraphon, { sigmaW2: stepFx.sigmaW2, layers: 'hidden', method });
    expect(relErr(k.data, stepFx.hidden)).toBeLessThan(1e-12);
  });

  it.each([1, 3])('formula graphon by Gauss–Legendre quadrature, %i point(s) per input cell', (colNodes) => {
    const fx = fixtures.formula;
    const k = graphonNtk(xStep, expressionGraphon(fx.expression), { rowNodes: fx.rowNodes, colNodes });
    expect(relErr(k.data, fx.byColNodes[String(colNodes)])).toBeLessThan(1e-12);
  });

  it('a zero input row gets a zero row and column (Σ_u(x,x) = 0 contributes nothing)', () => {
    const k = graphonNtk(xStep, stepGraphon);
    for (let j = 0; j < xStep.rows; j++) expect(k.data[5 * xStep.rows + j]).toBe(0);
  });
});

describe('closed forms', () => {
  const rng = new Rng(7);
  const x = randomX(rng, 17, 9);

  it.each([0.1, 0.5, 1])('W ≡ %f gives the dense NTK with σ_w² scaled by c', (c) => {
    for (const layers of ['both', 'hidden'] as const) {
      const k = graphonNtk(x, StepGraphon.constant(c), { sigmaW2: 1.3, layers });
      const dense = denseReluNtk(x, { sigmaW2: 1.3 * c, layers });
      expect(relErr(k.data, dense.data)).toBeLessThan(1e-13);
      // The constant given as a function graphon goes through quadrature and gives the same kernel.
      const f = graphonNtk(x, { value: () => c }, { sigmaW2: 1.3, layers, rowNodes: 3 });
      expect(relErr(f.data, dense.data)).toBeLessThan(1e-13);
    }
  });

  it('dense NTK of orthogonal inputs: θ = π/2 gives 1/(2π) off the diagonal', () => {
    const k = denseReluNtk({ rows: 2, cols: 2, data: [1, 0, 0, 1] }, { sigmaW2: 2 });
    // Σ = diag(1, 1): K_12 = κ0·0 + κ1 = 1·(1 + 0)/(2π).
    expect(k.data[1]).toBeCloseTo(1 / (2 * Math.PI), 15);
    expect(k.data[0]).toBe(1);
  });

  it('dense NTK of parallel inputs equals Σ (θ = 0)', () => {
    const k = denseReluNtk({ rows: 2, cols: 3, data: [1, 2, 3, 2, 4, 6] });
    expect(k.data[1]).toBeCloseTo((2 + 8 + 18) / 3, 12);
  });

  it('a 0/1 mask as the graphon equals the step graphon of the mask', () => {
    const r = new Rng(3);
    const mask = BitMatrix.from(12, 9, () => r.uniform() < 0.4);
    const step = new StepGraphon(
      Float64Array.from({ length: 13 }, (_, i) => i / 12),
      Float64Array.from({ length: 10 }, (_, i) => i / 9),
      Array.from(mask.toDense()),
    );
    const a = graphonNtk(x, mask);
    const b = graphonNtk(x, step);
    expect(relErr(a.data, b.data)).toBeLessThan(1e-13);
  });

  it('input positions: a step graphon that matches the input grid reproduces block values exactly', () => {
    const g = StepGraphon.uniformBlocks(2, 3, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const p = rowProfiles(g, 9);
    expect(Array.from(p.profiles.subarray(0, 9)).map((v) => Number(v.toFixed(12)))).toEqual([
      0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3,
    ]);
  });
});

describe('property: grouped route = direct route = slow reference on random step graphons', () => {
  // Tolerance: acos is ill-conditioned at cos θ = ±1 (δθ ≈ √(2 δc)), and small d or zero blocks make
  // inputs collinear, so two correct summation orders can differ by ~1e-8 relative there. Generic inputs
  // (the numpy fixtures above) agree to 1e-12.
  it('agrees to 1e-7 (1e-12 on generic inputs)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.boolean(),
        (kb, lb, m, d, seed, both) => {
          const rng = new Rng(seed);
          const cuts = (n: number) => {
            const c = Array.from({ length: n - 1 }, () => rng.uniform()).sort((a, b) => a - b);
            return Float64Array.from([0, ...c, 1]).filter((v, i, arr) => i === 0 || v > arr[i - 1]);
          };
          const rc = cuts(kb);
          const cc = cuts(lb);
          const vals = Array.from({ length: (rc.length - 1) * (cc.length - 1) }, () =>
            rng.uniform() < 0.2 ? 0 : rng.uniform(),
          );
          const g = new StepGraphon(rc, cc, vals);
          const x = randomX(rng, m, d);
          const layers = both ? 'both' : 'hidden';
          const a = graphonNtk(x, g, { method: 'grouped', layers, sigmaW2: 0.7 });
          const b = graphonNtk(x, g, { method: 'direct', layers, sigmaW2: 0.7 });
          const p = rowProfiles(g, d);
          const ref = slowGraphonNtk(x.data, m, d, p.weights, p.profiles, 0.7, both);
          return relErr(a.data, ref) < 1e-7 && relErr(b.data, ref) < 1e-7;
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is symmetric and positive semi-definite in its quadratic form on random vectors', () => {
    const rng = new Rng(11);
    const x = randomX(rng, 15, 7);
    const k = graphonNtk(x, expressionGraphon('exp(-3*(u-v)^2)'), { rowNodes: 8 });
    for (let t = 0; t < 20; t++) {
      const z = Float64Array.from({ length: 15 }, () => rng.normal());
      let q = 0;
      for (let i = 0; i < 15; i++) for (let j = 0; j < 15; j++) q += z[i] * k.data[i * 15 + j] * z[j];
      expect(q).toBeGreaterThan(-1e-12);
    }
    for (let i = 0; i < 15; i++)
      for (let j = 0; j < 15; j++) expect(k.data[i * 15 + j]).toBe(k.data[j * 15 + i]);
  });
});

describe('bad input', () => {
  const half = StepGraphon.constant(0.5);

  it('rejects non-finite inputs, naming the entry', () => {
    const x = { rows: 2, cols: 2, data: [1, Number.NaN, 0, 1] };
    expect(() => graphonNtk(x, half)).toThrow(InvalidArgumentError);
    expect(() => graphonNtk(x, half)).toThrow(/x\[0\]\[1\]/);
  });

  it('rejects signed kernels (negative "connection probabilities")', () => {
    const k = new StepKernel([0, 1], [0, 1], [-0.5]);
    expect(() => graphonNtk({ rows: 1, cols: 2, data: [1, 1] }, k)).toThrow(/non-negative/);
  });

  it('rejects mismatched dimensions and a mask of the wrong width', () => {
    expect(() => graphonNtk({ rows: 2, cols: 3, data: [1, 2, 3] }, half)).toThrow(/x.data/);
    expect(() => graphonNtk({ rows: 1, cols: 3, data: [1, 2, 3] }, new BitMatrix(4, 5))).toThrow(/mask.cols/);
  });

  it('rejects strings (naming expressionGraphon) and unknown options', () => {
    expect(() => graphonNtk({ rows: 1, cols: 2, data: [1, 1] }, '0.5' as never)).toThrow(/expressionGraphon/);
    expect(() => graphonNtk({ rows: 1, cols: 2, data: [1, 1] }, half, { layers: 'all' as 'both' })).toThrow(
      /layers/,
    );
  });
});
