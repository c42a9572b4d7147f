/**
 * Losses on the network output `z` (`count × outputs`) and their first and directional second derivatives.
 *
 * - `cross-entropy` (softmax cross-entropy with temperature `T`, default 1, mean over the batch):
 *   `L = −(1/m) Σ_n log softmax(z_n / T)_{y_n}`, `∂L/∂z = (p − Y) / (m T)` with `p = softmax(z / T)`,
 *   and in a direction `ż`: `R{∂L/∂z} = (p ⊙ ż/T − p ⊙ ⟨p, ż/T⟩_row) / (m T)`.
 * - `mse` (PyTorch `MSELoss()`, mean over all `m · K` entries): `L = (1/(mK)) Σ (z − Y)²`,
 *   `∂L/∂z = 2(z − Y)/(mK)`, `R{∂L/∂z} = 2ż/(mK)`. `Y` = the batch's `targets`, else one-hot labels.
 *
 * Everything runs in tfjs float32 (log-softmax computed stably by tfjs). Callers wrap calls in `tf.tidy`.
 *
 * @example
 * const { loss, outputGradient } = lossAndOutputGradient('cross-entropy', z, batch, 1);
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@graphon-pai/core';
import type { Batch } from './data/batch';

export type LossName = 'cross-entropy' | 'mse';

export const LOSSES: readonly LossName[] = ['cross-entropy', 'mse'];

export function checkLoss(value: unknown, argument = 'loss'): LossName {
  if (!(LOSSES as readonly unknown[]).includes(value)) {
    throw new InvalidArgumentError(argument, value, "'cross-entropy' or 'mse'");
  }
  return value as LossName;
}

/** The target matrix Y (`count × outputs`) of a batch for a loss, validated against the output width. */
export function targetTensor(loss: LossName, batch: Batch, outputs: number): tf.Tensor2D {
  if (loss === 'mse' && batch.targets) {
    if (batch.targets.length !== batch.count * outputs) {
      throw new InvalidArgumentError(
        'batch.targets',
        batch.targets,
        `count × outputs = ${batch.count} × ${outputs} values`,
        {
          fix: 'give one target per network output, or use labels',
        },
      );
    }
    return tf.tensor2d(batch.targets, [batch.count, outputs]);
  }
  if (!batch.labels) {
    throw new InvalidArgumentError('batch.labels', undefined, `class ids for the '${loss}' loss`, {
      fix:
        loss === 'mse' ? 'give labels or targets' : 'give integer labels, or use the mse loss with targets',
    });
  }
  for (let i = 0; i < batch.count; i++) {
    const y = batch.labels[i];
    if (!(y >= 0 && y < outputs)) {
      throw new InvalidArgumentError(
        `batch.labels[${i}]`,
        y,
        `a class id in [0, ${outputs}) (the network has ${outputs} outputs)`,
        {
          fix: 'relabel the data or widen the output layer',
        },
      );
    }
  }
  return tf.cast(tf.oneHot(tf.tensor1d(batch.labels, 'int32'), outputs), 'float32') as tf.Tensor2D;
}

export interface LossResult {
  loss: tf.Scalar;
  /** ∂L/∂z. */
  outputGradient: tf.Tensor2D;
  /** Softmax probabilities p (cross-entropy only), reused by the R-operator. */
  probabilities: tf.Tensor2D | null;
}

/** Loss value and ∂L/∂z. Call inside `tf.tidy`. */
export function lossAndOutputGradient(
  loss: LossName,
  z: tf.Tensor2D,
  y: tf.Tensor2D,
  temperature: number,
): LossResult {
  const [m, k] = z.shape;
  if (loss === 'cross-entropy') {
    const scaled = temperature === 1 ? z : tf.div(z, temperature);
    const logp = tf.logSoftmax(scaled) as tf.Tensor2D;
    const value = tf.neg(tf.div(tf.sum(tf.mul(y, logp)), m)) as tf.Scalar;
    const p = tf.exp(logp) as tf.Tensor2D;
    return { loss: value, outputGradient: tf.div(tf.sub(p, y), m * temperature), probabilities: p };
  }
  const diff = tf.sub(z, y);
  return {
    loss: tf.div(tf.sum(tf.square(diff)), m * k) as tf.Scalar,
    outputGradient: tf.mul(diff, 2 / (m * k)),
    probabilities: null,
  };
}

/** R{∂L/∂z}: the derivative of ∂L/∂z in the output direction ż. Call inside `tf.tidy`. */
export function outputGradientDirectional(
  loss: LossName,
  result: LossResult,
  zDot: tf.Tensor2D,
  temperature: number,
): tf.Tensor2D {
  const [m, k] = zDot.shape;
  if (loss === 'cross-entropy') {
    const p = result.probabilities!;
    const pz = tf.mul(p, zDot);
    const inner = tf.sum(pz, 1, true);
    return tf.div(tf.sub(pz, tf.mul(p, inner)), m * temperature * temperature);
  }
  return tf.mul(zDot, 2 / (m * k));
}
