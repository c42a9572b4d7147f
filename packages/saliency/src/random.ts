/**
 * `random`: i.i.d. uniform scores — random pruning, the homogeneous baseline.
 *
 *     s_ji ~ U(0, 1]   independently,   s_ji = 0 where the current mask has pruned the weight
 *
 * Stream: layer `name` draws `rows · cols` uniforms (row-major) from `ctx.rng.fork(name)`, as `1 − u`, so the
 * scores depend only on the seed and the layer name. Keeping the top-k of i.i.d. scores is an exactly uniform
 * random mask of k weights. FSM view: `A ≡ B ≡ 1`, ξ uniform, limit graphon `W ≡ p`.
 * Data-free; accepts the mask. Complexity O(#weights).
 *
 * @example
 * const scores = randomScores(net, new Rng(0));
 *
 * Reference: Liu et al., "The Unreasonable Effectiveness of Random Pruning", ICLR 2022 (arXiv 2202.02643).
 */
import type { BitMatrix, CriterionSpec, NetworkMask, Rng, ScoreMap } from '@graphon-pai/core';
import type { Network } from '@graphon-pai/nets';
import { type CriterionContext, checkContext, readOptions } from './context';

export function randomScores(network: Network, rng: Rng, mask?: NetworkMask): ScoreMap {
  const out: ScoreMap = new Map();
  for (const layer of network.layers) {
    const n = layer.shape.rows * layer.shape.cols;
    const stream = rng.fork(layer.weightName);
    const s = new Float32Array(n);
    for (let q = 0; q < n; q++) s[q] = 1 - stream.uniform();
    const m = mask?.get(layer.weightName);
    if (m) zeroPruned(s, m);
    out.set(layer.weightName, { shape: layer.shape, scores: s });
  }
  return out;
}

/** Sets the scores of pruned weights to 0. */
export function zeroPruned(scores: Float32Array, mask: BitMatrix): void {
  const dense = mask.toDense();
  for (let q = 0; q < scores.length; q++) if (dense[q] === 0) scores[q] = 0;
}

export const randomCriterion: CriterionSpec<CriterionContext<Network>> = {
  description: 'Random pruning: i.i.d. uniform scores (homogeneous baseline)',
  needsData: false,
  acceptsMask: true,
  defaultSchedule: { kind: 'one-shot' },
  score(ctx) {
    const net = checkContext(ctx, 'random');
    readOptions(ctx, 'random', {});
    return randomScores(net, ctx.rng, ctx.mask);
  },
};
