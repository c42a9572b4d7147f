import { definePlugin, PLUGIN_API_VERSION, type ScoreMap } from '@graphon-pai/core';
import type { CriterionContext } from '@graphon-pai/saliency';

/**
 * `acme/row-relative`: a weight's magnitude relative to the total magnitude of its neuron's row,
 * s_ji = |w_ji| / Σ_i |w_ji|. Data-free, ignores the current mask, deterministic.
 */
export default definePlugin({
  meta: { name: 'graphon-pai-plugin-acme', version: '1.0.0', namespace: 'acme' },
  apiVersion: PLUGIN_API_VERSION,
  criteria: {
    'row-relative': {
      description: '|w| divided by the row sum of |w| (per output neuron)',
      needsData: false,
      acceptsMask: false,
      score(ctx: CriterionContext): ScoreMap {
        const out: ScoreMap = new Map();
        for (const layer of ctx.network.layers) {
          const { rows, cols } = layer.shape;
          const w = ctx.network.weight(layer.index); // row-major rows × cols, never mutated
          const scores = new Float32Array(w.length);
          for (let r = 0; r < rows; r++) {
            let sum = 0;
            for (let c = 0; c < cols; c++) sum += Math.abs(w[r * cols + c]);
            for (let c = 0; c < cols; c++) scores[r * cols + c] = sum > 0 ? Math.abs(w[r * cols + c]) / sum : 0;
          }
          out.set(layer.weightName, { shape: layer.shape, scores });
        }
        return out;
      },
    },
  },
});
