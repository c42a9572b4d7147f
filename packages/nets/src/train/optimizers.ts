/**
 * Masked optimiser updates, PyTorch semantics, on tfjs tensors.
 *
 * With gradient `g`, parameter `w`, learning rate `η`, weight decay `λ` (L2, added to the gradient as
 * `torch.optim` does, on weights and biases alike) and mask `M` (weights only; 1 = kept):
 *
 *     d = (g + λ w) ⊙ M
 *     SGD (momentum μ, dampening 0, no Nesterov):  b ← μ b + d,   w ← w − η b        (μ = 0: w ← w − η d)
 *     Adam (β₁, β₂, ε; step t = 1, 2, …):          m ← β₁ m + (1 − β₁) d,   v ← β₂ v + (1 − β₂) d²,
 *                                                  w ← w − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 *
 * Buffers start at zero (so the first SGD step sets `b = d`, as PyTorch does). **The mask is enforced at
 * every step**: a pruned weight is zero to begin with ({@link MaskedTrainer} multiplies the initial weights by
 * the mask), its masked direction `d` is exactly zero, hence so are its momentum / Adam moments, and its
 * update is `0 − η·0 = 0` (Adam: `0 / (0 + ε) = 0`): pruned weights stay exactly zero.
 *
 * Every update is a handful of element-wise passes over the parameter (float32, tfjs). Call inside `tf.tidy`.
 *
 * References: Kingma & Ba, "Adam", ICLR 2015 (arXiv 1412.6980); `torch.optim.SGD` / `torch.optim.Adam`.
 *
 * @example
 * const opt = resolveOptimizer({ kind: 'adam' });   // β₁ 0.9, β₂ 0.999, ε 1e-8, λ 0
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@graphon-pai/core';

export type OptimizerName = 'sgd' | 'adam';

export const OPTIMIZERS: readonly OptimizerName[] = ['sgd', 'adam'];

export interface SgdOptions {
  kind: 'sgd';
  /** μ (default 0.9). */
  momentum?: number;
  /** λ (default 0). */
  weightDecay?: number;
}

export interface AdamOptions {
  kind: 'adam';
  /** β₁ (default 0.9). */
  beta1?: number;
  /** β₂ (default 0.999). */
  beta2?: number;
  /** ε (default 1e-8). */
  epsilon?: number;
  /** λ (default 0). */
  weightDecay?: number;
}

export type OptimizerOptions = SgdOptions | AdamOptions;

export type ResolvedOptimizer = Required<SgdOptions> | Required<AdamOptions>;

function checkUnit(name: string, v: number, open: boolean): number {
  if (!(Number.isFinite(v) && v >= 0 && (open ? v < 1 : v <= 1))) {
    throw new InvalidArgumentError(name, v, open ? 'a number in [0, 1)' : 'a number in [0, 1]');
  }
  return v;
}

/** Fills in the defaults and validates. Accepts `'sgd'` / `'adam'` for the defaults. */
export function resolveOptimizer(options: OptimizerOptions | OptimizerName = 'sgd'): ResolvedOptimizer {
  const o = typeof options === 'string' ? ({ kind: options } as OptimizerOptions) : options;
  if (typeof o !== 'object' || o === null || !OPTIMIZERS.includes(o.kind)) {
    throw new InvalidArgumentError('optimizer', options, "'sgd', 'adam' or { kind: 'sgd' | 'adam', … }");
  }
  const weightDecay = o.weightDecay ?? 0;
  if (!(Number.isFinite(weightDecay) && weightDecay >= 0)) {
    throw new InvalidArgumentError('optimizer.weightDecay', weightDecay, 'a finite non-negative number');
  }
  if (o.kind === 'sgd') {
    return { kind: 'sgd', momentum: checkUnit('optimizer.momentum', o.momentum ?? 0.9, true), weightDecay };
  }
  const epsilon = o.epsilon ?? 1e-8;
  if (!(Number.isFinite(epsilon) && epsilon > 0))
    throw new InvalidArgumentError('optimizer.epsilon', epsilon, 'a finite positive number');
  return {
    kind: 'adam',
    beta1: checkUnit('optimizer.beta1', o.beta1 ?? 0.9, true),
    beta2: checkUnit('optimizer.beta2', o.beta2 ?? 0.999, true),
    epsilon,
    weightDecay,
  };
}

/** Number of state buffers per parameter (momentum: 1, Adam: 2, plain SGD: 0). */
export function optimizerBuffers(opt: ResolvedOptimizer): number {
  return opt.kind === 'adam' ? 2 : opt.momentum > 0 ? 1 : 0;
}

/**
 * One update of one parameter. `step` is the 1-based count of updates so far (Adam's bias correction);
 * `mask` (0/1, same shape) or null. Returns the new value and buffers (the inputs are not disposed). Call
 * inside `tf.tidy`.
 */
export function optimizerUpdate(
  opt: ResolvedOptimizer,
  value: tf.Tensor,
  gradient: tf.Tensor,
  buffers: readonly tf.Tensor[],
  learningRate: number,
  step: number,
  mask: tf.Tensor | null,
): { value: tf.Tensor; buffers: tf.Tensor[] } {
  let d = opt.weightDecay > 0 ? tf.add(gradient, tf.mul(value, opt.weightDecay)) : gradient;
  if (mask) d = tf.mul(d, mask);
  if (opt.kind === 'sgd') {
    if (opt.momentum === 0) return { value: tf.sub(value, tf.mul(d, learningRate)), buffers: [] };
    const b = tf.add(tf.mul(buffers[0], opt.momentum), d);
    return { value: tf.sub(value, tf.mul(b, learningRate)), buffers: [b] };
  }
  const m = tf.add(tf.mul(buffers[0], opt.beta1), tf.mul(d, 1 - opt.beta1));
  const v = tf.add(tf.mul(buffers[1], opt.beta2), tf.mul(tf.square(d), 1 - opt.beta2));
  const bc1 = 1 - opt.beta1 ** step;
  const bc2 = 1 - opt.beta2 ** step;
  const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), opt.epsilon);
  return { value: tf.sub(value, tf.mul(tf.div(m, denom), learningRate / bc1)), buffers: [m, v] };
}
