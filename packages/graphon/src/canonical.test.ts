import { BitMatrix, InvalidArgumentError, Rng } from '@graphon-pai/core';
import { randomMask } from '@graphon-pai/test-utils';
import fc from 'fast-check';
import { dense, referenceCanonicalHistogram, referenceOrder } from '../test/reference';
import {
  blockHistogram,
  canonicalHistogram,
  canonicalOrder,
  canonicalStepGraphon,
  sortByDegreeDescending,
} from './canonical';

describe('canonical order', () => {
  it('sorts degrees descending and stably', () => {
    expect(Array.from(sortByDegreeDescending([1, 3, 1, 0, 3]))).toEqual([1, 4, 0, 2, 3]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), (d) => {
        expect(Array.from(sortByDegreeDescending(d))).toEqual(referenceOrder(d));
      }),
    );
  });

  it('orders rows by row degree and columns by column degree', () => {
    const m = BitMatrix.fromDense(3, 4, [0, 0, 1, 0, 1, 1, 1, 0, 0, 1, 1, 0]);
    const o = canonicalOrder(m);
    expect(Array.from(o.rowOrder)).toEqual([1, 2, 0]);
    expect(Array.from(o.colOrder)).toEqual([2, 1, 0, 3]);
  });
});

describe('canonical histogram', () => {
  it('matches the dense reference on random shapes, densities and uneven blocks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 45 }),
        fc.integer({ min: 1, max: 70 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        (rows, cols, density, seed, k0, l0) => {
          const m = randomMask(rows, cols, density, seed);
          const k = Math.min(k0, rows);
          const l = Math.min(l0, cols);
          const h = canonicalHistogram(m, { rowBlocks: k, colBlocks: l });
          const ref = referenceCanonicalHistogram(m, k, l);
          for (let i = 0; i < ref.length; i++) expect(h.graphon.values[i]).toBeCloseTo(ref[i], 12);
          expect(h.graphon.integral()).toBeCloseTo(m.density(), 12);
          const again = blockHistogram(m, h.rowOrder, h.colOrder, { rowBlocks: k, colBlocks: l });
          expect(Array.from(again.values)).toEqual(Array.from(h.graphon.values));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the full-resolution canonical graphon is the reordered mask', () => {
    const m = randomMask(9, 37, 0.4, 5);
    const g = canonicalStepGraphon(m, { rowBlocks: 9, colBlocks: 37 });
    const o = canonicalOrder(m);
    const d = dense(m);
    for (let p = 0; p < 9; p++)
      for (let q = 0; q < 37; q++) expect(g.block(p, q)).toBe(d[o.rowOrder[p]][o.colOrder[q]]);
  });

  it('uses the two-pass path for very many counters and gets the same answer', () => {
    const m = new BitMatrix(4100, 4100);
    const rng = new Rng(9);
    for (let i = 0; i < 30000; i++) m.set(rng.int(4100), rng.int(4100));
    const h = canonicalHistogram(m, { rowBlocks: 4100, colBlocks: 3 });
    const o = canonicalOrder(m);
    const b = blockHistogram(m, o.rowOrder, o.colOrder, { rowBlocks: 4100, colBlocks: 3 });
    expect(Array.from(h.graphon.values)).toEqual(Array.from(b.values));
  });

  it('rejects empty masks and block counts above the side', () => {
    expect(() => canonicalOrder(new BitMatrix(0, 5))).toThrow(InvalidArgumentError);
    const m = randomMask(4, 6, 0.5, 1);
    expect(() => canonicalStepGraphon(m, { rowBlocks: 5, colBlocks: 2 })).toThrow(
      /rowBlocks must be an integer in \[1, rows = 4\]/,
    );
    expect(() => canonicalStepGraphon(m, { rowBlocks: 2, colBlocks: 0 })).toThrow(/colBlocks/);
    expect(() =>
      blockHistogram(m, new Uint32Array(3), new Uint32Array(6), { rowBlocks: 2, colBlocks: 2 }),
    ).toThrow(/rowOrder/);
  });
});
