import { StepGraphon, StepKernel } from '@graphon-pai/core';
import fc from 'fast-check';
import {
  colDegreeFunction,
  commonRefinement,
  evaluateStepFunction,
  mergeCuts,
  resampleGrid,
  rowDegreeFunction,
  stepDifference,
  stepGraphonFromFunction,
} from './step-functions';

/** Random strictly increasing cuts in (0,1) with n blocks. */
const cutsArb = (maxBlocks: number) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 0, maxLength: maxBlocks - 1 })
    .map((xs) => [0, ...xs.sort((a, b) => a - b).map((x) => x / 1000), 1]);

const kernelArb = fc.tuple(cutsArb(6), cutsArb(6)).chain(([rc, cc]) =>
  fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }), {
      minLength: (rc.length - 1) * (cc.length - 1),
      maxLength: (rc.length - 1) * (cc.length - 1),
    })
    .map((vals) => new StepGraphon(rc, cc, vals)),
);

describe('degree functions', () => {
  it('match a fine midpoint integration of the step function', () => {
    fc.assert(
      fc.property(kernelArb, (w) => {
        const dr = rowDegreeFunction(w);
        const dc = colDegreeFunction(w);
        // Exact references: integrate over each block's columns with exact widths.
        for (let a = 0; a < w.rowBlocks; a++) {
          const u = 0.5 * (w.rowCuts[a] + w.rowCuts[a + 1]);
          let ref = 0;
          for (let b = 0; b < w.colBlocks; b++)
            ref += (w.colCuts[b + 1] - w.colCuts[b]) * w.value(u, 0.5 * (w.colCuts[b] + w.colCuts[b + 1]));
          expect(evaluateStepFunction(dr, u)).toBeCloseTo(ref, 12);
        }
        let total = 0;
        for (let b = 0; b < w.colBlocks; b++) total += (w.colCuts[b + 1] - w.colCuts[b]) * dc.values[b];
        expect(total).toBeCloseTo(w.integral(), 12);
      }),
      { numRuns: 60 },
    );
  });

  it('closed form: W(u,v) = u·v on 4 × 2 blocks', () => {
    const w = stepGraphonFromFunction({ value: (u, v) => u * v }, 4, 2);
    expect(Array.from(rowDegreeFunction(w).values)).toEqual([
      0.125 * 0.5,
      0.375 * 0.5,
      0.625 * 0.5,
      0.875 * 0.5,
    ]);
    expect(Array.from(colDegreeFunction(w).values)).toEqual([0.25 * 0.5, 0.75 * 0.5]);
  });
});

describe('common refinement', () => {
  it('represents both kernels exactly at every point', () => {
    fc.assert(
      fc.property(
        kernelArb,
        kernelArb,
        fc.array(
          fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })),
          { minLength: 20, maxLength: 20 },
        ),
        (a, b, pts) => {
          const r = commonRefinement(a, b);
          expect(r.a.rowCuts).toEqual(r.b.rowCuts);
          for (const [u, v] of pts) {
            expect(r.a.value(u, v)).toBe(a.value(u, v));
            expect(r.b.value(u, v)).toBe(b.value(u, v));
          }
          const d = stepDifference(a, b);
          for (const [u, v] of pts) expect(d.value(u, v)).toBeCloseTo(a.value(u, v) - b.value(u, v), 14);
          expect(d.integral()).toBeCloseTo(a.integral() - b.integral(), 12);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('merges cut points that differ only by rounding', () => {
    const cuts = mergeCuts([0, 1 / 3, 1], [0, 0.1 + 0.2333333333333333, 1]);
    expect(cuts.length).toBe(3);
    expect(
      stepDifference(StepGraphon.uniformBlocks(3, 1, [1, 1, 1]), StepGraphon.constant(1)).values.every(
        (x) => x === 0,
      ),
    ).toBe(true);
  });

  it('keeps a difference of graphons a StepKernel (values may be negative)', () => {
    const d = stepDifference(StepGraphon.constant(0.2), StepGraphon.uniformBlocks(1, 2, [0.5, 0.1]));
    expect(d).toBeInstanceOf(StepKernel);
    expect(Array.from(d.values)).toEqual([0.2 - 0.5, 0.2 - 0.1]);
  });
});

describe('resampleGrid', () => {
  it('cell averages equal a fine midpoint rule', () => {
    fc.assert(
      fc.property(
        kernelArb,
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
        (w, rows, cols) => {
          const avg = resampleGrid(w, rows, cols, { method: 'average' });
          // Reference: 1000 × 1000 sub-samples per cell would be slow; cuts are multiples of 1/1000, so a
          // per-cell midpoint rule on a 1000·rows grid is exact up to the cells' boundaries.
          const n = 1000;
          for (let i = 0; i < rows; i++) {
            for (let j = 0; j < cols; j++) {
              let s = 0;
              const m = 40;
              for (let p = 0; p < m; p++)
                for (let q = 0; q < m; q++)
                  s += w.value((i + (p + 0.5) / m) / rows, (j + (q + 0.5) / m) / cols);
              expect(Math.abs(avg[i * cols + j] - s / (m * m))).toBeLessThan(2 / m + 1 / n);
            }
          }
          expect(avg.reduce((s, x) => s + x, 0) / (rows * cols)).toBeCloseTo(w.integral(), 12);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('midpoints of a step kernel agree with value()', () => {
    const w = new StepGraphon([0, 0.3, 1], [0, 0.5, 0.9, 1], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    const g = resampleGrid(w, 5, 7);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 7; j++) expect(g[i * 7 + j]).toBe(w.value((i + 0.5) / 5, (j + 0.5) / 7));
  });

  it('rejects averages of non-step graphons and bad sizes', () => {
    expect(() => resampleGrid({ value: () => 0.5 }, 2, 2, { method: 'average' })).toThrow(/method/);
    expect(() => resampleGrid(StepGraphon.constant(0.5), 0, 2)).toThrow(/rows/);
  });
});
