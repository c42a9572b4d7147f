import { gaussLegendre } from '../src';
import { fixtures, relErr } from './helpers';

describe('gaussLegendre on [0, 1]', () => {
  it.each(['1', '2', '5', '16', '64'])('matches numpy leggauss (mapped) for n = %s', (n) => {
    const { nodes, weights } = gaussLegendre(Number(n));
    expect(relErr(nodes, fixtures.gaussLegendre[n].nodes)).toBeLessThan(1e-14);
    expect(relErr(weights, fixtures.gaussLegendre[n].weights)).toBeLessThan(1e-14);
  });

  it('integrates polynomials of degree ≤ 2n − 1 exactly', () => {
    for (const n of [1, 3, 7, 20]) {
      const { nodes, weights } = gaussLegendre(n);
      for (let p = 0; p <= 2 * n - 1; p++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += weights[i] * nodes[i] ** p;
        expect(s).toBeCloseTo(1 / (p + 1), 13);
      }
    }
  });

  it('rejects a non-positive node count', () => {
    expect(() => gaussLegendre(0)).toThrow(/positive integer/);
  });
});
