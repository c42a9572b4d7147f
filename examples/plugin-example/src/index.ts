/**
 * An example third-party pruner plugin: **gradient magnitude** saliency.
 *
 *     s_ji = |∂L/∂w_ji| · M_ji     (averaged over the given batches)
 *
 * the "GradNorm" baseline of the PaI literature (scores by the size of the gradient alone, without SNIP's
 * |w| factor). It is written the way a stranger would write a plugin: only the public APIs of
 * `@graphon-pai/core` (definePlugin), `@graphon-pai/nets` (exact gradients) and `@graphon-pai/saliency`
 * (the criterion context and its validators).
 *
 * Use: `graphon-pai --plugin graphon-pai-plugin-example prune --criterion example/grad-norm …`
 */
import { definePlugin, PLUGIN_API_VERSION, type ScoreMap } from '@graphon-pai/core';
import { lossGradients } from '@graphon-pai/nets';
import { type CriterionContext, checkContext, contextBatches, contextLoss, readOptions } from '@graphon-pai/saliency';

export const plugin = definePlugin({
  meta: {
    name: 'graphon-pai-plugin-example',
    version: '0.1.0',
    namespace: 'example',
    description: 'Example plugin: gradient-magnitude saliency',
  },
  apiVersion: PLUGIN_API_VERSION,
  criteria: {
    'grad-norm': {
      description: 'Gradient magnitude |dL/dw| (GradNorm baseline), averaged over batches',
      needsData: true,
      acceptsMask: true,
      score(ctx: CriterionContext): ScoreMap {
        const network = checkContext(ctx, 'example/grad-norm');
        readOptions(ctx, 'example/grad-norm', {});
        const batches = contextBatches(ctx, 'example/grad-norm');
        const loss = contextLoss(ctx);
        const sums = network.layers.map((l) => new Float64Array(l.shape.rows * l.shape.cols));
        for (const batch of batches) {
          const g = lossGradients(network, batch, { loss, mask: ctx.mask });
          g.weights.forEach((w, l) => {
            for (let q = 0; q < w.length; q++) sums[l][q] += Math.abs(w[q]);
          });
        }
        const out: ScoreMap = new Map();
        network.layers.forEach((layer, l) => {
          out.set(layer.weightName, {
            shape: layer.shape,
            scores: Float32Array.from(sums[l], (s) => s / batches.length),
          });
        });
        return out;
      },
    },
  },
});

export default plugin;
