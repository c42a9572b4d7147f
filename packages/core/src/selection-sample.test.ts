import { BitMatrix } from './bit-matrix';
import { Rng } from './rng';
import { selectionSample } from './selection-sample';

describe('selectionSample', () => {
  it('keeps exactly the requested count, across several matrices in one scan', () => {
    const a = new BitMatrix(7, 33);
    const b = new BitMatrix(5, 40);
    const scan = { need: 123, left: a.size + b.size };
    const rng = new Rng(3);
    selectionSample(a, scan, rng);
    selectionSample(b, scan, rng);
    expect(a.nnz() + b.nnz()).toBe(123);
    expect(scan).toEqual({ need: 0, left: scan.left });
  });

  it('draws every k-subset equally often (chi-square over the 15 subsets of 2 among 6)', () => {
    const counts = new Map<string, number>();
    const rng = new Rng('subsets');
    const draws = 30_000;
    for (let t = 0; t < draws; t++) {
      const m = new BitMatrix(2, 3);
      selectionSample(m, { need: 2, left: 6 }, rng);
      const key = Array.from(m.toDense()).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(15);
    const expected = draws / 15;
    let chi2 = 0;
    for (const c of counts.values()) chi2 += (c - expected) ** 2 / expected;
    // 14 degrees of freedom: P(χ² > 36.1) = 0.001.
    expect(chi2).toBeLessThan(36.1);
  });

  it('restricted to a row range, touches only those rows', () => {
    const m = new BitMatrix(4, 10);
    selectionSample(m, { need: 3, left: 10 }, new Rng(1), 2, 3);
    expect(Array.from(m.rowDegrees())).toEqual([0, 0, 3, 0]);
  });
});
