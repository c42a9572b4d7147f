import { InvalidArgumentError, Rng } from '@graphon-pai/core';
import { availableProviders, type ProviderName, provider, setProvider } from './provider';
import { symmetricMatVec } from './symmetric-mat-vec';

const initial = provider();
afterAll(() => setProvider(initial));

/**
 * A random symmetric n×n matrix as its lower triangle, with NaN above the diagonal (never read), the
 * float64 product with the full symmetric matrix, and Σ_j |A_ij||x_j| (for the rounding bound).
 */
function lowerCase(n: number, seed: string) {
  const rng = new Rng(seed);
  const a = new Float64Array(n * n).fill(Number.NaN);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = rng.normal();
  const x = Float64Array.from(rng.normalArray(n));
  const want = new Float64Array(n);
  const scale = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = j <= i ? a[i * n + j] : a[j * n + i];
      want[i] += v * x[j];
      scale[i] += Math.abs(v * x[j]);
    }
  }
  return { a, x, want, scale };
}

/** γ_n = n·u / (1 − n·u): the rounding bound of an n-term inner product in any summation order. */
const gamma = (n: number, u: number) => (n * u) / (1 - n * u);

describe.each(availableProviders())('symmetricMatVec on provider %s', (name: ProviderName) => {
  beforeAll(() => setProvider(name));

  test.each([1, 2, 7, 64, 130])(
    'n = %i: equals the product with the full symmetric matrix within γ_n·|A||x| (float64 and float32); the upper triangle is never read',
    (n) => {
      const { a, x, want, scale } = lowerCase(n, `symv-${n}`);
      const y = new Float64Array(n);
      symmetricMatVec(n, a, x, y);
      // The float64 reference itself carries γ_n·|A||x| too.
      for (let i = 0; i < n; i++) {
        expect(Math.abs(y[i] - want[i])).toBeLessThanOrEqual(2 * gamma(n + 1, 2 ** -53) * scale[i]);
      }
      // Float32: inputs rounded first (relative 2⁻²⁴ each), then an n-term float32 inner product.
      const a32 = Float32Array.from(a);
      const x32 = Float32Array.from(x);
      const y32 = new Float32Array(n);
      symmetricMatVec(n, a32, x32, y32);
      for (let i = 0; i < n; i++) {
        const bound = (gamma(n + 1, 2 ** -24) + 3 * 2 ** -24) * scale[i] + 2 ** -24 * Math.abs(want[i]);
        expect(Math.abs(y32[i] - want[i])).toBeLessThanOrEqual(bound * 1.01);
      }
    },
  );

  test('views at an offset into a larger buffer are read and written in place', () => {
    const n = 70;
    const { a, x, want, scale } = lowerCase(n, 'symv-views');
    const pad = 3;
    const aBig = new Float64Array(n * n + 2 * pad).fill(Number.NaN);
    aBig.set(a, pad);
    const xBig = new Float64Array(n + 2 * pad).fill(Number.NaN);
    xBig.set(x, pad);
    const yBig = new Float64Array(n + 2 * pad).fill(-7);
    symmetricMatVec(n, aBig.subarray(pad), xBig.subarray(pad, pad + n), yBig.subarray(pad, pad + n));
    for (let i = 0; i < n; i++) {
      expect(Math.abs(yBig[pad + i] - want[i])).toBeLessThanOrEqual(2 * gamma(n + 1, 2 ** -53) * scale[i]);
    }
    // Entries outside the view are untouched.
    for (let i = 0; i < pad; i++) expect([yBig[i], yBig[pad + n + i]]).toEqual([-7, -7]);
  });

  test('an infinite entry above the diagonal stays unread', () => {
    const y = new Float64Array(2);
    symmetricMatVec(2, Float64Array.of(2, Number.POSITIVE_INFINITY, 1, 3), Float64Array.of(1, 1), y);
    expect(Array.from(y)).toEqual([3, 4]);
  });
});

test('n = 0 is an empty product; too short arrays and mixed element types are refused with the fix', () => {
  symmetricMatVec(0, new Float64Array(0), new Float64Array(0), new Float64Array(0));
  expect(() => symmetricMatVec(3, new Float64Array(8), new Float64Array(3), new Float64Array(3))).toThrow(
    InvalidArgumentError,
  );
  expect(() => symmetricMatVec(2, new Float64Array(4), new Float64Array(1), new Float64Array(2))).toThrow(
    /x/,
  );
  expect(() =>
    symmetricMatVec(2, new Float32Array(4) as never, new Float64Array(2), new Float64Array(2)),
  ).toThrow(/Float32Array or all three to Float64Array/);
});
