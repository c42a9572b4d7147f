/**
 * One entry point to the graphon estimators of this package, chosen by name:
 *
 *     histogram           canonical (degree-sorted) block histogram       histogramEstimate
 *     sas                 sort-and-smooth: sorted histogram + TV denoising  sasEstimate
 *     usvt                universal singular value thresholding            usvtEstimate
 *     network-histogram   likelihood-maximising block labels (seeded)      networkHistogram
 *
 * Each returns a step graphon whose rows are the mask's output neurons and columns its inputs, in the
 * estimator's canonical order, with `rowBlocks × colBlocks` blocks when given (else the estimator's
 * bandwidth rule). `details` carries what the estimator reports beyond the graphon (USVT: rank, threshold,
 * whether the rank was capped; network histogram: log-likelihood, accepted moves).
 *
 * @example
 * const { graphon } = estimateGraphon(mask, 'usvt', { rowBlocks: 16, colBlocks: 16 });
 */
import { type BitMatrix, InvalidArgumentError, type StepGraphon } from '@graphon-pai/core';
import { histogramEstimate } from './histogram-estimator';
import { networkHistogram } from './network-histogram';
import { sasEstimate } from './sas';
import { usvtEstimate } from './usvt';

/** The estimator names of {@link estimateGraphon}. */
export const GRAPHON_ESTIMATORS = ['histogram', 'sas', 'usvt', 'network-histogram'] as const;
export type GraphonEstimator = (typeof GRAPHON_ESTIMATORS)[number];

export interface EstimateGraphonOptions {
  rowBlocks?: number;
  colBlocks?: number;
  /** Seed of the network histogram's label search (default 0; the other estimators are deterministic). */
  seed?: number;
}

export interface GraphonEstimate {
  graphon: StepGraphon;
  /** USVT: `{ rank, threshold, rankCapped }`; network histogram: `{ logLikelihood, accepted }`; else `{}`. */
  details: Record<string, number | boolean>;
}

/** The graphon of `mask` by the named estimator (see the file header). */
export function estimateGraphon(
  mask: BitMatrix,
  estimator: GraphonEstimator,
  options: EstimateGraphonOptions = {},
): GraphonEstimate {
  const blocks = { rowBlocks: options.rowBlocks, colBlocks: options.colBlocks };
  switch (estimator) {
    case 'histogram':
      return { graphon: histogramEstimate(mask, blocks), details: {} };
    case 'sas':
      return { graphon: sasEstimate(mask, blocks), details: {} };
    case 'usvt': {
      const r = usvtEstimate(mask, blocks);
      return {
        graphon: r.graphon,
        details: { rank: r.rank, threshold: r.threshold, rankCapped: r.rankCapped },
      };
    }
    case 'network-histogram': {
      const r = networkHistogram(mask, { ...blocks, seed: options.seed ?? 0 });
      return { graphon: r.graphon, details: { logLikelihood: r.logLikelihood, accepted: r.accepted } };
    }
    default:
      throw new InvalidArgumentError('estimator', estimator, `one of ${GRAPHON_ESTIMATORS.join(', ')}`);
  }
}
