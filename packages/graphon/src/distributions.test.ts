import { InvalidArgumentError, Rng } from '@graphon-pai/core';
import reference from '../test/fixtures/distributions/reference.json';
import { distribution, empiricalDistribution, type NamedDistribution } from './distributions';
import { erf, erfc, normalQuantile } from './internal/special';

/** |a − b| ≤ rel · max(|b|, tiny) + abs */
function close(a: number, b: number, rel: number, abs = 0): void {
  if (b === Number.POSITIVE_INFINITY) {
    expect(a).toBe(b);
    return;
  }
  expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.abs(b) + abs);
}

describe('special functions (scipy reference)', () => {
  it('erf and erfc to ~1e-15 relative', () => {
    reference.erf.x.forEach((x, i) => {
      close(erf(x), reference.erf.erf[i], 1e-15, 1e-300);
      close(erfc(x), reference.erf.erfc[i], 2e-14, 1e-300);
    });
  });
  it('normal quantile to ~1e-13 relative (Acklam + Halley)', () => {
    reference.ndtri.p.forEach((p, i) => {
      close(normalQuantile(p), reference.ndtri.q[i], 1e-13, 1e-15);
    });
  });
});

describe('named distributions (scipy reference)', () => {
  for (const [name, law] of Object.entries(reference.laws)) {
    it(`${name}: cdf, upper tail and quantile`, () => {
      const d = distribution(law.spec as NamedDistribution);
      reference.x.forEach((x, i) => {
        close(d.cdf(x), law.cdf[i], 1e-13, 1e-15);
        // ge(x) = P(X ≥ x) equals the survival function for continuous laws; accurate in the tail.
        close(d.ge(x), law.sf[i], 1e-12, 1e-300);
        close(d.gt(x), law.sf[i], 1e-12, 1e-300);
      });
      reference.p.forEach((p, i) => {
        close(d.quantile(p), law.quantile[i], 2e-8, 1e-15);
      });
    });
  }

  it('sampling follows the law (Kolmogorov–Smirnov distance of 20000 draws)', () => {
    const rng = new Rng(11);
    for (const name of ['half-normal', 'log-normal', 'exponential', 'uniform', 'weibull'] as const) {
      const d = distribution(name);
      const xs = Float64Array.from({ length: 20000 }, () => d.sample(rng)).sort();
      let ks = 0;
      xs.forEach((x, i) => {
        ks = Math.max(ks, Math.abs(d.cdf(x) - (i + 1) / xs.length), Math.abs(d.cdf(x) - i / xs.length));
      });
      // 1.63/√n is the 1 % critical value of the KS statistic.
      expect(ks).toBeLessThan(1.63 / Math.sqrt(xs.length));
    }
  });

  it('constant law: atoms in ge/gt', () => {
    const c = distribution({ type: 'constant', value: 2 });
    expect([c.ge(2), c.gt(2), c.ge(2.0001), c.gt(1.9999), c.cdf(2)]).toEqual([1, 0, 0, 1, 1]);
    expect(c.pointMass).toBe(2);
  });
});

describe('empirical distributions', () => {
  it('interpolates order statistics at plotting positions (i − ½)/n', () => {
    const d = empiricalDistribution([3, 1, 2, 4]);
    expect(d.quantile(0.125)).toBe(1);
    expect(d.quantile(0.375)).toBe(2);
    expect(d.quantile(0.25)).toBe(1.5);
    expect(d.quantile(0)).toBe(1);
    expect(d.quantile(1)).toBe(4);
    expect(d.cdf(1.5)).toBeCloseTo(0.25, 15);
    expect(d.cdf(4)).toBe(1);
    expect(d.ge(4)).toBeCloseTo(0.125, 15); // atom of ½/n at the maximum
    expect(d.gt(4)).toBe(0);
    // quantile and cdf are inverse on the interior
    for (let p = 0.13; p < 0.87; p += 0.05) expect(d.cdf(d.quantile(p))).toBeCloseTo(p, 12);
  });

  it('keeps ties as atoms (many zeros in a saliency sample)', () => {
    const d = empiricalDistribution([0, 0, 0, 0, 1, 2]);
    expect(d.ge(0)).toBe(1);
    expect(d.gt(0)).toBeCloseTo(1 - 3.5 / 6, 12);
    expect(d.quantile(0.5)).toBe(0);
  });

  it('a one-value sample is a point mass', () => {
    expect(empiricalDistribution(new Float64Array([5, 5])).pointMass).toBe(5);
  });

  it('profiles: law of b(x) for uniform x', () => {
    const d = distribution({ profile: (x) => Math.exp(-2 * x), resolution: 20000 });
    // b(x) = e^{-2x} ⇒ P(b ≤ y) = 1 + ln(y)/2 on [e^{-2}, 1]
    for (const y of [0.2, 0.5, 0.9]) expect(d.cdf(y)).toBeCloseTo(1 + Math.log(y) / 2, 4);
  });
});

describe('bad input', () => {
  it('names the argument and the problem', () => {
    expect(() => distribution('cauchy' as never)).toThrow(InvalidArgumentError);
    expect(() => distribution({ type: 'half-normal', scale: -1 })).toThrow(
      /distribution\.scale must be a positive/,
    );
    expect(() => distribution({ type: 'uniform', low: 2, high: 1 })).toThrow(/high/);
    expect(() => distribution(new Float64Array(0))).toThrow(/non-empty/);
    expect(() => distribution([1, Number.NaN])).toThrow(/finite/);
    expect(() => distribution({ profile: 'exp(-2*x)' as never })).toThrow(/expressionProfile/);
    expect(() => distribution({ profile: (x) => x - 1, name: 'x - 1' })).toThrow(/profile.*≥ 0.*x - 1/);
    expect(() => distribution({ profile: () => Number.NaN })).toThrow(InvalidArgumentError);
  });
});
