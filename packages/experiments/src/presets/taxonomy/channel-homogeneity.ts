/**
 * The homogeneity test of a convolution mask's **channel graph**: is the kept fraction of each
 * (out-channel, in-channel) kernel within sampling noise of the constant p?
 *
 * `@graphon-pai/cut-distance`'s `homogeneityTest` (which tests the kernel graph, the mask itself) with the
 * statistics read on the channel graph `F` (`@graphon-pai/graphon`'s `channelGraph`, `F[o, c]` = kept
 * fraction of the pair's `kh·kw` weights):
 *
 * - `cut`: ‖H_F − p‖_□ of its canonical `K × L` step graphon `H_F` (`channelStepGraphon`), by the same
 *   multi-start local search (a lower bound, applied alike to every replicate, so the test is calibrated);
 * - `dispersion`: max(sd(out-channel kept counts)/√(C·k·p(1−p)), sd(in-channel kept counts)/√(O·k·p(1−p))),
 *   k = kh·kw: the channels' kept counts relative to the binomial standard deviation.
 *
 * The null is the kernel graph's: uniformly random masks of the same `[O, C, kh, kw]` shape and kept count,
 * drawn from the same streams, so both graphs of a mask are tested against the same null masks.
 */
import type { BitMatrix } from '@graphon-pai/core';
import {
  type HomogeneityOptions,
  type HomogeneityStatistics,
  type HomogeneityTest,
  homogeneityStatisticsOf,
  homogeneityTest,
} from '@graphon-pai/cut-distance';
import { channelCanonicalOrder, channelGraph, channelStepGraphon } from '@graphon-pai/graphon';

/** The channel graph's two statistics (see the file header). */
export function channelHomogeneityStatistics(
  mask: BitMatrix,
  tensorShape: readonly number[],
  o: Omit<HomogeneityOptions, 'replicates' | 'alpha'>,
): HomogeneityStatistics {
  const h = channelStepGraphon(mask, tensorShape, { rowBlocks: o.rowBlocks, colBlocks: o.colBlocks });
  const graph = channelGraph(mask, tensorShape);
  const { rowDegrees, colDegrees } = channelCanonicalOrder(graph);
  const k = graph.kernelSize;
  const counts = {
    rows: rowDegrees,
    cols: colDegrees,
    cellsPerRow: graph.cols * k,
    cellsPerCol: graph.rows * k,
  };
  return homogeneityStatisticsOf(h, counts, o.density, o.seed);
}

/** Tests whether the channel graph of `mask` (`[O, C, kh, kw]`) is homogeneous at `o.density`. */
export function channelHomogeneityTest(
  mask: BitMatrix,
  tensorShape: readonly number[],
  o: HomogeneityOptions,
): HomogeneityTest {
  return homogeneityTest(mask, {
    ...o,
    statistics: {
      name: `channel graph [${tensorShape.join(', ')}]`,
      of: (m) => channelHomogeneityStatistics(m, tensorShape, o),
    },
  });
}
