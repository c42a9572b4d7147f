/**
 * The two report assemblers: every number is recomputed here from K (float64 formulas written out) or from
 * the mask directly, and the refusals are checked.
 */
import { BitMatrix, NumericalError, Rng, StepGraphon } from '@graphon-pai/core';
import { generalisationBound, graphonNtk, graphonNtkReport, uatReport, universalApproximationCheck } from '../src';

function task(rng: Rng, m: number, d: number) {
  const x = { rows: m, cols: d, data: Float64Array.from({ length: m * d }, () => rng.normal()) };
  const y = Float64Array.from({ length: m }, (_, i) => (i % 2 === 0 ? 1 : -1));
  return { x, y };
}

const OPTIONS = { layers: 'both' as const, sigmaW2: 1, delta: 0.05, ridge: 0, topK: 3 };

describe('graphonNtkReport', () => {
  it('alignment, scale and the bound equal their formulas on K', () => {
    const t = task(new Rng(1), 12, 6);
    const g = new StepGraphon([0, 0.5, 1], [0, 0.5, 1], [0.9, 0.2, 0.4, 0.1]);
    const r = graphonNtkReport(g, t, OPTIONS);
    const k = graphonNtk(t.x, g, { layers: 'both', sigmaW2: 1 }).data;
    let trace = 0;
    let frob = 0;
    let yky = 0;
    for (let i = 0; i < 12; i++) {
      trace += k[i * 12 + i];
      for (let j = 0; j < 12; j++) {
        frob += k[i * 12 + j] ** 2;
        yky += t.y[i] * k[i * 12 + j] * t.y[j];
      }
    }
    expect(r.traceOverM).toBeCloseTo(trace / 12, 12);
    expect(r.alignment).toBeCloseTo(yky / (Math.sqrt(frob) * 12), 12);
    expect(r.effectiveRank).toBeCloseTo(trace ** 2 / frob, 10);
    const b = generalisationBound(graphonNtk(t.x, g, { layers: 'both', sigmaW2: 1 }), t.y, { delta: 0.05, ridge: 0 });
    expect(r.bound.bound).toBe(b.bound);
    expect(r.bound.vacuous).toBe(b.bound >= 1);
    expect(r.samples).toBe(12);
  });

  it('refuses a kernel that is not numerically positive definite, naming the ridge as the caller calls it', () => {
    const t = task(new Rng(2), 6, 4);
    t.x.data.copyWithin(4, 0, 4); // samples 0 and 1 are equal
    const run = () => graphonNtkReport(StepGraphon.constant(0.5), t, { ...OPTIONS, ridgeName: '--ridge' });
    expect(run).toThrow(NumericalError);
    expect(run).toThrow(/not positive definite.*Fix: pass an explicit ridge, e\.g\. --ridge \S+/);
    const ok = graphonNtkReport(StepGraphon.constant(0.5), t, { ...OPTIONS, ridge: 1e-3 });
    expect(ok.bound.ridge).toBe(1e-3);
  });
});

describe('uatReport', () => {
  it('S = the k densest active inputs (ties in input order); counts of active inputs from the mask', () => {
    const mask = new BitMatrix(20, 6);
    const density = [0.5, 0.05, 0.5, 0, 0.3, 0.5];
    for (let c = 0; c < 6; c++) for (let r = 0; r < 20 * density[c]; r++) mask.set(r, c);
    const input = { source: mask, inputs: 6, width: 20, mask, threshold: 0.1, minNeurons: 2 };
    const { report } = uatReport({ ...input, coordinates: { kind: 'top', k: 2 } });
    expect(report.activeCoordinates).toBe(4); // inputs 0, 2, 4, 5 are above 0.1
    expect(report.coordinates).toEqual([0, 2]);
    const direct = universalApproximationCheck(mask, { ...input, coordinates: [0, 2] });
    expect(report.holds).toBe(direct.holds);
    expect(report.predictedCount).toBe(direct.predictedCount);
    expect(uatReport({ ...input, coordinates: { kind: 'active' } }).report.k).toBe(4);
  });
});
