/**
 * Cut distances between the graphs of convolution masks (`@graphon-pai/graphon` conv-graphs): the channel
 * graph (kept fraction per channel pair, a dense matrix) and the kernel graph (the mask itself). For
 * Bernoulli(p) and Bernoulli(q) masks both limits are constant, and δ_□(p, q) = |p − q|.
 */
import { BitMatrix, Rng } from '@graphon-pai/core';
import { channelGraph, kernelGraph } from '@graphon-pai/graphon';
import { cutDistance } from './cut-distance';

const rng = new Rng('conv-cut');
const conv = (p: number) => BitMatrix.from(48, 48 * 9, () => rng.uniform() < p);
const shape = [48, 48, 3, 3];

describe('cut distances of convolution graphs', () => {
  const a = conv(0.3);
  const b = conv(0.5);
  const c = conv(0.3);

  test('channel graphs: Bernoulli 0.3 vs 0.5 at distance ≈ 0.2, vs another 0.3 near 0', () => {
    const far = cutDistance(channelGraph(a, shape), channelGraph(b, shape), { seed: 1 });
    expect(Math.abs(far.estimate - 0.2)).toBeLessThan(0.03);
    const near = cutDistance(channelGraph(a, shape), channelGraph(c, shape), { seed: 1 });
    // Entries average 9 Bernoulli draws; the cut norm of the noise is O(1/√(48·9)) ≈ 0.05 at most.
    expect(near.estimate).toBeLessThan(0.05);
  });

  test('kernel graphs are masks: the same distances on out × in·kh·kw', () => {
    const far = cutDistance(kernelGraph(a, shape), kernelGraph(b, shape), { seed: 1 });
    expect(Math.abs(far.estimate - 0.2)).toBeLessThan(0.03);
  });
});
