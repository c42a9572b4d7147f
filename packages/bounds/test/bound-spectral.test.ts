import { InvalidArgumentError, NumericalError, Rng } from '@graphon-pai/core';
import {
  denseReluNtk,
  effectiveRank,
  generalisationBound,
  kernelTargetAlignment,
  spectralSummary,
} from '../src';
import { fixtures, relErr } from './helpers';

const fx = fixtures.bound;
const kernel = { rows: fx.rows, cols: fx.rows, data: Float64Array.from(fx.kernel) };

describe('generalisationBound against numpy (solve + eigvalsh)', () => {
  it('the fixture kernel is the dense hidden-layer NTK (H^∞ normalisation)', () => {
    const k = denseReluNtk({ rows: fx.rows, cols: fx.cols, data: fx.x }, { layers: 'hidden' });
    expect(relErr(k.data, fx.kernel)).toBeLessThan(1e-13);
    // ‖x‖² = n_in gives H^∞_ii = 1/2, as in Arora et al. with ‖x‖ = 1.
    expect(k.data[0]).toBeCloseTo(0.5, 14);
  });

  it('reports yᵀK⁻¹y, the leading term, λ_min and the stated confidence term', () => {
    const b = generalisationBound(kernel, fx.labels, { delta: fx.delta });
    expect(b.quadraticForm).toBeCloseTo(fx.quadraticForm, 8);
    expect(Math.abs(b.quadraticForm - fx.quadraticForm) / fx.quadraticForm).toBeLessThan(1e-9);
    expect(Math.abs(b.leadingTerm - fx.leadingTerm) / fx.leadingTerm).toBeLessThan(1e-9);
    expect(Math.abs(b.lambdaMin - fx.lambdaMin) / fx.lambdaMin).toBeLessThan(1e-8);
    expect(Math.abs(b.confidenceTerm - fx.confidenceTerm) / fx.confidenceTerm).toBeLessThan(1e-9);
    expect(b.bound).toBeCloseTo(b.leadingTerm + b.confidenceTerm, 15);
    expect(b.confidenceConstant).toBeCloseTo(3 / Math.SQRT2, 15);
    expect(b.reference).toMatch(/1901\.08584/);
  });

  it('an explicit ridge gives yᵀ(K + λI)⁻¹y and is reported', () => {
    const b = generalisationBound(kernel, fx.labels, { ridge: 0.1 });
    expect(b.ridge).toBe(0.1);
    expect(Math.abs(b.quadraticForm - fx.ridge0p1QuadraticForm) / fx.ridge0p1QuadraticForm).toBeLessThan(
      1e-9,
    );
  });

  it('scales as it must: y → c·y multiplies yᵀK⁻¹y by c², K → c·K divides it by c', () => {
    const b = generalisationBound(kernel, fx.labels);
    const y3 = fx.labels.map((v: number) => 3 * v);
    expect(generalisationBound(kernel, y3).quadraticForm / b.quadraticForm).toBeCloseTo(9, 9);
    const k2 = { ...kernel, data: kernel.data.map((v) => 2 * v) };
    expect(generalisationBound(k2, fx.labels).quadraticForm / b.quadraticForm).toBeCloseTo(0.5, 9);
  });

  it('refuses a singular kernel with a NumericalError that names an explicit ridge, never a pseudo-inverse', () => {
    // Duplicate a sample: two equal rows make K singular.
    const x = Float64Array.from(fx.x);
    x.set(x.subarray(0, fx.cols), fx.cols);
    const k = denseReluNtk({ rows: fx.rows, cols: fx.cols, data: x }, { layers: 'hidden' });
    let caught: unknown;
    try {
      generalisationBound(k, fx.labels);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NumericalError);
    expect((caught as NumericalError).code).toBe('E_NUMERICAL');
    expect((caught as NumericalError).fix).toMatch(/ridge/);
    // With the ridge it names, the bound is computed.
    const b = generalisationBound(k, fx.labels, { ridge: 1e-3 });
    expect(Number.isFinite(b.bound)).toBe(true);
  });

  it('rejects m < 2, mismatched labels, non-finite entries, asymmetric kernels and bad δ', () => {
    expect(() => generalisationBound({ rows: 1, cols: 1, data: [1] }, [1])).toThrow(/at least 2/);
    expect(() => generalisationBound(kernel, fx.labels.slice(1))).toThrow(InvalidArgumentError);
    const bad = Float64Array.from(fx.kernel);
    bad[3] = Number.POSITIVE_INFINITY;
    expect(() => generalisationBound({ ...kernel, data: bad }, fx.labels)).toThrow(/finite/);
    const asym = Float64Array.from(fx.kernel);
    asym[1] += 0.5;
    expect(() => generalisationBound({ ...kernel, data: asym }, fx.labels)).toThrow(/symmetric/);
    expect(() => generalisationBound(kernel, fx.labels, { delta: 1 })).toThrow(/delta/);
    expect(() => generalisationBound(kernel, fx.labels, { ridge: -1 })).toThrow(/ridge/);
  });
});

describe('alignment, effective rank and spectra against numpy', () => {
  it('matches eigvalsh and the closed-form statistics', () => {
    const s = spectralSummary(kernel, { topK: 3 });
    expect(relErr(s.eigenvalues, fx.eigenvalues)).toBeLessThan(1e-12);
    expect(s.lambdaMin).toBeCloseTo(fx.eigenvalues[fx.rows - 1], 12);
    expect(s.conditionNumber).toBeCloseTo(fx.eigenvalues[0] / fx.eigenvalues[fx.rows - 1], 6);
    expect(s.effectiveRank).toBeCloseTo(fx.effectiveRank, 10);
    expect(s.topKEnergy).toBeCloseTo(fx.top3Energy, 12);
    expect(effectiveRank(kernel)).toBeCloseTo(fx.effectiveRank, 12);
    expect(kernelTargetAlignment(kernel, fx.labels)).toBeCloseTo(fx.alignment, 13);
  });

  it('closed forms: identity has effective rank m and alignment 1/√m; yyᵀ has alignment 1', () => {
    const m = 9;
    const eye = new Float64Array(m * m);
    for (let i = 0; i < m; i++) eye[i * m + i] = 1;
    const y = Float64Array.from({ length: m }, (_, i) => (i % 2 ? 1 : -1));
    expect(effectiveRank({ rows: m, cols: m, data: eye })).toBeCloseTo(m, 14);
    expect(kernelTargetAlignment({ rows: m, cols: m, data: eye }, y)).toBeCloseTo(1 / Math.sqrt(m), 14);
    const yy = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) yy[i * m + j] = y[i] * y[j];
    expect(kernelTargetAlignment({ rows: m, cols: m, data: yy }, y)).toBeCloseTo(1, 14);
    const s = spectralSummary({ rows: m, cols: m, data: yy }, { topK: 1 });
    expect(s.topKEnergy).toBeCloseTo(1, 12);
    expect(s.conditionNumber).toBe(Number.POSITIVE_INFINITY);
  });

  it('spectra of a larger random kernel agree with a dense decomposition identity (Σλ = tr, Σλ² = ‖K‖_F²)', () => {
    const rng = new Rng(5);
    const x = { rows: 60, cols: 12, data: Float64Array.from({ length: 720 }, () => rng.normal()) };
    const k = denseReluNtk(x);
    const s = spectralSummary(k);
    let fro = 0;
    for (const v of k.data) fro += v * v;
    const sum = s.eigenvalues.reduce((a, b) => a + b, 0);
    const sq = s.eigenvalues.reduce((a, b) => a + b * b, 0);
    expect(Math.abs(sum - s.trace) / s.trace).toBeLessThan(1e-12);
    expect(Math.abs(sq - fro) / fro).toBeLessThan(1e-12);
    expect(s.lambdaMin).toBeGreaterThan(0);
  });
});
