import { BitMatrix, Rng } from '@graphon-pai/core';
import { canonicalStepGraphon } from './canonical';
import {
  channelCanonicalOrder,
  channelConnectivity,
  channelGraph,
  channelStepGraphon,
  convMaskShape,
  kernelGraph,
} from './conv-graphs';

const rng = new Rng('conv-graphs');
const bernoulli = (rows: number, cols: number, p: (r: number, c: number) => number) =>
  BitMatrix.from(rows, cols, (r, c) => rng.uniform() < p(r, c));

describe('graphs of a convolution mask', () => {
  const shape = [7, 5, 3, 2];
  // Kept probability rising with the out-channel and falling with the in-channel.
  const mask = bernoulli(7, 30, (r, c) => 0.1 + 0.1 * r - 0.03 * Math.floor(c / 6));

  test('channel graph = kept fraction of each kernel, by brute force over the dense mask', () => {
    const g = channelGraph(mask, shape);
    const dense = mask.toDense();
    for (let o = 0; o < 7; o++)
      for (let c = 0; c < 5; c++) {
        let kept = 0;
        for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) kept += dense[o * 30 + c * 6 + i * 2 + j];
        expect(g.kept[o * 5 + c]).toBe(kept);
        expect(g.data[o * 5 + c]).toBe(kept / 6);
      }
    expect([g.rows, g.cols, g.kernelSize]).toEqual([7, 5, 6]);
  });

  test('canonical order: kept counts descending, stable; equal to the kernel graph row degrees', () => {
    const order = channelCanonicalOrder(channelGraph(mask, shape));
    expect(Array.from(order.rowDegrees)).toEqual(Array.from(mask.rowDegrees()));
    const colDeg = mask.colDegrees();
    for (let c = 0; c < 5; c++) {
      let s = 0;
      for (let t = 0; t < 6; t++) s += colDeg[c * 6 + t];
      expect(order.colDegrees[c]).toBe(s);
    }
    for (const [ord, deg] of [
      [order.rowOrder, order.rowDegrees],
      [order.colOrder, order.colDegrees],
    ] as const) {
      for (let p = 1; p < ord.length; p++) {
        const a = deg[ord[p - 1]];
        const b = deg[ord[p]];
        expect(a > b || (a === b && ord[p - 1] < ord[p])).toBe(true);
      }
    }
  });

  test('channel step graphon: canonical F at full resolution, block averages, ∫∫W = mask density', () => {
    const g = channelGraph(mask, shape);
    const { rowOrder, colOrder } = channelCanonicalOrder(g);
    const full = channelStepGraphon(mask, shape);
    for (let p = 0; p < 7; p++)
      for (let q = 0; q < 5; q++) expect(full.values[p * 5 + q]).toBe(g.data[rowOrder[p] * 5 + colOrder[q]]);
    const coarse = channelStepGraphon(mask, shape, { rowBlocks: 3, colBlocks: 2 });
    // Block (0, 0): positions 0–1 × 0–1 (⌊a·7/3⌋ = 0, 2, 4, 7 and ⌊b·5/2⌋ = 0, 2, 5).
    const want = (full.values[0] + full.values[1] + full.values[5] + full.values[6]) / 4;
    expect(coarse.values[0]).toBeCloseTo(want, 14);
    const density = mask.nnz() / mask.size;
    for (const W of [full, coarse]) {
      let integral = 0;
      for (let a = 0; a < W.rowCuts.length - 1; a++)
        for (let b = 0; b < W.colCuts.length - 1; b++)
          integral +=
            W.values[a * (W.colCuts.length - 1) + b] *
            (W.rowCuts[a + 1] - W.rowCuts[a]) *
            (W.colCuts[b + 1] - W.colCuts[b]);
      expect(integral).toBeCloseTo(density, 12);
    }
  });

  test('kernel graph is the mask itself; the existing canonical histogram applies to it', () => {
    expect(kernelGraph(mask, shape)).toBe(mask);
    const W = canonicalStepGraphon(kernelGraph(mask, shape), { rowBlocks: 7, colBlocks: 5 });
    expect(W.values.length).toBe(35);
  });

  test('binary channel connectivity: an edge when at least minKept weights of the kernel are kept', () => {
    const g = channelGraph(mask, shape);
    for (const minKept of [1, 3, 6]) {
      const b = channelConnectivity(mask, shape, minKept);
      for (let t = 0; t < 35; t++) expect(b.get(Math.floor(t / 5), t % 5)).toBe(g.kept[t] >= minKept);
    }
    expect(() => channelConnectivity(mask, shape, 7)).toThrow(/\[1, 6\]/);
  });

  test('a Bernoulli(p) conv mask has a channel graphon near p everywhere (sampling error ~ √(p(1−p)/(kh·kw)))', () => {
    const big = bernoulli(64, 64 * 9, () => 0.3);
    const W = channelStepGraphon(big, [64, 64, 3, 3], { rowBlocks: 4, colBlocks: 4 });
    // Each block averages 16·16·9 = 2304 Bernoulli(0.3) draws: standard error ≈ 0.0095; 6 SE.
    for (const v of W.values) expect(Math.abs(v - 0.3)).toBeLessThan(0.06);
  });

  test('shapes that do not match are refused, naming the expected size', () => {
    expect(() => convMaskShape(mask, [7, 5, 3, 3])).toThrow(/7 × 45 mask.*\[7, 5, 3, 3\]/);
    expect(() => channelGraph(mask, [7, 30])).toThrow(/\[out, in, kh, kw\]/);
  });
});
