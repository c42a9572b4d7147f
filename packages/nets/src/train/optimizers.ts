/**
 * Masked optimiser updates, PyTorch semantics, fused: one pass over a parameter's float32 array, in place.
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
 * every step**: a pruned weight is zero to begin with ({@link parameterState} zeroes it), its direction `d`
 * is zero, hence so are its momentum / Adam moments and its update (Adam: `0 / (0 + ε) = 0`). The kernel
 * therefore visits only the kept entries (`ParameterState.kept`) and leaves the pruned ones, their gradient
 * entries unused and their buffers untouched at exactly zero.
 *
 * Each update is one loop over the kept entries that reads `w`, `g` and the buffers once and writes `w` and
 * the buffers once (instead of a chain of element-wise tensor operations); arithmetic per entry is in
 * float64, stored as float32.
 *
 * References: Kingma & Ba, "Adam", ICLR 2015 (arXiv 1412.6980); `torch.optim.SGD` / `torch.optim.Adam`.
 *
 * @example
 * const opt = resolveOptimizer({ kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 });
 * const w = parameterState(opt, Float32Array.of(0.5, -0.2, 0.1), Uint8Array.of(1, 0, 1));   // w = [0.5, 0, 0.1]
 * optimizerStep(opt, w, Float32Array.of(1, 1, 1), 0.1, 1);   // w.value ≈ [0.399975, 0, −0.000005]
 */
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

// Module-local alias: inside vm contexts (jest) a global lookup per element costs more than the arithmetic.
const { sqrt } = Math;

/** One trained parameter: its values, which of its entries train, and its optimiser buffers. */
export interface ParameterState {
  /** The parameter (float32), updated in place. */
  readonly value: Float32Array;
  /** Ascending indices of the kept (trained) entries, or null when every entry trains. */
  readonly kept: Int32Array | null;
  /** {@link optimizerBuffers} arrays of `value`'s length (momentum; Adam's m, v), zero at the start. */
  readonly buffers: readonly Float32Array[];
}

/**
 * The state of a parameter about to be trained: a copy of `initial` with the pruned entries (`mask[i] = 0`)
 * set to zero, the kept indices, and zeroed buffers. `mask` null: every entry trains.
 */
export function parameterState(
  opt: ResolvedOptimizer,
  initial: Float32Array,
  mask: ArrayLike<number> | null,
): ParameterState {
  const value = Float32Array.from(initial);
  let kept: Int32Array | null = null;
  if (mask) {
    let count = 0;
    for (let i = 0; i < value.length; i++) if (mask[i] !== 0) count++;
    kept = new Int32Array(count);
    let j = 0;
    for (let i = 0; i < value.length; i++) {
      if (mask[i] !== 0) kept[j++] = i;
      else value[i] = 0;
    }
  }
  const buffers = Array.from({ length: optimizerBuffers(opt) }, () => new Float32Array(value.length));
  return { value, kept, buffers };
}

/**
 * One update of one parameter (see the file header), in place over its kept entries. `gradient` is the
 * gradient with respect to the parameter as used (the effective weight `Ŵ = W ⊙ M`), of `value`'s length;
 * its pruned entries are ignored. `step` is the 1-based count of updates so far (Adam's bias correction).
 */
export function optimizerStep(
  opt: ResolvedOptimizer,
  p: ParameterState,
  gradient: Float32Array,
  learningRate: number,
  step: number,
): void {
  const { value: w, kept } = p;
  const n = kept ? kept.length : w.length;
  const wd = opt.weightDecay;
  const lr = learningRate;
  if (opt.kind === 'sgd') {
    const mu = opt.momentum;
    if (mu === 0) {
      for (let j = 0; j < n; j++) {
        const i = kept ? kept[j] : j;
        w[i] -= lr * (gradient[i] + wd * w[i]);
      }
      return;
    }
    const b = p.buffers[0];
    for (let j = 0; j < n; j++) {
      const i = kept ? kept[j] : j;
      const v = mu * b[i] + (gradient[i] + wd * w[i]);
      b[i] = v;
      w[i] -= lr * b[i];
    }
    return;
  }
  const [m, v] = p.buffers;
  const { beta1, beta2, epsilon } = opt;
  const stepSize = lr / (1 - beta1 ** step);
  const rootCorrection = sqrt(1 - beta2 ** step);
  for (let j = 0; j < n; j++) {
    const i = kept ? kept[j] : j;
    const d = gradient[i] + wd * w[i];
    m[i] = beta1 * m[i] + (1 - beta1) * d;
    v[i] = beta2 * v[i] + (1 - beta2) * d * d;
    w[i] -= (stepSize * m[i]) / (sqrt(v[i]) / rootCorrection + epsilon);
  }
}
