/**
 * The training losses on host logits (`count × outputs`, row-major float32), with `∂L/∂z` written into a
 * caller's buffer: the same definitions as `losses.ts` (temperature 1), without a tensor round trip.
 *
 *     cross-entropy:  L = −(1/m) Σ_n log softmax(z_n)_{y_n},      ∂L/∂z = (softmax(z) − Y) / m
 *     mse:            L = (1/(mK)) Σ (z − Y)²,                     ∂L/∂z = 2 (z − Y) / (mK)
 *
 * with `m` rows, `K` outputs and `Y` the one-hot labels (mse: the batch's `targets` when present). The
 * log-softmax is computed stably (`log Σ exp(z − max) + max`) and every sum accumulates in float64.
 *
 * @example
 * const grad = new Float32Array(2 * 3);
 * hostLoss('cross-entropy', Float32Array.of(0, 0, 0, 1, 2, 3), { labels: Int32Array.of(0, 2), count: 2 }, 3, grad);
 * // (log 3 + log(1 + e⁻¹ + e⁻²)) / 2 ≈ 0.7531
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import type { Batch } from '../data/batch';
import type { LossName } from '../losses';

// Module-local aliases: inside vm contexts (jest) a global lookup per element costs more than the arithmetic.
const { exp, log } = Math;

/**
 * The loss of `logits` on `batch` (labels checked in range by the caller), and `∂L/∂z` into `gradient`
 * (length ≥ count · outputs) unless it is null.
 */
export function hostLoss(
  loss: LossName,
  logits: Float32Array,
  batch: Pick<Batch, 'count' | 'labels' | 'targets'>,
  outputs: number,
  gradient: Float32Array | null,
): number {
  const m = batch.count;
  const { labels, targets } = batch;
  if (loss === 'mse' && targets) {
    if (targets.length !== m * outputs) {
      throw new InvalidArgumentError('batch.targets', targets, `count × outputs = ${m} × ${outputs} values`, {
        fix: 'give one target per network output, or use labels',
      });
    }
  } else if (!labels) {
    throw new InvalidArgumentError('batch.labels', undefined, `class ids for the '${loss}' loss`, {
      fix:
        loss === 'mse' ? 'give labels or targets' : 'give integer labels, or use the mse loss with targets',
    });
  }
  let total = 0;
  if (loss === 'cross-entropy') {
    for (let n = 0; n < m; n++) {
      const row = n * outputs;
      let max = logits[row];
      for (let k = 1; k < outputs; k++) if (logits[row + k] > max) max = logits[row + k];
      let sum = 0;
      for (let k = 0; k < outputs; k++) sum += exp(logits[row + k] - max);
      const y = labels![n];
      total += log(sum) + max - logits[row + y];
      if (gradient) {
        for (let k = 0; k < outputs; k++) {
          gradient[row + k] = (exp(logits[row + k] - max) / sum - (k === y ? 1 : 0)) / m;
        }
      }
    }
    return total / m;
  }
  const scale = 1 / (m * outputs);
  for (let n = 0; n < m; n++) {
    const row = n * outputs;
    for (let k = 0; k < outputs; k++) {
      const target = targets ? targets[row + k] : labels![n] === k ? 1 : 0;
      const diff = logits[row + k] - target;
      total += diff * diff;
      if (gradient) gradient[row + k] = 2 * diff * scale;
    }
  }
  return total * scale;
}
