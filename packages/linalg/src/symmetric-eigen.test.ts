import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@graphon-pai/core';
import { column, frobenius, randomSymmetric, refGemm } from '../test/reference';
import { availableProviders, type ProviderName, provider, setProvider } from './provider';
import { symmetricEigen } from './symmetric-eigen';

const fixture = JSON.parse(
  readFileSync(join(__dirname, '../test/fixtures/decompositions/decompositions.json'), 'utf8'),
) as { symmetric: { n: number; data: number[]; values: number[] } };

const initial = provider();
afterAll(() => setProvider(initial));

/** Max over pairs of ‖A·v − λ·v‖ / ‖A‖_F and max |VᵀV − I|. */
function residuals(a: Float64Array, n: number, values: Float64Array, vectors: Float64Array) {
  const k = values.length;
  const norm = Math.max(frobenius(a), 1e-300);
  let worst = 0;
  for (let j = 0; j < k; j++) {
    const v = column(vectors, n, k, j);
    const av = refGemm(false, false, n, 1, n, 1, a, v, 0, new Float64Array(0));
    worst = Math.max(worst, frobenius(av.map((x, i) => x - values[j] * v[i])) / norm);
  }
  const vtv = refGemm(true, false, k, k, n, 1, vectors, vectors, 0, new Float64Array(0));
  let orth = 0;
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++) orth = Math.max(orth, Math.abs(vtv[i * k + j] - (i === j ? 1 : 0)));
  return { worst, orth };
}

describe.each(availableProviders())('symmetricEigen on provider %s', (name: ProviderName) => {
  beforeAll(() => setProvider(name));

  test('matches numpy eigvalsh on the fixture (clustered and repeated eigenvalues)', () => {
    const { n, data, values: want } = fixture.symmetric;
    const a = Float64Array.from(data);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 0; i < n; i++) expect(Math.abs(values[i] - want[i])).toBeLessThan(1e-12 * 5);
    const r = residuals(a, n, values, vectors);
    expect(r.worst).toBeLessThan(1e-13);
    expect(r.orth).toBeLessThan(1e-12);
  });

  test('closed form: the (2, −1) tridiagonal matrix has eigenvalues 2 − 2cos(jπ/(n+1))', () => {
    const n = 50;
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      a[i * n + i] = 2;
      if (i > 0) a[i * n + i - 1] = a[(i - 1) * n + i] = -1;
    }
    const { values } = symmetricEigen(a, n);
    for (let j = 0; j < n; j++) {
      // Descending: values[j] = 2 − 2cos((n − j)π/(n + 1)).
      expect(Math.abs(values[j] - (2 - 2 * Math.cos(((n - j) * Math.PI) / (n + 1))))).toBeLessThan(1e-13);
    }
  });

  test.each([1, 2, 3, 40, 90])('random symmetric n = %i: residuals and orthogonality', (n) => {
    const a = randomSymmetric(new Rng(`eig-${n}`), n);
    const { values, vectors } = symmetricEigen(a, n);
    for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
    const r = residuals(a, n, values, vectors);
    expect(r.worst).toBeLessThan(1e-13);
    expect(r.orth).toBeLessThan(1e-12);
  });

  test('top-k and bottom-k select the ends of the spectrum, in descending order', () => {
    const n = 45;
    const a = randomSymmetric(new Rng('eig-k'), n);
    const all = symmetricEigen(a, n);
    const top = symmetricEigen(a, n, { k: 5 });
    const bottom = symmetricEigen(a, n, { k: 4, which: 'smallest' });
    expect(Array.from(top.values)).toEqual(Array.from(all.values.slice(0, 5)));
    expect(Array.from(bottom.values)).toEqual(Array.from(all.values.slice(n - 4)));
    expect(top.vectors).toHaveLength(n * 5);
    expect(residuals(a, n, top.values, top.vectors).worst).toBeLessThan(1e-13);
    expect(residuals(a, n, bottom.values, bottom.vectors).worst).toBeLessThan(1e-13);
  });

  test('zero matrix and empty matrix', () => {
    const z = symmetricEigen(new Float64Array(9), 3);
    expect(Array.from(z.values)).toEqual([0, 0, 0]);
    expect(residuals(new Float64Array(9), 3, z.values, z.vectors).orth).toBeLessThan(1e-15);
    expect(symmetricEigen(new Float64Array(0), 0).values).toHaveLength(0);
  });
});

describe('symmetricEigen validation', () => {
  test('typed errors for asymmetric, non-finite and bad options', () => {
    expect(() => symmetricEigen(Float64Array.of(1, 2, 3, 4), 2)).toThrow(
      /a must be a symmetric matrix; a\[1\]\[0\] = 3/,
    );
    expect(() =>
      symmetricEigen(Float64Array.of(1, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, 4), 2),
    ).toThrow(expect.objectContaining({ code: 'E_NUMERICAL' }));
    expect(() => symmetricEigen(new Float64Array(4), 2, { k: 3 })).toThrow(
      /options.k must be an integer in \[0, n = 2\]/,
    );
    expect(() => symmetricEigen(new Float64Array(4), 2, { which: 'middle' as 'largest' })).toThrow(
      /options.which/,
    );
  });
});
