import { InvalidArgumentError, Rng } from '@graphon-pai/core';
import fc from 'fast-check';
import { referenceTwoWayFit } from '../test/reference';
import { empiricalFsmLimit } from './empirical-fsm';
import { fitFsm } from './fit-fsm';

/** Scores s_ji = A_j B_i ξ_ji with log-normal noise of log-scale sigma (float32, as a ScoreMap holds them). */
function fsmScores(rows: number, cols: number, sigma: number, seed: number) {
  const rng = new Rng(seed);
  const A = Float64Array.from({ length: rows }, () => Math.exp(0.7 * rng.normal()));
  const B = Float64Array.from({ length: cols }, () => 0.05 + Math.abs(rng.normal()));
  const S = new Float32Array(rows * cols);
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) S[j * cols + i] = A[j] * B[i] * Math.exp(sigma * rng.normal());
  }
  return { A, B, S };
}

/** Mean and largest deviation from the mean of log(x / y) over the entries where y > 0. */
function logRatioSpread(x: Float64Array, y: Float64Array): { mean: number; maxDev: number; sd: number } {
  const r: number[] = [];
  for (let k = 0; k < x.length; k++) if (y[k] > 0) r.push(Math.log(x[k] / y[k]));
  const mean = r.reduce((s, v) => s + v, 0) / r.length;
  const maxDev = Math.max(...r.map((v) => Math.abs(v - mean)));
  const sd = Math.sqrt(r.reduce((s, v) => s + (v - mean) ** 2, 0) / r.length);
  return { mean, maxDev, sd };
}

describe('fitFsm: closed forms', () => {
  it('an exact rank-one positive matrix has zero residual and is reproduced exactly', () => {
    const rows = 13;
    const cols = 9;
    const a = Float64Array.from({ length: rows }, (_, j) => 0.5 + j * 0.37);
    const b = Float64Array.from({ length: cols }, (_, i) => 2 ** (i - 4));
    const S = new Float64Array(rows * cols);
    for (let j = 0; j < rows; j++) for (let i = 0; i < cols; i++) S[j * cols + i] = a[j] * b[i];
    const fit = fitFsm(S, { rows, cols });
    expect(fit.converged).toBe(true);
    expect(fit.sweeps).toBeLessThanOrEqual(3);
    expect(fit.logSigma).toBeLessThan(1e-12);
    // the log-normal summary degenerates (σ at rounding level) or is the point mass 1 when σ is exactly 0
    const ln = fit.logNormalNoise as { type: string; sigma?: number };
    expect(ln.type === 'constant' || (ln.type === 'log-normal' && (ln.sigma ?? 1) < 1e-12)).toBe(true);
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        const s = S[j * cols + i];
        expect(Math.abs(fit.rowFactors[j] * fit.colFactors[i] - s) / s).toBeLessThan(1e-12);
      }
    }
    // gauge: mean(B) = 1, and the factors are the true ones up to one constant
    expect(fit.colFactors.reduce((s, v) => s + v, 0) / cols).toBeCloseTo(1, 12);
    expect(logRatioSpread(fit.rowFactors, a).maxDev).toBeLessThan(1e-12);
    expect(logRatioSpread(fit.colFactors, b).maxDev).toBeLessThan(1e-12);
    for (const xi of fit.noiseSample) expect(Math.abs(xi - 1)).toBeLessThan(1e-12);
    expect(fit.zeroFraction).toBe(0);
  });

  it('a rank-one matrix with all-zero rows and columns: zero factors there, exact elsewhere', () => {
    const rows = 8;
    const cols = 7;
    const S = new Float32Array(rows * cols);
    const zr = new Set([0, 5]);
    const zc = new Set([3, 6]);
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) S[j * cols + i] = zr.has(j) || zc.has(i) ? 0 : (j + 1) * (i + 2);
    }
    const fit = fitFsm(S, { rows, cols });
    expect(fit.zeroRows).toBe(2);
    expect(fit.zeroCols).toBe(2);
    expect(fit.zeroFraction).toBeCloseTo((rows * cols - 6 * 5) / (rows * cols), 15);
    for (const j of zr) expect(fit.rowFactors[j]).toBe(0);
    for (const i of zc) expect(fit.colFactors[i]).toBe(0);
    expect(fit.noiseSample.length).toBe(6 * 5);
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        const s = S[j * cols + i];
        if (s > 0) expect(Math.abs(fit.rowFactors[j] * fit.colFactors[i] - s) / s).toBeLessThan(1e-12);
      }
    }
    expect(fit.colFactors.reduce((s, v) => s + v, 0) / cols).toBeCloseTo(1, 12);
  });
});

describe('fitFsm: recovers a known FSM', () => {
  const rows = 240;
  const cols = 160;
  const sigma = 0.5;
  const { A, B, S } = fsmScores(rows, cols, sigma, 7);
  const fit = fitFsm(S, { rows, cols });

  it('factors up to the multiplicative gauge, noise log-scale', () => {
    expect(fit.converged).toBe(true);
    // Each log A_j is a mean of `cols` noisy logs: standard error σ/√cols (B: σ/√rows).
    const ra = logRatioSpread(fit.rowFactors, A);
    const rb = logRatioSpread(fit.colFactors, B);
    expect(ra.sd).toBeLessThan(1.25 * (sigma / Math.sqrt(cols)));
    expect(ra.sd).toBeGreaterThan(0.75 * (sigma / Math.sqrt(cols)));
    expect(ra.maxDev).toBeLessThan(4.5 * (sigma / Math.sqrt(cols)));
    expect(rb.sd).toBeLessThan(1.25 * (sigma / Math.sqrt(rows)));
    expect(rb.maxDev).toBeLessThan(4.5 * (sigma / Math.sqrt(rows)));
    // RMS log residual: σ·√(1 − (rows + cols − 1)/(rows·cols)) ± sampling error (σ/√(2N) ≈ 0.0018)
    const expected = sigma * Math.sqrt(1 - (rows + cols - 1) / (rows * cols));
    expect(Math.abs(fit.logSigma - expected)).toBeLessThan(0.01);
    expect(fit.logNormalNoise).toEqual({ type: 'log-normal', mu: 0, sigma: fit.logSigma });
    // the noise sample reproduces the scores: s = A·B·ξ
    for (const k of [0, 17, 12345, rows * cols - 1]) {
      const j = Math.floor(k / cols);
      const i = k % cols;
      expect(fit.rowFactors[j] * fit.colFactors[i] * fit.noiseSample[k]).toBeCloseTo(S[k], 5);
    }
  });

  it('predicts the limit of the true model (exact empirical limit of the fitted factors)', () => {
    const truth = empiricalFsmLimit(A, B, { type: 'log-normal', sigma }, 0.1).toStepGraphon(8, 8);
    for (const noise of ['empirical', 'log-normal'] as const) {
      const lim = fit.limit(0.1, { noise });
      expect(Math.abs(lim.achievedDensity - 0.1)).toBeLessThan(1e-9);
      const g = lim.toStepGraphon(8, 8);
      let l1 = 0;
      for (let k = 0; k < 64; k++) l1 += Math.abs(g.values[k] - truth.values[k]) / 64;
      expect(l1).toBeLessThan(0.01);
    }
  });

  it('the model object drives the other FSM functions', () => {
    expect(fit.model.rowFactor).toBe(fit.rowFactors);
    expect(fit.model.colFactor).toBe(fit.colFactors);
    expect(fit.model.noise).toBe(fit.noise);
    expect(fit.noise.quantile(0.5)).toBeCloseTo(1, 1);
  });
});

describe('fitFsm: zeros inside the active block', () => {
  it('equals the dense least-squares solution (normal equations) on the non-zero pattern', () => {
    const rng = new Rng(3);
    const rows = 11;
    const cols = 8;
    const S = new Float64Array(rows * cols);
    for (let k = 0; k < S.length; k++) S[k] = rng.uniform() < 0.3 ? 0 : (rng.uniform() + 0.1) * (k % 5 === 0 ? -1 : 1);
    for (let i = 0; i < cols; i++) S[2 * cols + i] = 0; // an all-zero row
    for (let j = 0; j < rows; j++) S[j * cols + 5] = 0; // an all-zero column
    const y = Array.from({ length: rows }, (_, j) =>
      Array.from({ length: cols }, (_, i) => (S[j * cols + i] === 0 ? null : Math.log(Math.abs(S[j * cols + i])))),
    );
    const ref = referenceTwoWayFit(y);
    const fit = fitFsm(S, { rows, cols }, { tolerance: 1e-13, maxSweeps: 10000 });
    expect(fit.converged).toBe(true);
    expect(fit.rowFactors[2]).toBe(0);
    expect(fit.colFactors[5]).toBe(0);
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        if (j === 2 || i === 5) continue;
        expect(Math.log(fit.rowFactors[j] * fit.colFactors[i])).toBeCloseTo(ref[j][i], 9);
      }
    }
    // the isolated zeros are noise atoms at 0
    let zerosInBlock = 0;
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) if (j !== 2 && i !== 5 && S[j * cols + i] === 0) zerosInBlock++;
    }
    expect(fit.noiseSample.filter((x) => x === 0).length).toBe(zerosInBlock);
  });

  it('property: the residuals satisfy the least-squares normal equations on every active row and column', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.double({ min: 0, max: 0.6, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        (rows, cols, zeroRate, seed) => {
          const rng = new Rng(seed);
          const S = new Float32Array(rows * cols);
          for (let k = 0; k < S.length; k++) S[k] = rng.uniform() < zeroRate ? 0 : Math.exp(2 * rng.normal());
          if (S.every((s) => s === 0)) S[0] = 1;
          const fit = fitFsm(S, { rows, cols }, { tolerance: 1e-14, maxSweeps: 100000 });
          const rowRes = new Float64Array(rows);
          const colRes = new Float64Array(cols);
          let positiveWhereNonZero = true;
          for (let j = 0; j < rows; j++) {
            for (let i = 0; i < cols; i++) {
              const s = S[j * cols + i];
              if (s === 0) continue;
              positiveWhereNonZero &&= fit.rowFactors[j] > 0 && fit.colFactors[i] > 0;
              const r = Math.log(s) - Math.log(fit.rowFactors[j] * fit.colFactors[i]);
              rowRes[j] += r;
              colRes[i] += r;
            }
          }
          const zeroRowsMatch = Array.from({ length: rows }, (_, j) =>
            S.subarray(j * cols, (j + 1) * cols).every((s) => s === 0),
          ).every((allZero, j) => (fit.rowFactors[j] === 0) === allZero);
          return (
            fit.converged &&
            positiveWhereNonZero &&
            zeroRowsMatch &&
            rowRes.every((r) => Math.abs(r) < 1e-7) &&
            colRes.every((r) => Math.abs(r) < 1e-7)
          );
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });

  it('always terminates: maxSweeps caps a slowly converging pattern and reports it', () => {
    // A chain-like pattern (a path through the bipartite graph) converges slowly under backfitting.
    const n = 16;
    const S = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      S[j * n + j] = Math.exp(j % 3);
      if (j + 1 < n) S[j * n + j + 1] = Math.exp(-(j % 5));
    }
    const capped = fitFsm(S, { rows: n, cols: n }, { maxSweeps: 3 });
    expect(capped.sweeps).toBe(3);
    expect(capped.converged).toBe(false);
    const full = fitFsm(S, { rows: n, cols: n }, { maxSweeps: 100000 });
    expect(full.converged).toBe(true);
  });
});

describe('fitFsm: bad input', () => {
  it('all-zero scores, NaN, Infinity, shape mismatch and bad options are typed errors', () => {
    const shape = { rows: 3, cols: 4 };
    expect(() => fitFsm(new Float32Array(12), shape)).toThrow(InvalidArgumentError);
    expect(() => fitFsm(new Float32Array(12), shape)).toThrow(/at least one non-zero/);
    const nan = new Float64Array(12).fill(1);
    nan[5] = Number.NaN;
    expect(() => fitFsm(nan, shape)).toThrow(/scores\[5\] must be a finite number/);
    const inf = new Float32Array(12).fill(1);
    inf[11] = Number.NEGATIVE_INFINITY;
    expect(() => fitFsm(inf, shape)).toThrow(/scores\[11\]/);
    expect(() => fitFsm(new Float32Array(11).fill(1), shape)).toThrow(/scores must be 3 · 4 = 12 scores/);
    expect(() => fitFsm(new Float32Array(12).fill(1), { rows: 0, cols: 12 })).toThrow(/shape/);
    expect(() => fitFsm([1, 2] as never, shape)).toThrow(/Float32Array or Float64Array/);
    expect(() => fitFsm(new Float32Array(12).fill(1), shape, { maxSweeps: 0 })).toThrow(/maxSweeps/);
    expect(() => fitFsm(new Float32Array(12).fill(1), shape).limit(0.1, { noise: 'gamma' as never })).toThrow(
      /options\.noise/,
    );
  });
});
