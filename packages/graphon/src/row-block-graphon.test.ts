import { BitMatrix, Rng } from '@graphon-pai/core';
import { rowBlockGraphon } from './row-block-graphon';

/** Float64 reference: stable sort of rows by degree (descending), near-equal blocks ⌊a·n/K⌋…, inputs in order. */
function reference(mask: BitMatrix, k: number): number[] {
  const rows = Array.from({ length: mask.rows }, (_, r) => r);
  const degree = (r: number) => {
    let d = 0;
    for (let c = 0; c < mask.cols; c++) d += mask.get(r, c) ? 1 : 0;
    return d;
  };
  rows.sort((a, b) => degree(b) - degree(a) || a - b);
  const out: number[] = [];
  for (let a = 0; a < k; a++) {
    const from = Math.floor((a * mask.rows) / k);
    const to = Math.floor(((a + 1) * mask.rows) / k);
    for (let c = 0; c < mask.cols; c++) {
      let s = 0;
      for (let p = from; p < to; p++) s += mask.get(rows[p], c) ? 1 : 0;
      out.push(s / (to - from));
    }
  }
  return out;
}

describe('rowBlockGraphon', () => {
  it('equals a float64 reference: degree-sorted row blocks, inputs in order', () => {
    const rng = new Rng(5);
    const mask = new BitMatrix(37, 11);
    for (let r = 0; r < 37; r++) for (let c = 0; c < 11; c++) if (rng.uniform() < 0.1 + 0.05 * (r % 7)) mask.set(r, c);
    const w = rowBlockGraphon(mask, 5);
    expect(w.values.length).toBe(5 * 11);
    const ref = reference(mask, 5);
    for (let q = 0; q < ref.length; q++) expect(w.values[q]).toBeCloseTo(ref[q], 14);
  });

  it('caps K at the number of rows (then it is the mask in degree order) and refuses K < 1', () => {
    const mask = new BitMatrix(3, 4);
    mask.set(2, 1);
    mask.set(2, 3);
    mask.set(0, 0);
    expect(Array.from(rowBlockGraphon(mask, 10).values)).toEqual([0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => rowBlockGraphon(mask, 0)).toThrow(/rowBlocks must be a positive integer/);
  });
});
