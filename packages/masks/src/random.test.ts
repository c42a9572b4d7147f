import { BitMatrix, type LayerShape, type NetworkMask, Rng } from '@graphon-pai/core';
import fc from 'fast-check';
import { totalNnz } from '../test/helpers/reference';
import { allocateCounts } from './allocation';
import { bernoulliMask, shuffleMask, uniformRandomMask } from './random';

const shapesArb = fc
  .array(fc.record({ rows: fc.integer({ min: 1, max: 30 }), cols: fc.integer({ min: 1, max: 70 }) }), {
    minLength: 1,
    maxLength: 4,
  })
  .map((list) => new Map<string, LayerShape>(list.map((s, i) => [`l${i}`, s])));
const densityArb = fc.double({ min: 1e-3, max: 1, noNaN: true });

describe('uniformRandomMask', () => {
  it('has the exact count for every scope and allocation', () => {
    fc.assert(
      fc.property(
        shapesArb,
        densityArb,
        fc.integer(),
        fc.constantFrom('global', 'layerwise', 'uniform', 'erk', 'first-last'),
        (shapes, density, seed, kind) => {
          const m = uniformRandomMask(shapes, { density, seed, allocation: kind as 'erk' });
          const N = [...shapes.values()].reduce((a, s) => a + s.rows * s.cols, 0);
          if (kind === 'global') expect(totalNnz(m)).toBe(Math.round(density * N));
          else {
            const counts = allocateCounts(shapes, density, kind as 'erk');
            for (const [n, layer] of m) expect(layer.nnz()).toBe(counts.get(n));
          }
          for (const layer of m.values()) {
            // Padding bits stay zero.
            const tail = layer.cols & 31;
            if (tail)
              for (let r = 0; r < layer.rows; r++)
                expect(layer.words[(r + 1) * layer.wordsPerRow - 1] >>> tail).toBe(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is uniform over k-subsets (chi-square on all 10 subsets of 2 out of 5, 20 000 seeds)', () => {
    const shapes = new Map([['a', { rows: 1, cols: 5 }]]);
    const freq = new Map<number, number>();
    const draws = 20000;
    for (let seed = 0; seed < draws; seed++) {
      const w = uniformRandomMask(shapes, { density: 0.4, seed }).get('a')!.words[0];
      freq.set(w, (freq.get(w) ?? 0) + 1);
    }
    expect(freq.size).toBe(10);
    let chi2 = 0;
    for (const f of freq.values()) chi2 += (f - draws / 10) ** 2 / (draws / 10);
    // 9 degrees of freedom: P(χ² > 27.9) = 0.001.
    expect(chi2).toBeLessThan(27.9);
  });

  it('is reproducible from its seed and differs across seeds', () => {
    const shapes = new Map([['a', { rows: 20, cols: 20 }]]);
    const a = uniformRandomMask(shapes, { density: 0.3, seed: 5 }).get('a')!;
    expect(a.equals(uniformRandomMask(shapes, { density: 0.3, seed: 5 }).get('a')!)).toBe(true);
    expect(a.equals(uniformRandomMask(shapes, { density: 0.3, seed: 6 }).get('a')!)).toBe(false);
  });
});

describe('bernoulliMask', () => {
  it('keeps each weight with probability p: density only in expectation', () => {
    const shapes = new Map([['a', { rows: 200, cols: 100 }]]);
    const counts = [1, 2, 3, 4, 5].map((seed) =>
      bernoulliMask(shapes, { probability: 0.1, seed }).get('a')!.nnz(),
    );
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(5 * Math.sqrt(20000 * 0.1 * 0.9));
    expect(new Set(counts).size).toBeGreaterThan(1);
    expect(() => bernoulliMask(shapes, { probability: 0, seed: 1 })).toThrow(
      /probability must be a number in \(0, 1\]/,
    );
  });
});

describe('shuffleMask', () => {
  it('preserves each layer count (and each row degree with preserve: rows)', () => {
    fc.assert(
      fc.property(shapesArb, fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (shapes, seed, p) => {
        const rng = new Rng(seed);
        const mask: NetworkMask = new Map();
        for (const [n, s] of shapes)
          mask.set(
            n,
            BitMatrix.from(s.rows, s.cols, () => rng.bernoulli(p)),
          );
        const shuffled = shuffleMask(mask, { seed });
        for (const [n, m] of mask) expect(shuffled.get(n)!.nnz()).toBe(m.nnz());
        const rows = shuffleMask(mask, { seed, preserve: 'rows' });
        for (const [n, m] of mask)
          expect(Array.from(rows.get(n)!.rowDegrees())).toEqual(Array.from(m.rowDegrees()));
      }),
      { numRuns: 200 },
    );
  });

  it('actually moves entries (a structured mask is not returned unchanged)', () => {
    const m = BitMatrix.from(32, 32, (r) => r < 4);
    const s = shuffleMask(new Map([['a', m]]), { seed: 1 }).get('a')!;
    expect(s.nnz()).toBe(m.nnz());
    expect(s.equals(m)).toBe(false);
  });

  it('rejects bad seeds, preserve modes and empty layers', () => {
    const mask = new Map([['a', new BitMatrix(2, 2)]]);
    expect(() => shuffleMask(mask, { seed: 1.5 })).toThrow(/seed/);
    expect(() => shuffleMask(mask, { seed: 1, preserve: 'cols' as never })).toThrow(/preserve/);
    expect(() => shuffleMask(new Map([['e', new BitMatrix(0, 3)]]), { seed: 1 })).toThrow(/non-empty layer/);
  });
});
