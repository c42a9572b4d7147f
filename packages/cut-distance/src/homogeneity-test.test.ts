import { BitMatrix, Rng, StepGraphon, selectionSample } from '@graphon-pai/core';
import { canonicalStepGraphon } from '@graphon-pai/graphon';
import { bootstrapPValue, homogeneityStatistics, homogeneityTest } from './homogeneity-test';

function uniformMask(rows: number, cols: number, kept: number, seed: number): BitMatrix {
  const m = new BitMatrix(rows, cols);
  selectionSample(m, { need: kept, left: m.size }, new Rng(seed));
  return m;
}

/** Exact cut norm of a small K × L matrix by brute force over all row and column subsets (float64). */
function bruteCutNorm(a: Float64Array, rows: number, cols: number): number {
  let best = 0;
  for (let s = 1; s < 1 << rows; s++) {
    for (let t = 1; t < 1 << cols; t++) {
      let sum = 0;
      for (let i = 0; i < rows; i++) {
        if (!(s & (1 << i))) continue;
        for (let j = 0; j < cols; j++) if (t & (1 << j)) sum += a[i * cols + j];
      }
      best = Math.max(best, Math.abs(sum));
    }
  }
  return best / (rows * cols);
}

const OPTIONS = { density: 0.1, rowBlocks: 6, colBlocks: 5, replicates: 39, alpha: 0.1, seed: 7 };

describe('homogeneityTest', () => {
  it('bootstrapPValue is (1 + #{T_b ≥ T}) / (B + 1)', () => {
    expect(bootstrapPValue(2, [1, 2, 3, 0])).toBeCloseTo(3 / 5, 15);
    expect(bootstrapPValue(9, [1, 2])).toBeCloseTo(1 / 3, 15);
  });

  it('statistics: the cut statistic is the exact cut norm of the 6 × 5 histogram minus p, the dispersion the binomial-relative sd', () => {
    const mask = uniformMask(60, 50, 300, 1);
    const s = homogeneityStatistics(mask, OPTIONS);
    const h = canonicalStepGraphon(mask, { rowBlocks: 6, colBlocks: 5 });
    const diff = Float64Array.from(h.values, (v) => v - 0.1);
    // Blocks are equal here (60/6, 50/5), so the step function's cut norm is the matrix one.
    expect(s.cut).toBeCloseTo(bruteCutNorm(diff, 6, 5), 12);
    const sd = (x: Uint32Array) => {
      const mean = x.reduce((a, b) => a + b, 0) / x.length;
      return Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
    };
    const rowSd = sd(mask.rowDegrees()) / Math.sqrt(50 * 0.1 * 0.9);
    const colSd = sd(mask.colDegrees()) / Math.sqrt(60 * 0.1 * 0.9);
    expect(s.dispersion).toBeCloseTo(Math.max(rowSd, colSd), 12);
    expect(StepGraphon.constant(0.1).values[0]).toBe(0.1);
  });

  it('a mask with dense and sparse columns is heterogeneous with the smallest p-value', () => {
    const mask = new BitMatrix(60, 50);
    const rng = new Rng(2);
    for (let r = 0; r < 60; r++)
      for (let c = 0; c < 50; c++) if (rng.uniform() < (c < 25 ? 0.18 : 0.02)) mask.set(r, c);
    const t = homogeneityTest(mask, { ...OPTIONS, density: mask.density(), replicates: 79 });
    expect(t.verdict).toBe('heterogeneous');
    expect(t.pCut).toBeCloseTo(1 / 80, 15);
    expect(t.pValue).toBeCloseTo(2 / 80, 15);
  });

  it('is calibrated: uniformly random masks are rejected at about the level (Bonferroni: at most)', () => {
    let rejected = 0;
    const masks = 100;
    for (let k = 0; k < masks; k++) {
      const t = homogeneityTest(uniformMask(60, 50, 300, 100 + k), OPTIONS);
      if (t.verdict === 'heterogeneous') rejected++;
      expect(t.replicates).toBe(39);
    }
    // Under the null P(reject) ≤ 0.1; a binomial(100, 0.1) count exceeds 20 with probability < 0.002.
    expect(rejected).toBeLessThanOrEqual(20);
  });

  it('other statistics: the same null masks, each statistic computed by the given function', () => {
    const mask = uniformMask(60, 50, 300, 3);
    const defaults = homogeneityTest(mask, OPTIONS);
    const same = homogeneityTest(mask, {
      ...OPTIONS,
      statistics: { name: 'copy', of: (m) => homogeneityStatistics(m, OPTIONS) },
    });
    expect(same).toEqual(defaults);
    // The first row's degree as the statistic: its null is the first row of the same null masks.
    const seen: BitMatrix[] = [];
    const first = homogeneityTest(mask, {
      ...OPTIONS,
      statistics: {
        name: 'first row',
        of: (m) => {
          seen.push(m);
          return { cut: m.rowDegrees()[0], dispersion: 0 };
        },
      },
    });
    expect(seen).toHaveLength(1 + 39);
    const nullRows = seen.slice(1).map((m) => m.rowDegrees()[0]);
    expect(first.cut).toBe(mask.rowDegrees()[0]);
    expect(first.pCut).toBeCloseTo(bootstrapPValue(first.cut, nullRows), 15);
    expect(first.pDispersion).toBe(1);
    expect(seen.slice(1).every((m) => m.nnz() === 300)).toBe(true);
  });

  it('refuses a resolution finer than the mask and a level outside (0, 1)', () => {
    const mask = uniformMask(10, 10, 10, 3);
    expect(() => homogeneityTest(mask, { ...OPTIONS, rowBlocks: 11 })).toThrow(
      /rowBlocks must be an integer in \[1, 10\]/,
    );
    expect(() => homogeneityTest(mask, { ...OPTIONS, alpha: 1 })).toThrow(
      /alpha must be a number in \(0, 1\)/,
    );
    // The smallest Bonferroni p-value is 2 / (B + 1): with B = 39 no mask could be called heterogeneous at 0.05.
    expect(() => homogeneityTest(mask, { ...OPTIONS, alpha: 0.05 })).toThrow(
      /replicates must be at least 40/,
    );
  });
});
