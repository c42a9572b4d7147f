import { Rng } from '@graphon-pai/core';
import { fitFsm } from './fit-fsm';
import { factorSummary, summarizeFsmFit } from './fsm-fit-summary';

describe('factorSummary', () => {
  it("quantiles interpolate linearly (numpy's default): [4, 1, 3, 2] → 1, 1.75, 2.5, 3.25, 4", () => {
    expect(factorSummary([4, 1, 3, 2])).toEqual({
      min: 1,
      q1: 1.75,
      median: 2.5,
      q3: 3.25,
      max: 4,
      mean: 2.5,
      zeros: 0,
    });
    expect(factorSummary([0, 0, 5])).toEqual({
      min: 0,
      q1: 0,
      median: 0,
      q3: 2.5,
      max: 5,
      mean: 5 / 3,
      zeros: 2,
    });
    expect(factorSummary([7])).toEqual({ min: 7, q1: 7, median: 7, q3: 7, max: 7, mean: 7, zeros: 0 });
    expect(() => factorSummary([])).toThrow(/at least one number/);
  });
});

describe('summarizeFsmFit', () => {
  it("reports the fit's fields and summarises its factors", () => {
    const rng = new Rng(3);
    const rows = 20;
    const cols = 12;
    const scores = Float64Array.from({ length: rows * cols }, (_, k) =>
      k % cols === 5 ? 0 : (1 + ((k / cols) % 3)) * (0.5 + (k % cols)) * Math.exp(0.3 * rng.normal()),
    );
    const fit = fitFsm(scores, { rows, cols });
    const s = summarizeFsmFit(fit);
    expect(s).toMatchObject({
      rows,
      cols,
      zeroFraction: fit.zeroFraction,
      zeroRows: 0,
      zeroCols: 1,
      logSigma: fit.logSigma,
      sweeps: fit.sweeps,
      converged: fit.converged,
    });
    expect(s.colFactors).toEqual(factorSummary(fit.colFactors));
    expect(s.colFactors.zeros).toBe(1);
    expect(s.colFactors.mean).toBeCloseTo(1, 12); // the fit's gauge: mean input factor 1
    expect(s.rowFactors).toEqual(factorSummary(fit.rowFactors));
  });
});
