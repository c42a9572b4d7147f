import { BitMatrix, InvalidArgumentError, Rng, StepGraphon } from '@graphon-pai/core';
import { bitMatrixOperator, truncatedSvd } from '@graphon-pai/linalg';
// Imported from their modules, not '../src': the index also loads mathjs (seconds per test file under jest).
import { pluginBlocks } from '../src/bandwidth';
import { histogramEstimate } from '../src/histogram-estimator';
import { estimationError } from '../src/metrics';
import { networkHistogram } from '../src/network-histogram';
import { sampleGraphon } from '../src/sampling';
import { sasEstimate, tvDenoise } from '../src/sas';
import { usvtEstimate } from '../src/usvt';
import usvtRef from './fixtures/usvt/reference.json';
import { dense } from './reference';

// A plain function (not a mathjs expression) keeps sampling fast; expressions are tested elsewhere.
const truth = { value: (u: number, v: number) => 0.9 * (1 - u) * (1 - v) + 0.05 };

// USVT's operator is linalg's bitMatrixOperator: its sparse route (density ≤ 0.2) and dense route (above),
// checked here on the shapes USVT gives it (rectangular, cols not a multiple of 32).
describe('bit-packed mask operator (as USVT uses it)', () => {
  for (const density of [0.2, 0.8]) {
    it(`matmat and rmatmat equal dense products (density ${density})`, () => {
      const rng = new Rng(density * 10);
      const m = BitMatrix.from(37, 70, () => rng.uniform() < density);
      const d = dense(m);
      const op = bitMatrixOperator(m);
      const k = 3;
      const x = rng.normalArray(70 * k);
      const y = rng.normalArray(37 * k);
      const out = new Float64Array(37 * k);
      const rout = new Float64Array(70 * k);
      op.matmat(x, k, out);
      op.rmatmat(y, k, rout);
      for (let r = 0; r < 37; r++) {
        for (let t = 0; t < k; t++) {
          let s = 0;
          for (let c = 0; c < 70; c++) s += d[r][c] * x[c * k + t];
          expect(out[r * k + t]).toBeCloseTo(s, 10);
        }
      }
      for (let c = 0; c < 70; c++) {
        for (let t = 0; t < k; t++) {
          let s = 0;
          for (let r = 0; r < 37; r++) s += d[r][c] * y[r * k + t];
          expect(rout[c * k + t]).toBeCloseTo(s, 10);
        }
      }
    });
  }
});

describe('USVT', () => {
  const mask = BitMatrix.fromDense(usvtRef.rows, usvtRef.cols, usvtRef.bits.join('').split('').map(Number));
  it('singular values of the bit-packed operator match numpy.linalg.svd (dense float64)', () => {
    const svd = truncatedSvd(bitMatrixOperator(mask), 10, { seed: 1, tol: 1e-10 });
    usvtRef.singularValues.forEach((s, i) =>
      expect(Math.abs(svd.values[i] - s)).toBeLessThan(1e-7 * usvtRef.singularValues[0]),
    );
  });
  it('keeps the singular values above (2 + η)√max(rows, cols) and clips to [0, 1]', () => {
    const r = usvtEstimate(mask, { rowBlocks: 12, colBlocks: 8 });
    const t = 2.01 * Math.sqrt(120);
    expect(r.threshold).toBeCloseTo(t, 12);
    expect(r.rank).toBe(usvtRef.singularValues.filter((s) => s >= t).length);
    expect(r.graphon.values.every((x) => x >= 0 && x <= 1)).toBe(true);
    expect(usvtEstimate(mask, { threshold: 1e9 }).graphon.values.every((x) => x === 0)).toBe(true);
  });
  it('gives the same estimate on the memory-bounded operator route (cacheBytes: 0)', () => {
    const a = usvtEstimate(mask, { rowBlocks: 12, colBlocks: 8, seed: 3 });
    const b = usvtEstimate(mask, {
      rowBlocks: 12,
      colBlocks: 8,
      seed: 3,
      operator: { mode: 'dense', cacheBytes: 0 },
    });
    expect(b.rank).toBe(a.rank);
    a.singularValues.forEach((s, i) =>
      expect(Math.abs(b.singularValues[i] - s)).toBeLessThan(1e-6 * a.singularValues[0]),
    );
    a.graphon.values.forEach((x, i) => expect(Math.abs(b.graphon.values[i] - x)).toBeLessThan(1e-6));
  });
});

describe('SAS total-variation step', () => {
  it('leaves constant images alone and decreases TV + fidelity on noisy ones', () => {
    const c = tvDenoise(new Float64Array(20).fill(0.3), 4, 5, 7.5, 200, 1e-9);
    expect(c.every((x) => Math.abs(x - 0.3) < 1e-12)).toBe(true);
    const rng = new Rng(3);
    const f = Float64Array.from({ length: 400 }, (_, i) => (i % 20 < 10 ? 0.2 : 0.7) + 0.05 * rng.normal());
    const u = tvDenoise(f, 20, 20, 7.5, 2000, 1e-10);
    const energy = (z: Float64Array) => {
      let tv = 0;
      let fid = 0;
      for (let a = 0; a < 20; a++) {
        for (let b = 0; b < 20; b++) {
          const i = a * 20 + b;
          const gx = a < 19 ? z[i + 20] - z[i] : 0;
          const gy = b < 19 ? z[i + 1] - z[i] : 0;
          tv += Math.sqrt(gx * gx + gy * gy);
          fid += (z[i] - f[i]) ** 2;
        }
      }
      return tv + (7.5 / 2) * fid;
    };
    expect(energy(u)).toBeLessThan(energy(f));
    // a mild perturbation of the minimiser does not lower the energy
    const v = u.map((x, i) => x + 1e-3 * Math.sin(i));
    expect(energy(u)).toBeLessThanOrEqual(energy(v) + 1e-9);
  });
});

describe('consistency: every estimator improves from 160² to 640² (fixed seeds)', () => {
  const small = sampleGraphon(truth, 160, 160, { seed: 11 }).mask;
  const large = sampleGraphon(truth, 640, 640, { seed: 12 }).mask;
  const estimators: [string, (m: BitMatrix) => StepGraphon][] = [
    ['histogram', (m) => histogramEstimate(m)],
    ['sas', (m) => sasEstimate(m)],
    ['usvt', (m) => usvtEstimate(m, { maxRank: 8 }).graphon],
    ['network histogram', (m) => networkHistogram(m, { seed: 5 }).graphon],
  ];
  for (const [name, est] of estimators) {
    it(name, () => {
      const e1 = estimationError(est(small), truth, { grid: 128 });
      const e2 = estimationError(est(large), truth, { grid: 128 });
      expect(e2.l2).toBeLessThan(e1.l2);
      expect(e2.l1).toBeLessThan(0.06);
    });
  }
});

describe('plug-in bandwidth and bad input', () => {
  it('a homogeneous mask gets few blocks, a graded one more', () => {
    const flat = sampleGraphon(StepGraphon.constant(0.3), 400, 300, { seed: 1, mode: 'exact' }).mask;
    const graded = sampleGraphon(truth, 400, 300, { seed: 1 }).mask;
    const pf = pluginBlocks(flat);
    const pg = pluginBlocks(graded);
    expect(pg.rowBlocks).toBeGreaterThan(pf.rowBlocks);
    expect(pg.rowBlocks).toBeGreaterThan(1);
  });
  it('rejects empty masks and oversized block counts', () => {
    for (const f of [
      histogramEstimate,
      sasEstimate,
      (m: BitMatrix) => usvtEstimate(m),
      (m: BitMatrix) => networkHistogram(m),
    ]) {
      expect(() => f(new BitMatrix(0, 4))).toThrow(InvalidArgumentError);
      expect(() => f(new BitMatrix(3, 0))).toThrow(/at least one row and one column/);
    }
    const m = sampleGraphon(truth, 10, 12, { seed: 2 }).mask;
    expect(() => histogramEstimate(m, { rowBlocks: 11, colBlocks: 2 })).toThrow(/rowBlocks/);
    expect(() => networkHistogram(m, { rowBlocks: 2, colBlocks: 13 })).toThrow(/colBlocks/);
  });
});
