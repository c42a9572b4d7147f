/**
 * `magnitude`: weight magnitude at initialisation.
 *
 *     s_ji = |w_ji| · M_ji
 *
 * `w` is the trainable parameter (under the NTK parametrisation the N(0, 1) parameter, not the scaled weight),
 * `M` the current mask (1 without one). FSM view: `A ≡ B ≡ 1`, ξ = |w_ji|, limit `W ≡ p` (homogeneous).
 * Data-free; accepts the mask. Complexity O(#weights).
 *
 * @example
 * const scores = magnitudeScores(net);
 *
 * Reference: Han et al., "Learning both Weights and Connections", NeurIPS 2015 (arXiv 1506.02626);
 * Frankle et al., "Pruning Neural Networks at Initialization: Why are We Missing the Mark?", ICLR 2021 (arXiv 2009.08576).
 */
import type { CriterionSpec, NetworkMask, ScoreMap } from '@graphon-pai/core';
import type { Network } from '@graphon-pai/nets';
import { type CriterionContext, checkContext, readOptions } from './context';
import { zeroPruned } from './random';

export function magnitudeScores(network: Network, mask?: NetworkMask): ScoreMap {
  const out: ScoreMap = new Map();
  for (const layer of network.layers) {
    const w = network.weight(layer.index);
    const s = new Float32Array(w.length);
    for (let q = 0; q < w.length; q++) s[q] = Math.abs(w[q]);
    const m = mask?.get(layer.weightName);
    if (m) zeroPruned(s, m);
    out.set(layer.weightName, { shape: layer.shape, scores: s });
  }
  return out;
}

export const magnitudeCriterion: CriterionSpec<CriterionContext<Network>> = {
  description: 'Magnitude pruning: |w| at initialisation',
  needsData: false,
  acceptsMask: true,
  defaultSchedule: { kind: 'one-shot' },
  score(ctx) {
    const net = checkContext(ctx, 'magnitude');
    readOptions(ctx, 'magnitude', {});
    return magnitudeScores(net, ctx.mask);
  },
};
