import { randomMask } from '@graphon-pai/test-utils';
import { estimateGraphon, GRAPHON_ESTIMATORS } from '../src/estimate-graphon';
import { histogramEstimate } from '../src/histogram-estimator';
import { networkHistogram } from '../src/network-histogram';
import { sasEstimate } from '../src/sas';
import { usvtEstimate } from '../src/usvt';

describe('estimateGraphon', () => {
  const mask = randomMask(48, 40, 0.3, 5);
  const blocks = { rowBlocks: 6, colBlocks: 5 };

  it('each name gives exactly its estimator, with the details it reports', () => {
    expect(estimateGraphon(mask, 'histogram', blocks)).toEqual({
      graphon: histogramEstimate(mask, blocks),
      details: {},
    });
    expect(estimateGraphon(mask, 'sas', blocks)).toEqual({ graphon: sasEstimate(mask, blocks), details: {} });
    const usvt = usvtEstimate(mask, blocks);
    expect(estimateGraphon(mask, 'usvt', blocks)).toEqual({
      graphon: usvt.graphon,
      details: { rank: usvt.rank, threshold: usvt.threshold, rankCapped: usvt.rankCapped },
    });
    const nh = networkHistogram(mask, { ...blocks, seed: 3 });
    expect(estimateGraphon(mask, 'network-histogram', { ...blocks, seed: 3 })).toEqual({
      graphon: nh.graphon,
      details: { logLikelihood: nh.logLikelihood, accepted: nh.accepted },
    });
  });

  it('every estimator gives the requested blocks; an unknown name is refused with the list', () => {
    for (const e of GRAPHON_ESTIMATORS) {
      const { graphon } = estimateGraphon(mask, e, blocks);
      expect([e, graphon.rowBlocks, graphon.colBlocks]).toEqual([e, 6, 5]);
    }
    expect(() => estimateGraphon(mask, 'kde' as never)).toThrow(/histogram, sas, usvt, network-histogram/);
  });
});
