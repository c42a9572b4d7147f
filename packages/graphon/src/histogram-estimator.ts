/**
 * Degree-sorted block histogram estimator of a bipartite graphon.
 *
 * Sort rows by row degree and columns by column degree (descending, stable: {@link canonicalOrder}) and
 * average the mask over `K × L` near-equal blocks. Default block counts: the bipartite Olhede–Wolfe plug-in
 * bandwidth ({@link pluginBlocks}). Consistent for graphons with strictly monotone degree functions
 * (Chan & Airoldi 2014); for constant-degree graphons it estimates the constant.
 *
 * Complexity: one pass over the set bits (see `canonical.ts`) plus the bandwidth pass.
 *
 * @example
 * const w = histogramEstimate(mask);                           // plug-in K × L
 * const w64 = histogramEstimate(mask, { rowBlocks: 64, colBlocks: 64 });
 *
 * References: S. H. Chan, E. M. Airoldi, ICML 2014; S. C. Olhede, P. J. Wolfe, PNAS 111 (2014).
 */
import type { BitMatrix, StepGraphon } from '@graphon-pai/core';
import { pluginBlocks } from './bandwidth';
import { canonicalHistogram } from './canonical';

export interface HistogramOptions {
  rowBlocks?: number;
  colBlocks?: number;
}

export function histogramEstimate(mask: BitMatrix, options: HistogramOptions = {}): StepGraphon {
  const blocks =
    options.rowBlocks !== undefined && options.colBlocks !== undefined
      ? { rowBlocks: options.rowBlocks, colBlocks: options.colBlocks }
      : (() => {
          const p = pluginBlocks(mask);
          return { rowBlocks: options.rowBlocks ?? p.rowBlocks, colBlocks: options.colBlocks ?? p.colBlocks };
        })();
  return canonicalHistogram(mask, blocks).graphon;
}
