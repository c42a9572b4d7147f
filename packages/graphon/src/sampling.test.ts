import { InvalidArgumentError, StepGraphon } from '@graphon-pai/core';
import { sampleGraphon } from './sampling';

describe('sampleGraphon', () => {
  it('Bernoulli samples of a constant graphon have the right density (4σ) and are seeded', () => {
    const a = sampleGraphon(StepGraphon.constant(0.3), 300, 200, { seed: 4 });
    const b = sampleGraphon(StepGraphon.constant(0.3), 300, 200, { seed: 4 });
    expect(a.mask.equals(b.mask)).toBe(true);
    const sd = Math.sqrt((0.3 * 0.7) / 60000);
    expect(Math.abs(a.mask.density() - 0.3)).toBeLessThan(4 * sd);
  });

  it('exact mode hits the edge count and follows W (block densities)', () => {
    const w = StepGraphon.uniformBlocks(2, 2, [0.8, 0.4, 0.4, 0.1]);
    const s = sampleGraphon(w, 400, 400, { seed: 9, mode: 'exact', positions: 'grid' });
    expect(s.mask.nnz()).toBe(Math.round(w.integral() * 160000));
    let top = 0;
    for (let r = 0; r < 200; r++) for (let c = 0; c < 200; c++) top += s.mask.get(r, c) ? 1 : 0;
    expect(Math.abs(top / 40000 - 0.8)).toBeLessThan(0.01);
    expect(sampleGraphon(w, 50, 40, { seed: 1, mode: 'exact', edges: 123 }).mask.nnz()).toBe(123);
    expect(sampleGraphon(w, 50, 40, { seed: 1, mode: 'exact', density: 0.25 }).mask.nnz()).toBe(500);
  });

  it('Bernoulli probabilities follow a non-step graphon (u·v, row means on a grid)', () => {
    const s = sampleGraphon({ value: (u, v) => u * v }, 200, 2000, { seed: 3, positions: 'grid' });
    const d = s.mask.rowDegrees();
    for (const r of [20, 100, 180]) {
      const u = (r + 0.5) / 200;
      expect(Math.abs(d[r] / 2000 - u / 2)).toBeLessThan(4 * Math.sqrt(0.25 / 2000));
    }
  });

  it('rejects bad input', () => {
    expect(() => sampleGraphon(StepGraphon.constant(0.3), 0, 3, { seed: 1 })).toThrow(/rows/);
    expect(() =>
      sampleGraphon(StepGraphon.constant(0.3), 3, 3, { seed: 1, mode: 'exact', edges: 10 }),
    ).toThrow(/edges/);
    expect(() => sampleGraphon({ value: () => 1.5 }, 3, 3, { seed: 1 })).toThrow(InvalidArgumentError);
  });
});
