import { logLogSlope, meanSd } from '../src/stats';

describe('experiment statistics', () => {
  it('meanSd uses the n − 1 denominator', () => {
    expect(meanSd([1, 2, 3, 4])).toEqual({ mean: 2.5, sd: Math.sqrt(5 / 3), n: 4 });
    expect(meanSd([7]).sd).toBe(0);
  });

  it('logLogSlope recovers an exact power law and reports a standard error', () => {
    const x = [128, 256, 512, 1024];
    const fit = logLogSlope(
      x,
      x.map((n) => 3 * n ** -0.5),
    );
    expect(fit.slope).toBeCloseTo(-0.5, 12);
    expect(Math.exp(fit.intercept)).toBeCloseTo(3, 10);
    expect(fit.r2).toBeCloseTo(1, 12);
    expect(fit.standardError).toBeCloseTo(0, 10);
    // numpy.polyfit(log x, log y, 1) on y = [1, 0.6, 0.45, 0.2]: slope -0.73808218
    const noisy = logLogSlope(x, [1, 0.6, 0.45, 0.2]);
    expect(noisy.slope).toBeCloseTo(-0.73808218, 6);
  });
});
