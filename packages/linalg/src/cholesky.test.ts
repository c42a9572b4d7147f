import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '@graphon-pai/core';
import fc from 'fast-check';
import { frobenius, randomSpd, refGemm } from '../test/reference';
import { cholesky, choleskyInPlace, choleskySolve, logDetFromCholesky } from './cholesky';
import { availableProviders, lapackAvailable, type ProviderName, provider, setProvider } from './provider';

const fixture = JSON.parse(
  readFileSync(join(__dirname, '../test/fixtures/decompositions/decompositions.json'), 'utf8'),
) as { spd: { n: number; data: number[]; logdet: number; cholesky: number[] } };

const initial = provider();
afterAll(() => setProvider(initial));

/** ‖L·Lᵀ − A‖_F / ‖A‖_F and the upper triangle of L being zero. */
function reconstructionError(l: Float64Array, a: Float64Array, n: number): number {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
  const llt = refGemm(false, true, n, n, n, 1, l, l, 0, new Float64Array(0));
  const d = llt.map((x, i) => x - a[i]);
  return frobenius(d) / frobenius(a);
}

describe.each(availableProviders())('cholesky on provider %s', (name: ProviderName) => {
  beforeAll(() => setProvider(name));

  test('matches numpy on the fixture (factor, log-determinant)', () => {
    const { n, data, logdet, cholesky: want } = fixture.spd;
    const a = Float64Array.from(data);
    const l = cholesky(a, n);
    for (let i = 0; i < n * n; i++) expect(Math.abs(l[i] - want[i])).toBeLessThan(1e-12 * 10);
    expect(Math.abs(logDetFromCholesky(l, n) - logdet)).toBeLessThan(1e-10);
  });

  test.each([1, 2, 5, 63, 64, 100])(
    'random SPD n = %i: ‖LLᵀ − A‖ and solve residual at rounding level',
    (n) => {
      const rng = new Rng(`chol-${n}`);
      const a = randomSpd(rng, n);
      const l = cholesky(a, n);
      expect(reconstructionError(l, a, n)).toBeLessThan(1e-14 * n);
      const nrhs = 3;
      const b = rng.normalArray(n * nrhs);
      const x = choleskySolve(l, n, b, nrhs);
      const ax = refGemm(false, false, n, nrhs, n, 1, a, x, 0, new Float64Array(0));
      expect(frobenius(ax.map((v, i) => v - b[i])) / frobenius(b)).toBeLessThan(1e-12);
      // b itself is not modified.
      expect(frobenius(b)).toBeGreaterThan(0);
      // One right-hand side (LAPACK solves it in place, without the transposed copy).
      const b1 = b.slice(0, n);
      const x1 = choleskySolve(l, n, b1);
      const ax1 = refGemm(false, false, n, 1, n, 1, a, x1, 0, new Float64Array(0));
      expect(frobenius(ax1.map((v, i) => v - b1[i])) / frobenius(b1)).toBeLessThan(1e-12);
    },
  );

  test('property: log det from the factor equals the sum of log pivots of a diagonal-plus-rank-one matrix', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 12, maxLength: 12 }),
        (diag, z) => {
          const n = diag.length;
          // A = D + z·zᵀ, det A = det D · (1 + zᵀ D⁻¹ z) (matrix determinant lemma).
          const a = new Float64Array(n * n);
          let quad = 0;
          let logDetD = 0;
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) a[i * n + j] = z[i] * z[j] + (i === j ? diag[i] : 0);
            quad += (z[i] * z[i]) / diag[i];
            logDetD += Math.log(diag[i]);
          }
          const want = logDetD + Math.log1p(quad);
          expect(Math.abs(logDetFromCholesky(cholesky(a, n), n) - want)).toBeLessThan(
            1e-10 * Math.max(1, Math.abs(want)),
          );
        },
      ),
      { numRuns: 50, seed: 11 },
    );
  });

  test('not positive definite: NumericalError naming the pivot and suggesting a ridge', () => {
    // Leading 2×2 block is PD, the 3×3 matrix has a negative eigenvalue revealed at pivot 2.
    const a = Float64Array.of(4, 2, 0, 2, 2, 1, 0, 1, 0.4);
    expect(() => cholesky(a, 3)).toThrow(expect.objectContaining({ code: 'E_NUMERICAL' }));
    expect(() => cholesky(a, 3)).toThrow(/pivot 2 .* is -0\.600000.*ridge.*1\.20e\+0/);
    const big = randomSpd(new Rng(5), 80);
    big[70 * 80 + 70] = -1;
    expect(() => cholesky(big, 80)).toThrow(/pivot 70 /);
  });

  test.each([3, 64, 150])(
    'choleskyInPlace n = %i: the same factor in the lower triangle, upper left alone',
    (n) => {
      const a = randomSpd(new Rng(`in-place-${n}`), n);
      const l = cholesky(a, n);
      const h = a.slice();
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) h[i * n + j] = 7;
      expect(choleskyInPlace(h, n)).toBe(-1);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) expect(h[i * n + j]).toBe(l[i * n + j]);
        for (let j = i + 1; j < n; j++) expect(h[i * n + j]).toBe(7);
      }
    },
  );

  test('choleskyInPlace reports the first pivot that is not positive (NaN included)', () => {
    expect(choleskyInPlace(Float64Array.of(4, 2, 0, 2, 2, 1, 0, 1, 0.4), 3)).toBe(2);
    const big = randomSpd(new Rng(5), 80);
    big[70 * 80 + 70] = -1;
    expect(choleskyInPlace(big.slice(), 80)).toBe(70);
    big[70 * 80 + 70] = Number.NaN;
    expect(choleskyInPlace(big.slice(), 80)).toBe(70);
    big[70 * 80 + 70] = 80;
    big[75 * 80 + 3] = Number.POSITIVE_INFINITY;
    expect(choleskyInPlace(big.slice(), 80)).toBe(75);
    expect(choleskyInPlace(Float64Array.of(1, 0, 0, Number.NaN), 2)).toBe(1);
  });

  test.each([3, 64, 150])(
    'choleskyInPlace on a Float32Array n = %i: float32 factor within the float32 backward-error bound',
    (n) => {
      const a = randomSpd(new Rng(`in-place-32-${n}`), n);
      const h = Float32Array.from(a);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) h[i * n + j] = 7;
      expect(choleskyInPlace(h, n)).toBe(-1);
      // |L̂L̂ᵀ − A₃₂| ≤ γ_{j+2}(2⁻²⁴)·(|L̂||L̂ᵀ|)_ij entrywise (Higham Thm 10.3), checked in float64.
      const u = 2 ** -24;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j <= i; j++) {
          let s = 0;
          let abs = 0;
          for (let p = 0; p <= j; p++) {
            s += h[i * n + p] * h[j * n + p];
            abs += Math.abs(h[i * n + p] * h[j * n + p]);
          }
          const g = ((j + 2) * u) / (1 - (j + 2) * u);
          expect(Math.abs(s - Math.fround(a[i * n + j]))).toBeLessThanOrEqual(g * abs);
        }
        for (let j = i + 1; j < n; j++) expect(h[i * n + j]).toBe(7);
      }
      // Float32, not float64: the factor differs from the float64 one at float32 rounding level.
      const l = cholesky(a, n);
      let diff = 0;
      for (let i = 0; i < n * n; i++)
        if (i % n <= Math.floor(i / n)) diff = Math.max(diff, Math.abs(h[i] - l[i]));
      expect(diff).toBeLessThan(1e-4);
    },
  );

  test('choleskyInPlace on a Float32Array reports the first failing pivot (NaN and float32 overflow included)', () => {
    expect(choleskyInPlace(Float32Array.of(4, 2, 0, 2, 2, 1, 0, 1, 0.25), 3)).toBe(2);
    const big = Float32Array.from(randomSpd(new Rng(5), 80));
    big[70 * 80 + 70] = -1;
    expect(choleskyInPlace(big.slice(), 80)).toBe(70);
    big[70 * 80 + 70] = Number.NaN;
    expect(choleskyInPlace(big.slice(), 80)).toBe(70);
    expect(choleskyInPlace(Float32Array.of(1, 0, 0, Number.NaN), 2)).toBe(1);
    // √(3.4e38 · 4) ≈ 3.7e19 is finite; a pivot whose root exceeds float32 range cannot occur, but an
    // entry overflowing float32 does: Infinity on the diagonal fails.
    expect(choleskyInPlace(Float32Array.of(Number.POSITIVE_INFINITY, 0, 0, 1), 2)).toBe(0);
  });

  test('non-finite input: NumericalError naming the entry', () => {
    const a = Float64Array.of(1, 0, Number.NaN, 1);
    expect(() => cholesky(a, 2)).toThrow(/non-finite value NaN at row 1, column 0/);
  });
});

describe('cholesky validation', () => {
  test('rejects wrong types and sizes, zero-size is fine', () => {
    expect(() => cholesky(new Float32Array(4) as unknown as Float64Array, 2)).toThrow(
      /a must be a Float64Array/,
    );
    expect(() => cholesky(new Float64Array(3), 2)).toThrow(/at least 4 elements/);
    expect(cholesky(new Float64Array(0), 0)).toHaveLength(0);
    expect(logDetFromCholesky(new Float64Array(0), 0)).toBe(0);
    expect(() => choleskySolve(Float64Array.of(1, 0, 0, 0), 2, Float64Array.of(1, 1))).toThrow(
      /positive diagonal/,
    );
  });

  test('LAPACK is used exactly when a native provider is active and liblapacke loads', () => {
    setProvider('js');
    expect(lapackAvailable()).toBe(false);
  });
});
