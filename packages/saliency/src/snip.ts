/**
 * `snip`: connection sensitivity (Lee, Ajanthan, Torr, ICLR 2019, arXiv 1810.02340).
 *
 *     s_ji = | w_ji · ∂L/∂w_ji |  =  | ∂L/∂c_ji |  at c = 1   (c: a multiplicative mask variable)
 *
 * computed exactly by the explicit backward pass of `@graphon-pai/nets`. `L` is the mean loss of each batch
 * (`ctx.loss`, default softmax cross-entropy); with several batches the gradients are **averaged** over
 * batches before the absolute value (the published method uses one batch; accumulating gradients over
 * batches as in Tanaka et al.'s reference code gives the same ranking). With a current mask the network is
 * scored masked (`w ⊙ M`), so pruned weights score 0.
 *
 * Options: `normalize` (default false) divides every score by the sum of all scores, as in the published
 * code (ranking unchanged).
 *
 * FSM view (docs: concepts/factorised-saliency-model): one hidden layer `f(x) = Σ_j a_j σ(w_j·x)`: `∂L/∂w_ji = a_j E[r σ'(z_j) x_i]`,
 * so `A_j ≈ |a_j| c_j`, `B_i ≈ |E[r σ' x_i]|`, `ξ = |w_ji|`: heterogeneous, feature-selecting (see `fsm.ts`).
 * Needs data; accepts the mask. Complexity: one forward and one backward pass per batch.
 *
 * @example
 * const scores = snipScores(net, await mnistSubset({ count: 256, seed: 0 }));
 */
import * as tf from '@tensorflow/tfjs-core';
import type { CriterionSpec, NetworkMask, ScoreMap } from '@graphon-pai/core';
import {
  type Batch,
  backwardTape,
  ConvNet,
  forwardTape,
  type LossName,
  type Mlp,
  type Network,
  tidy,
} from '@graphon-pai/nets';
import { type CriterionContext, checkContext, contextBatches, contextLoss, normalizeBySum } from './context';
import { convSnipScores } from './conv-scores';
import { readSnipOptions } from './criterion-options';

export interface SnipOptions {
  loss?: LossName;
  mask?: NetworkMask;
  normalize?: boolean;
}

/** Averaged effective-weight gradients ∂L/∂Ŵ over batches, as tensors (call inside a tidy). */
export function averagedGradients(
  network: Mlp,
  batches: readonly Batch[],
  loss: LossName,
  mask: NetworkMask | undefined,
  temperature = 1,
): tf.Tensor2D[] {
  let sum: tf.Tensor2D[] | null = null;
  for (const batch of batches) {
    const tape = forwardTape(network, batch, { loss, mask, temperature });
    const g = backwardTape(tape).effective;
    sum = sum ? sum.map((s, l) => tf.add(s, g[l]) as tf.Tensor2D) : g;
  }
  return batches.length === 1 ? sum! : sum!.map((s) => tf.div(s, batches.length) as tf.Tensor2D);
}

export function snipScores(
  network: Network,
  data: Batch | readonly Batch[],
  options: SnipOptions = {},
): ScoreMap {
  const batches = Array.isArray(data) ? (data as readonly Batch[]) : [data as Batch];
  if (network instanceof ConvNet) {
    const out = convSnipScores(network, batches, {
      loss: options.loss ?? 'cross-entropy',
      mask: options.mask,
    });
    if (options.normalize) normalizeBySum(out);
    return out;
  }
  const tensors = tidy(() => {
    const grads = averagedGradients(network, batches, options.loss ?? 'cross-entropy', options.mask);
    return grads.map((g, l) => {
      const m = options.mask?.get(network.layers[l].weightName);
      // |Ŵ ⊙ ∂L/∂Ŵ| with Ŵ = W ⊙ M; ∂L/∂Ŵ is already the gradient of the masked network.
      const w = network.weightTensor(l);
      const prod = tf.abs(tf.mul(w, g));
      return m ? tf.mul(prod, tf.tensor2d(Float32Array.from(m.toDense()), [m.rows, m.cols])) : prod;
    });
  });
  const out: ScoreMap = new Map();
  network.layers.forEach((layer, l) => {
    out.set(layer.weightName, { shape: layer.shape, scores: tensors[l].dataSync() as Float32Array });
  });
  tf.dispose(tensors);
  if (options.normalize) normalizeBySum(out);
  return out;
}

export const snipCriterion: CriterionSpec<CriterionContext<Network>> = {
  description: 'SNIP: |w ⊙ ∂L/∂w| (connection sensitivity, Lee et al. 2019)',
  needsData: true,
  acceptsMask: true,
  defaultSchedule: { kind: 'one-shot' },
  score(ctx) {
    const net = checkContext(ctx, 'snip');
    const { normalize } = readSnipOptions(ctx);
    return snipScores(net, contextBatches(ctx, 'snip'), {
      loss: contextLoss(ctx),
      mask: ctx.mask,
      normalize,
    });
  },
};
