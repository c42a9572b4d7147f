import fc from 'fast-check';
import { countSchedule, densitySchedule, normalizeSchedule } from './schedule';

describe('schedules', () => {
  it('exponential and linear densities follow their formulas and end at the target', () => {
    const e = densitySchedule(0.01, { kind: 'iterative', rounds: 4, shape: 'exponential' });
    e.forEach((d, i) => {
      expect(d).toBeCloseTo(0.01 ** ((i + 1) / 4), 15);
    });
    expect(e[3]).toBe(0.01);
    const l = densitySchedule(0.2, { kind: 'iterative', rounds: 4, shape: 'linear' });
    [0.8, 0.6, 0.4, 0.2].forEach((d, i) => {
      expect(l[i]).toBeCloseTo(d, 15);
    });
    expect(l[3]).toBe(0.2);
    expect(densitySchedule(0.3, 'one-shot')).toEqual([0.3]);
  });

  it('counts are non-increasing, within [K, N], and end exactly at K', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 ** 7 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom('exponential', 'linear'),
        (N, frac, rounds, shape) => {
          const K = Math.round(frac * N);
          const ks = countSchedule(K, N, { kind: 'iterative', rounds, shape: shape as 'linear' });
          expect(ks).toHaveLength(rounds);
          expect(ks[rounds - 1]).toBe(K);
          let prev = N;
          for (const k of ks) {
            expect(Number.isInteger(k)).toBe(true);
            expect(k).toBeLessThanOrEqual(prev);
            expect(k).toBeGreaterThanOrEqual(K);
            prev = k;
          }
        },
      ),
    );
  });

  it('exponential counts follow round(N · (K/N)^(r/R))', () => {
    expect(countSchedule(100, 10000, { kind: 'iterative', rounds: 2, shape: 'exponential' })).toEqual([
      1000, 100,
    ]);
    expect(countSchedule(100, 10000, { kind: 'iterative', rounds: 2, shape: 'linear' })).toEqual([5050, 100]);
  });

  it('rejects bad schedules', () => {
    expect(() => normalizeSchedule({ kind: 'iterative', rounds: 0 })).toThrow(/schedule.rounds/);
    expect(() => normalizeSchedule({ kind: 'iterative', rounds: 3, shape: 'cosine' as never })).toThrow(
      /schedule.shape/,
    );
    expect(() => normalizeSchedule('twice' as never)).toThrow(/schedule must be/);
    expect(() => densitySchedule(0, 'one-shot')).toThrow(/density/);
  });
});
