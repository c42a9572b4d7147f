import { distribution, DISTRIBUTION_NAMES, type NamedDistribution } from './distributions';
import { DISTRIBUTION_PARAMETERS, parseNamedDistribution } from './distribution-text';

describe('parseNamedDistribution', () => {
  it('reads names, key=value and positional parameters in either form', () => {
    expect(parseNamedDistribution('half-normal')).toEqual({ type: 'half-normal' });
    expect(parseNamedDistribution(' half-normal:scale=0.05 ')).toEqual({ type: 'half-normal', scale: 0.05 });
    expect(parseNamedDistribution('constant:2')).toEqual({ type: 'constant', value: 2 });
    expect(parseNamedDistribution('uniform:0,2')).toEqual({ type: 'uniform', low: 0, high: 2 });
    expect(parseNamedDistribution('weibull(shape=2, scale=3)')).toEqual({
      type: 'weibull',
      shape: 2,
      scale: 3,
    });
    expect(parseNamedDistribution('log-normal:0.5,sigma=2')).toEqual({
      type: 'log-normal',
      mu: 0.5,
      sigma: 2,
    });
  });

  it("reads back every named law's printed name as the same law", () => {
    const laws: NamedDistribution[] = [
      { type: 'constant', value: 3 },
      { type: 'uniform', low: -1, high: 2 },
      { type: 'half-normal', scale: 2 },
      { type: 'log-normal', mu: 0.25, sigma: 0.5 },
      { type: 'exponential', rate: 2 },
      { type: 'weibull', shape: 1.5, scale: 3 },
    ];
    expect(laws.map((l) => l.type).sort()).toEqual([...DISTRIBUTION_NAMES].sort());
    for (const law of laws) {
      const name = distribution(law).name;
      expect([name, parseNamedDistribution(name)]).toEqual([name, law]);
    }
    expect(Object.keys(DISTRIBUTION_PARAMETERS).sort()).toEqual([...DISTRIBUTION_NAMES].sort());
  });

  it('refuses unknown names, keys, repeated or extra parameters and invalid values, naming the argument', () => {
    expect(() => parseNamedDistribution('gamma', '--noise')).toThrow(
      /--noise must be a law: constant, uniform/,
    );
    expect(() => parseNamedDistribution('half-normal:sigma=1', '--noise')).toThrow(
      /--noise must be 'half-normal' with numeric parameters scale=…/,
    );
    expect(() => parseNamedDistribution('uniform:0,1,2')).toThrow(
      /'uniform' with numeric parameters low=…, high=…/,
    );
    expect(() => parseNamedDistribution('constant:1,value=2')).toThrow(/'constant' with numeric parameters/);
    expect(() => parseNamedDistribution('exponential:rate=x')).toThrow(
      /'exponential' with numeric parameters/,
    );
    expect(() => parseNamedDistribution('half-normal:scale=-1', '--noise')).toThrow(/--noise\.scale must be/);
  });
});
