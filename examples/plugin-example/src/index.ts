/**
 * A complete gradient-based pruner plugin: **gradient magnitude** saliency,
 *
 *     s_ji = mean over batches b of |∂L_b/∂w_ji|      (gradients of the masked network when a mask is given)
 *
 * the "GradNorm" baseline of the pruning-at-initialisation literature (SNIP without its |w| factor). It uses
 * only public APIs: `definePlugin` from `@graphon-pai/core`, exact gradients (`lossGradients`) from
 * `@graphon-pai/nets`, and the context helpers of `@graphon-pai/saliency` (`checkContext` validates the
 * network, `contextBatches` the data, `contextLoss` the loss, `readOptions` the options). These three
 * packages are peer dependencies: the CLI that loads the plugin provides its own copies.
 *
 * Use: `graphon-pai --plugin graphon-pai-plugin-example prune --criterion example/grad-norm …`
 * (this file is shown as written in the docs' plugin guide, and compiled with `module: NodeNext`).
 */
import { definePlugin, PLUGIN_API_VERSION, type ScoreMap } from '@graphon-pai/core';
import { lossGradients } from '@graphon-pai/nets';
import {
  type CriterionContext,
  checkContext,
  contextBatches,
  contextLoss,
  readOptions,
} from '@graphon-pai/saliency';

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
