/**
 * The two graphs of a convolution layer's mask, with canonical orderings, so the bipartite-graphon tools
 * (estimators, cut norms and distances, figures) apply to convolutions.
 *
 * A mask `M` of a convolution with weight `[O, C, kh, kw]` is stored as the `O × (C·kh·kw)` {@link BitMatrix}
 * of PyTorch's row-major layout: column `c·kh·kw + i·kw + j` is input channel `c` at kernel position `(i, j)`.
 *
 * - **Kernel graph** — the bipartite graph out-channel × (in-channel, kh, kw): the mask itself. Every
 *   function written for masks (`canonicalOrder`, `canonicalStepGraphon`, `histogramEstimate`, `sasEstimate`,
 *   `usvtEstimate`, `networkHistogram`, `cutDistance`, the figures) takes it as is; {@link kernelGraph}
 *   only checks it against the 4-D shape.
 * - **Channel graph** — the weighted bipartite graph out-channel × in-channel whose weight is the kept
 *   fraction of the pair's `kh × kw` kernel:
 *
 *       F[o, c] = (1 / (kh·kw)) Σ_{i,j} M[o, c·kh·kw + i·kw + j]  ∈ [0, 1],
 *
 *   returned as a dense `O × C` matrix (a `DenseMatrix` of `@graphon-pai/cut-distance`, read as the step
 *   function on the uniform `O × C` grid, so cut norms and distances take it directly), its binary
 *   connectivity `F > 0` (or `≥` a kept count) as a `BitMatrix` for the binary estimators, and its canonical
 *   step graphon.
 *
 * **Canonical ordering of the channel graph**: out-channels by kept count `Σ_c F[o, c]·kh·kw` (= the kernel
 * graph's row degree), in-channels by `Σ_o F[o, c]·kh·kw`, each descending and stable (ties keep channel
 * order), as `canonicalOrder` does for masks. {@link channelStepGraphon} averages `F` over `K × L` blocks of
 * canonical positions (block `a` = positions `⌊a·O/K⌋ … ⌊(a+1)·O/K⌋ − 1`, the cuts of `canonicalHistogram`);
 * with `K = O`, `L = C` it is `F` itself in canonical order. Since every pair has `kh·kw` weights,
 * `∫∫ W = density(M)` exactly, as for the kernel graph's canonical histogram.
 *
 * Complexity: O(O·C·kh·kw / 32 + O·C) over the packed mask.
 *
 * @example
 * const shape = [16, 6, 5, 5];                         // features.3.weight of LeNet-5
 * const F = channelGraph(mask, shape);                 // 16 × 6 kept fractions
 * const W = channelStepGraphon(mask, shape);           // 16 × 6 blocks, canonical order
 * cutDistance(channelGraph(maskA, shape), channelGraph(maskB, shape));   // @graphon-pai/cut-distance
 *
 * Reference: Pham, Ta, Tran-Thanh, arXiv 2602.06675 (graphon limits of PaI masks); the channel view
 * follows the structured-sparsity literature (channel pruning: He, Zhang, Sun, ICCV 2017, arXiv 1707.06168).
 */
import { BitMatrix, InvalidArgumentError, StepGraphon } from '@graphon-pai/core';
import {
  type BlockCounts,
  blockCuts,
  blockStarts,
  type CanonicalOrder,
  sortByDegreeDescending,
} from './canonical';

/** The sizes of a convolution mask. */
export interface ConvMaskShape {
  readonly outChannels: number;
  readonly inChannels: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
}

/** The weighted channel graph: `rows = O`, `cols = C`, `data[o·C + c] = F[o, c]`. */
export interface ChannelGraph {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
  /** Kept weights per pair, `F·kh·kw` (integers). */
  readonly kept: Uint32Array;
  /** `kh · kw`. */
  readonly kernelSize: number;
}

/** Checks `mask` against `tensorShape = [O, C, kh, kw]` (rows = O, cols = C·kh·kw). */
export function convMaskShape(
  mask: BitMatrix,
  tensorShape: readonly number[],
  argument = 'tensorShape',
): ConvMaskShape {
  if (
    !Array.isArray(tensorShape) ||
    tensorShape.length !== 4 ||
    !tensorShape.every((v) => Number.isInteger(v) && v > 0)
  ) {
    throw new InvalidArgumentError(
      argument,
      tensorShape,
      'a convolution weight shape [out, in, kh, kw] of positive integers',
    );
  }
  const [O, C, kh, kw] = tensorShape;
  if (!mask || mask.rows !== O || mask.cols !== C * kh * kw) {
    throw new InvalidArgumentError(
      'mask',
      mask ? `${mask.rows} × ${mask.cols}` : mask,
      `an ${O} × ${C * kh * kw} mask (the [${tensorShape.join(', ')}] kernel as out × in·kh·kw)`,
      { fix: "pass the layer's mask with its tensorShape from network.shapes()" },
    );
  }
  return { outChannels: O, inChannels: C, kernelHeight: kh, kernelWidth: kw };
}

/** The kernel graph out-channel × (in-channel, kh, kw): the mask itself, checked against the 4-D shape. */
export function kernelGraph(mask: BitMatrix, tensorShape: readonly number[]): BitMatrix {
  convMaskShape(mask, tensorShape);
  return mask;
}

/** The weighted channel graph `F` (kept fraction of each channel pair's kernel). */
export function channelGraph(mask: BitMatrix, tensorShape: readonly number[]): ChannelGraph {
  const {
    outChannels: O,
    inChannels: C,
    kernelHeight: kh,
    kernelWidth: kw,
  } = convMaskShape(mask, tensorShape);
  const k = kh * kw;
  const kept = new Uint32Array(O * C);
  const { words, wordsPerRow } = mask;
  for (let o = 0; o < O; o++) {
    const base = o * wordsPerRow;
    for (let w = 0; w < wordsPerRow; w++) {
      let bits = words[base + w];
      while (bits !== 0) {
        const low = bits & -bits;
        const col = (w << 5) + 31 - Math.clz32(low);
        kept[o * C + Math.floor(col / k)]++;
        bits ^= low;
      }
    }
  }
  const data = new Float64Array(O * C);
  for (let t = 0; t < data.length; t++) data[t] = kept[t] / k;
  return { rows: O, cols: C, data, kept, kernelSize: k };
}

/** Canonical (kept-count descending, stable) orders of the channel graph's out- and in-channels. */
export function channelCanonicalOrder(graph: ChannelGraph): CanonicalOrder {
  const { rows, cols, kept } = graph;
  const rowDegrees = new Uint32Array(rows);
  const colDegrees = new Uint32Array(cols);
  for (let o = 0; o < rows; o++) {
    for (let c = 0; c < cols; c++) {
      rowDegrees[o] += kept[o * cols + c];
      colDegrees[c] += kept[o * cols + c];
    }
  }
  return {
    rowOrder: sortByDegreeDescending(rowDegrees),
    colOrder: sortByDegreeDescending(colDegrees),
    rowDegrees,
    colDegrees,
  };
}

/**
 * The channel graph's canonical step graphon: `F` in canonical order, averaged over `K × L` blocks
 * (default `O × C`, no averaging).
 */
export function channelStepGraphon(
  mask: BitMatrix,
  tensorShape: readonly number[],
  blocks?: BlockCounts,
): StepGraphon {
  const graph = channelGraph(mask, tensorShape);
  const { rows, cols, data } = graph;
  const K = blocks?.rowBlocks ?? rows;
  const L = blocks?.colBlocks ?? cols;
  for (const [name, v, max] of [
    ['blocks.rowBlocks', K, rows],
    ['blocks.colBlocks', L, cols],
  ] as const) {
    if (!(Number.isInteger(v) && v >= 1 && v <= max)) {
      throw new InvalidArgumentError(name, v, `an integer in [1, ${max}] (the channel count)`);
    }
  }
  const { rowOrder, colOrder } = channelCanonicalOrder(graph);
  const rs = blockStarts(rows, K);
  const cs = blockStarts(cols, L);
  const values = new Float64Array(K * L);
  for (let a = 0; a < K; a++) {
    for (let b = 0; b < L; b++) {
      let s = 0;
      for (let p = rs[a]; p < rs[a + 1]; p++) {
        const base = rowOrder[p] * cols;
        for (let q = cs[b]; q < cs[b + 1]; q++) s += data[base + colOrder[q]];
      }
      values[a * L + b] = s / ((rs[a + 1] - rs[a]) * (cs[b + 1] - cs[b]));
    }
  }
  return new StepGraphon(blockCuts(rows, K), blockCuts(cols, L), values);
}

/**
 * The binary channel graph: an edge `(o, c)` when at least `minKept` weights of the pair's kernel are kept
 * (default 1: any kept weight), as an `O × C` mask for the binary estimators.
 */
export function channelConnectivity(mask: BitMatrix, tensorShape: readonly number[], minKept = 1): BitMatrix {
  const graph = channelGraph(mask, tensorShape);
  if (!(Number.isInteger(minKept) && minKept >= 1 && minKept <= graph.kernelSize)) {
    throw new InvalidArgumentError('minKept', minKept, `an integer in [1, ${graph.kernelSize}] (kh · kw)`);
  }
  const out = new BitMatrix(graph.rows, graph.cols);
  for (let o = 0; o < graph.rows; o++) {
    for (let c = 0; c < graph.cols; c++) if (graph.kept[o * graph.cols + c] >= minKept) out.set(o, c);
  }
  return out;
}
