import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError } from './errors';
import { Rng } from './rng';

const fixture: Record<string, { uint32: number[]; uniform: number[] }> = JSON.parse(
  readFileSync(join(__dirname, '..', 'test', 'fixtures', 'rng', 'rng_stream.json'), 'utf8'),
);

describe('Rng', () => {
  it.each(Object.keys(fixture))('matches the independent Python xoshiro128** reference for seed %s', (key) => {
    const seed = JSON.parse(key) as number | string;
    const a = new Rng(seed);
    expect(Array.from({ length: 16 }, () => a.uint32())).toEqual(fixture[key].uint32);
    const b = new Rng(seed);
    expect(Array.from({ length: 4 }, () => b.uniform())).toEqual(fixture[key].uniform);
  });

  it('uniform() has mean 1/2 and variance 1/12 (n = 200 000, 5 sigma)', () => {
    const rng = new Rng(7);
    const n = 200_000;
    let s = 0;
    let s2 = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (!(u >= 0 && u < 1)) outside++;
      s += u;
      s2 += u * u;
    }
    expect(outside).toBe(0);
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
  });

  it('normal() matches N(0,1) moments (mean, variance, kurtosis)', () => {
    const rng = new Rng(11);
    const x = rng.normalArray(200_000);
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (const v of x) {
      m1 += v;
      m2 += v * v;
      m4 += v ** 4;
    }
    const n = x.length;
    expect(Math.abs(m1 / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(m4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
  });

  it('int(bound) is uniform: chi-square over 10 cells stays below the 0.999 quantile', () => {
    const rng = new Rng(3);
    const counts = new Array(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[rng.int(10)]++;
    const chi2 = counts.reduce((s, c) => s + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.88); // chi2(9) 0.999 quantile
  });

  it('permutation() is a permutation and every position is uniform', () => {
    const rng = new Rng(5);
    const n = 6;
    const trials = 30_000;
    const atZero = new Array(n).fill(0);
    let invalid = 0;
    for (let t = 0; t < trials; t++) {
      const p = rng.permutation(n);
      if (Array.from(p).sort().join() !== '0,1,2,3,4,5') invalid++;
      atZero[p[0]]++;
    }
    expect(invalid).toBe(0);
    const chi2 = atZero.reduce((s, c) => s + (c - trials / n) ** 2 / (trials / n), 0);
    expect(chi2).toBeLessThan(20.52); // chi2(5) 0.999 quantile
  });

  it.each([
    [10, 3],
    [10, 8],
    [10, 0],
    [10, 10],
  ])('sampleWithoutReplacement(%i, %i) returns k distinct sorted indices, each with probability k/n', (n, k) => {
    const rng = new Rng(9);
    const hits = new Array(n).fill(0);
    const trials = 20_000;
    let invalid = 0;
    for (let t = 0; t < trials; t++) {
      const s = rng.sampleWithoutReplacement(n, k);
      if (s.length !== k || s.some((v, i) => i > 0 && v <= s[i - 1])) invalid++;
      for (const v of s) hits[v]++;
    }
    expect(invalid).toBe(0);
    const p = k / n;
    for (const h of hits) {
      const sd = Math.sqrt(trials * p * (1 - p));
      expect(Math.abs(h - trials * p)).toBeLessThanOrEqual(5 * sd + 1e-9);
    }
  });

  it('fork(label) depends on the seed and label only, not on draws made before', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    b.uniform();
    b.normal();
    expect(a.fork('layer0').uint32()).toBe(b.fork('layer0').uint32());
    expect(a.fork('layer0').uint32()).not.toBe(a.fork('layer1').uint32());
  });

  it('rejects seeds that are not safe integers or strings', () => {
    expect(() => new Rng(1.5)).toThrow(InvalidArgumentError);
    expect(() => new Rng(Number.NaN)).toThrow(/seed must be a safe integer/);
    expect(() => new Rng(1).sampleWithoutReplacement(3, 4)).toThrow(InvalidArgumentError);
  });
});
