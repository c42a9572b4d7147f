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
 * the buffers once (instead of a chain of element-wise passes), in float32 on WebAssembly SIMD when the
 * states live in a kernel arena (`train-kernels.ts`), else in JavaScript (float64 per entry, stored as
 * float32).
 *
 * References: Kingma & Ba, "Adam", ICLR 2015 (arXiv 1412.6980); `torch.optim.SGD` / `torch.optim.Adam`.
 *
 * @example
 * const opt = resolveOptimizer({ kind: 'sgd', momentum: 0.9, weightDecay: 5e-4 });
 * const w = parameterState(opt, Float32Array.of(0.5, -0.2, 0.1), Uint8Array.of(1, 0, 1));   // w = [0.5, 0, 0.1]
 * w.gradient.fill(1);
 * optimizerStep(opt, w, 0.1, 1);   // w.value ≈ [0.399975, 0, −0.000005]
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { createKernelArena, type KernelArena } from './train-kernels';

/** The arena of states made without one: plain arrays and JavaScript loops. */
const plainArena = createKernelArena({ simd: false });

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

/** One trained parameter: its values, which of its entries train, its gradient slot and optimiser buffers. */
export interface ParameterState {
  /** The parameter (float32), updated in place. */
  readonly value: Float32Array;
  /** Ascending indices of the kept (trained) entries, or null when every entry trains. */
  readonly kept: Int32Array | null;
  /** Where the gradient with respect to the parameter as used (`Ŵ = W ⊙ M`) is written before a step. */
  readonly gradient: Float32Array;
  /** {@link optimizerBuffers} arrays of `value`'s length (momentum; Adam's m, v), zero at the start. */
  readonly buffers: readonly Float32Array[];
}

/**
 * The states of parameters about to be trained, allocated together in `arena` (default: plain arrays):
 * copies of the initial values with the pruned entries (`mask[i] = 0`) set to zero, the kept indices, a
 * gradient slot and zeroed buffers each. `mask` null: every entry trains.
 */
export function parameterStates(
  opt: ResolvedOptimizer,
  params: readonly { initial: Float32Array; mask: ArrayLike<number> | null }[],
  arena: KernelArena = plainArena,
): ParameterState[] {
  const nBuffers = optimizerBuffers(opt);
  const keptCounts = params.map(({ initial, mask }) => {
    if (!mask) return -1;
    let count = 0;
    for (let i = 0; i < initial.length; i++) if (mask[i] !== 0) count++;
    return count;
  });
  const lengths = params.flatMap(({ initial }, k) => [
    initial.length,
    initial.length,
    Math.max(0, keptCounts[k]),
    ...Array.from({ length: nBuffers }, () => initial.length),
  ]);
  const arrays = arena.allocate(lengths);
  let next = 0;
  return params.map(({ initial, mask }, k) => {
    const value = arrays[next++];
    const gradient = arrays[next++];
    const keptSlot = arrays[next++];
    const buffers = arrays.slice(next, next + nBuffers);
    next += nBuffers;
    value.set(initial);
    let kept: Int32Array | null = null;
    if (mask) {
      kept = new Int32Array(keptSlot.buffer, keptSlot.byteOffset, keptCounts[k]);
      let j = 0;
      for (let i = 0; i < value.length; i++) {
        if (mask[i] !== 0) kept[j++] = i;
        else value[i] = 0;
      }
    }
    return { value, kept, gradient, buffers };
  });
}

/** {@link parameterStates} for one parameter, on plain arrays. */
export function parameterState(
  opt: ResolvedOptimizer,
  initial: Float32Array,
  mask: ArrayLike<number> | null,
): ParameterState {
  return parameterStates(opt, [{ initial, mask }])[0];
}

/**
 * One update of one parameter (see the file header), in place over its kept entries, from the gradient in
 * `p.gradient` (its pruned entries are ignored). `step` is the 1-based count of updates so far (Adam's bias
 * correction). `arena`: the one `p` was allocated in (default: plain arrays).
 */
export function optimizerStep(
  opt: ResolvedOptimizer,
  p: ParameterState,
  learningRate: number,
  step: number,
  arena: KernelArena = plainArena,
): void {
  if (opt.kind === 'sgd') {
    arena.sgd(p, learningRate, opt.momentum, opt.weightDecay);
    return;
  }
  arena.adam(p, {
    lr: learningRate / (1 - opt.beta1 ** step),
    beta1: opt.beta1,
    beta2: opt.beta2,
    root: Math.sqrt(1 - opt.beta2 ** step),
    epsilon: opt.epsilon,
    weightDecay: opt.weightDecay,
  });
}
