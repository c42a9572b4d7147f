import { BitMatrix, InvalidArgumentError, Rng, StepGraphon, StepKernel } from '@graphon-pai/core';
import { randomMask } from '@graphon-pai/test-utils';
import { canonicalStepGraphon } from '@graphon-pai/graphon';
import fc from 'fast-check';
import { bruteForceCutNorm } from '../test/reference';
import { blockDistance, blockSummary } from './block-distance';
import { gridDistance } from './grid-distance';
import { pixelDistance, pixelSummary } from './pixel-distance';

const { abs } = Math;

function randomGrid(
  rng: Rng,
  rows: number,
  cols: number,
): { rows: number; cols: number; data: Float64Array } {
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform();
  return { rows, cols, data };
}

function minus(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from(a, (x, i) => x - b[i]);
}

describe('gridDistance', () => {
  it.each([
    [1, 1],
    [3, 7],
    [7, 3],
    [8, 8],
    [10, 12],
    [12, 5],
  ])('equals brute force over all row and column subsets on %i × %i', (k, l) => {
    const rng = new Rng(`grid-${k}-${l}`);
    const a = randomGrid(rng, k, l);
    const b = randomGrid(rng, k, l);
    const r = gridDistance(a, b);
    expect(r.kind).toBe('exact');
    expect(r.value).toBeCloseTo(bruteForceCutNorm(minus(a.data, b.data), k, l), 13);
    // The reported cut attains the value.
    let s = 0;
    for (const i of r.cut.rows) for (const j of r.cut.cols) s += a.data[i * l + j] - b.data[i * l + j];
    expect(r.cut.sign * s).toBeCloseTo(r.value * k * l, 11);
  });

  it('closed form: a sign pattern x yᵀ has cut norm max(#x₊, #x₋)·max(#y₊, #y₋)/(K·L)', () => {
    const x = [1, -1, 1, 1, -1, 1, 1]; // 5 plus, 2 minus
    const y = [-1, -1, 1, -1, -1, 1, -1, -1, 1]; // 3 plus, 6 minus
    const c = 0.25;
    const data = new Float64Array(x.length * y.length);
    for (let i = 0; i < x.length; i++)
      for (let j = 0; j < y.length; j++) data[i * y.length + j] = c * x[i] * y[j];
    const zero = { rows: x.length, cols: y.length, data: new Float64Array(data.length) };
    const r = gridDistance({ rows: x.length, cols: y.length, data }, zero);
    expect(r.value).toBeCloseTo((c * 5 * 6) / (x.length * y.length), 15);
    // and a constant difference c has cut norm |c|
    const flat = { rows: 4, cols: 6, data: new Float64Array(24).fill(-0.3) };
    expect(gridDistance(flat, { rows: 4, cols: 6, data: new Float64Array(24) }).value).toBeCloseTo(0.3, 15);
  });

  it('is a metric on the grid: symmetric, triangle inequality, zero iff equal', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer(),
        (k, l, seed) => {
          const rng = new Rng(seed);
          const a = randomGrid(rng, k, l);
          const b = randomGrid(rng, k, l);
          const c = randomGrid(rng, k, l);
          const ab = gridDistance(a, b).value;
          expect(gridDistance(b, a).value).toBeCloseTo(ab, 14);
          expect(ab).toBeLessThanOrEqual(gridDistance(a, c).value + gridDistance(c, b).value + 1e-14);
          expect(gridDistance(a, a).value).toBe(0);
          expect(ab).toBeGreaterThan(0);
          // any single changed cell is seen: the cut norm is at least |change|/(K·L)
          const e = { ...a, data: Float64Array.from(a.data) };
          const cell = abs(seed) % (k * l);
          e.data[cell] += 1e-3;
          expect(gridDistance(a, e).value).toBeCloseTo(1e-3 / (k * l), 15);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('refuses grids it cannot enumerate exactly and mismatched shapes', () => {
    const big = { rows: 25, cols: 25, data: new Float64Array(625) };
    expect(() => gridDistance(big, big)).toThrow(/smaller side is at most 24/);
    const wide = { rows: 24, cols: 4096, data: new Float64Array(24 * 4096) };
    expect(() => gridDistance(wide, wide)).toThrow(/2\^34/);
    expect(() =>
      gridDistance(
        { rows: 2, cols: 3, data: new Float64Array(6) },
        { rows: 3, cols: 2, data: new Float64Array(6) },
      ),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      gridDistance(
        { rows: 2, cols: 3, data: new Float64Array(5) },
        { rows: 2, cols: 3, data: new Float64Array(6) },
      ),
    ).toThrow(/rows · cols entries/);
  });
});

describe('blockDistance', () => {
  it('compares canonical block histograms exactly (brute force on the summaries)', () => {
    const rng = new Rng('block');
    const m1 = randomMask(96, 80, 0.3, rng);
    const m2 = randomMask(160, 40, 0.3, rng);
    const options = { rowBlocks: 8, colBlocks: 10 };
    const h1 = canonicalStepGraphon(m1, options).values;
    const h2 = canonicalStepGraphon(m2, options).values;
    const r = blockDistance(m1, m2, options);
    expect(r.metric).toBe('block');
    expect(r.value).toBeCloseTo(bruteForceCutNorm(minus(h1, h2), 8, 10), 14);
    // against the constant p: the cut norm of (histogram − p) on the grid
    const c = blockDistance(m1, StepGraphon.constant(0.3), options);
    expect(c.value).toBeCloseTo(bruteForceCutNorm(minus(h1, new Float64Array(80).fill(0.3)), 8, 10), 14);
  });

  it('summarises step kernels and block-averaging limits by exact cell means', () => {
    // 2 × 2 blocks [0.9 0.5; 0.3 0.1] on the grid 4 × 4: each cell inherits its block's value
    const kernel = StepKernel.uniformBlocks(2, 2, [0.9, 0.5, 0.3, 0.1]);
    const s = blockSummary(kernel, { rowBlocks: 4, colBlocks: 4 });
    expect(Array.from(s.data)).toEqual([
      0.9, 0.9, 0.5, 0.5, 0.9, 0.9, 0.5, 0.5, 0.3, 0.3, 0.1, 0.1, 0.3, 0.3, 0.1, 0.1,
    ]);
    // W(u, v) = u·v: block mean over [u0,u1]×[v0,v1] = (u0+u1)(v0+v1)/4
    const limit = {
      blockAverage: (u0: number, u1: number, v0: number, v1: number) => ((u0 + u1) * (v0 + v1)) / 4,
    };
    const g = blockSummary(limit, { rowBlocks: 2, colBlocks: 3 });
    expect(g.data[1 * 3 + 2]).toBeCloseTo(((0.5 + 1) * (2 / 3 + 1)) / 4, 15);
    // u·v against the constant ¼: the cut [0,½]×[0,½] ∪ … closed form on a 2 × 2 grid:
    // cell means 1/16, 3/16, 3/16, 9/16; differences −3/16, −1/16, −1/16, 5/16 → max cut = 5/16 / 4
    const d = blockDistance(limit, StepGraphon.constant(0.25), { rowBlocks: 2, colBlocks: 2 });
    expect(d.value).toBeCloseTo(5 / 64, 15);
  });

  it('refuses masks too narrow for the resolution, naming the fix', () => {
    const rng = new Rng(1);
    const narrow = randomMask(60, 200, 0.1, rng);
    expect(() => blockDistance(narrow, StepGraphon.constant(0.1))).toThrow(
      /at least 64 for 16 blocks of at least 4/,
    );
    expect(() => blockSummary(narrow, { rowBlocks: 15, colBlocks: 16 })).not.toThrow();
    expect(() => blockSummary({ rows: 3, cols: 3, data: new Float64Array(9) })).toThrow(/16 × 16 summary/);
  });
});

describe('pixelDistance', () => {
  it('summarises degree-sorted row blocks × inputs, input identity kept (hand-sorted reference)', () => {
    const rng = new Rng('pixel');
    const rows = 12;
    const cols = 5;
    const mask = randomMask(rows, cols, 0.45, rng);
    const dense = mask.toDense();
    // independent reference: stable sort of rows by degree, descending; 3 blocks of 4 rows
    const degree = (r: number) => dense.slice(r * cols, (r + 1) * cols).reduce((s, x) => s + x, 0);
    const order = Array.from({ length: rows }, (_, r) => r).sort((p, q) => degree(q) - degree(p));
    const ref = new Float64Array(3 * cols);
    for (let pos = 0; pos < rows; pos++) {
      for (let i = 0; i < cols; i++) ref[Math.floor(pos / 4) * cols + i] += dense[order[pos] * cols + i] / 4;
    }
    const s = pixelSummary(mask, { rowBlocks: 3, minBlockSize: 1 });
    expect(s.rows).toBe(3);
    expect(s.cols).toBe(cols);
    for (let i = 0; i < ref.length; i++) expect(s.data[i]).toBeCloseTo(ref[i], 15);
    const other = randomMask(20, cols, 0.45, rng);
    const r = pixelDistance(mask, other, { rowBlocks: 3, minBlockSize: 1 });
    const o = pixelSummary(other, { rowBlocks: 3, minBlockSize: 1 }).data;
    expect(r.value).toBeCloseTo(bruteForceCutNorm(minus(ref, o), 3, cols), 14);
  });

  it('keeps input identity: permuting the inputs of one mask is seen, permuting its neurons is not', () => {
    // row r holds inputs 0..r: distinct degrees (no ties at block edges), low inputs dense
    const rows = 12;
    const cols = 12;
    const mask = BitMatrix.from(rows, cols, (r, c) => c <= r);
    const flippedInputs = BitMatrix.from(rows, cols, (r, c) => mask.get(r, cols - 1 - c));
    const shuffledRows = new Rng('identity').permutation(rows);
    const relabelled = BitMatrix.from(rows, cols, (r, c) => mask.get(shuffledRows[r], c));
    const options = { rowBlocks: 6, minBlockSize: 2 };
    expect(pixelDistance(mask, relabelled, options).value).toBe(0);
    const flipped = pixelDistance(mask, flippedInputs, options).value;
    const a = pixelSummary(mask, options).data;
    const b = pixelSummary(flippedInputs, options).data;
    expect(flipped).toBeCloseTo(bruteForceCutNorm(minus(a, b), 6, cols), 14);
    expect(flipped).toBeGreaterThan(0.2);
    // the block metric sorts the columns as well, so it cannot tell the two apart
    expect(blockDistance(mask, flippedInputs, { rowBlocks: 6, colBlocks: 4, minBlockSize: 2 }).value).toBe(0);
  });

  it('refuses different input dimensions', () => {
    const rng = new Rng(2);
    expect(() => pixelDistance(randomMask(64, 10, 0.1, rng), randomMask(64, 11, 0.1, rng))).toThrow(
      /input dimension of a \(10\)/,
    );
  });
});
