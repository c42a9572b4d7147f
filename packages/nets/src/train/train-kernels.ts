/**
 * The element-wise kernels of a training step, run where they are fast: on WebAssembly SIMD (`f32x4`,
 * `train-kernels.wat`) over arrays held in the kernels' own linear memory, or — where WebAssembly SIMD is
 * missing — as plain JavaScript loops over ordinary arrays. Both compute, in float32,
 *
 *     biasAdd:      z[r, j] ← z[r, j] + b[j]        (relu: ← max(z[r, j] + b[j], 0), NaN kept)
 *     reluSlope:    g[i] ← a[i] > 0 ? g[i] : 0      (the ReLU derivative read from a = max(z, 0))
 *     columnSums:   out[j] ← Σ_r x[r, j]
 *     sgd / adam:   the fused masked updates of `optimizers.ts` on a `ParameterState` (over its kept entries)
 *
 * An arena hands out its arrays in one {@link KernelArena.allocate} call; a later call may move the memory
 * and so invalidates every array the arena returned before (callers re-allocate their whole workspace).
 * Kernels accept only arrays of their own arena (the WebAssembly kernels address them by byte offset).
 *
 * Why: a JavaScript loop costs 2–7 ns per element here (branch mispredictions on random signs, no SIMD),
 * 10–30× numpy's vectorised passes; the element-wise work of a 784-1024-1024-10 step then cost as much as
 * its products.
 *
 * @example
 * const arena = createKernelArena();
 * const [z, b] = arena.allocate([2 * 3, 3]);
 * arena.biasAdd(z, 2, 3, b, true);
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { type WasmInstance, type WasmSimdModule, wasmSimdModule } from '@graphon-pai/linalg';
import type { ParameterState } from './optimizers';
import { TRAIN_KERNELS_WASM_BASE64 } from './train-kernels-wasm';

/** Adam's constants for one step t: `lr` = η / (1 − β₁ᵗ), `root` = √(1 − β₂ᵗ). */
export interface AdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  root: number;
  epsilon: number;
  weightDecay: number;
}

export interface KernelArena {
  /** Whether the kernels run on WebAssembly SIMD. */
  readonly simd: boolean;
  /** Fresh zeroed float32 arrays of the given lengths; invalidates every array allocated before. */
  allocate(lengths: readonly number[]): Float32Array[];
  biasAdd(z: Float32Array, rows: number, width: number, bias: Float32Array, relu: boolean): void;
  reluSlope(g: Float32Array, a: Float32Array): void;
  columnSums(x: Float32Array, rows: number, width: number, out: Float32Array): void;
  /** SGD with momentum μ (buffer 0; none for μ = 0) and weight decay λ on a parameter of this arena. */
  sgd(p: ParameterState, lr: number, mu: number, wd: number): void;
  /** Adam (buffers m, v) on a parameter of this arena. */
  adam(p: ParameterState, s: AdamStep): void;
}

/** Largest arena held in one WebAssembly memory (32-bit addresses); larger ones use JavaScript loops. */
export const WASM_ARENA_MAX_BYTES = 2 ** 31;

/**
 * An arena on WebAssembly SIMD when the runtime has it (and `bytes`, the expected size, fits in one
 * WebAssembly memory), else on JavaScript loops. `simd: false` forces the JavaScript loops.
 */
export function createKernelArena(options: { simd?: boolean; bytes?: number } = {}): KernelArena {
  const fits = (options.bytes ?? 0) <= WASM_ARENA_MAX_BYTES;
  const module = options.simd === false || !fits ? null : compiledKernels();
  return module ? new WasmArena(module) : new JsArena();
}

const compiledKernels = wasmSimdModule(TRAIN_KERNELS_WASM_BASE64);

const align16 = (bytes: number) => Math.ceil(bytes / 16) * 16;

type Fn = (...args: number[]) => void;

class WasmArena implements KernelArena {
  readonly simd = true;
  private readonly instance: WasmInstance;
  private readonly fn: Record<string, Fn>;

  constructor(module: WasmSimdModule) {
    this.instance = module.instantiate();
    this.fn = this.instance.exports as Record<string, Fn>;
  }

  allocate(lengths: readonly number[]): Float32Array[] {
    const offsets: number[] = [];
    let top = 0;
    for (const n of lengths) {
      offsets.push(top);
      top = align16(top + 4 * n);
    }
    const buffer = this.instance.reserve(top);
    new Uint8Array(buffer, 0, top).fill(0);
    return lengths.map((n, i) => new Float32Array(buffer, offsets[i], n));
  }

  biasAdd(z: Float32Array, rows: number, width: number, bias: Float32Array, relu: boolean): void {
    this.fn[relu ? 'bias_relu' : 'bias_add'](this.at(z), rows, width, this.at(bias));
  }

  reluSlope(g: Float32Array, a: Float32Array): void {
    this.fn.relu_slope(this.at(g), this.at(a), g.length);
  }

  columnSums(x: Float32Array, rows: number, width: number, out: Float32Array): void {
    this.fn.column_sums(this.at(x), rows, width, this.at(out));
  }

  sgd(p: ParameterState, lr: number, mu: number, wd: number): void {
    const { value: w, gradient: g, kept } = p;
    const b = this.at(p.buffers[0] ?? g);
    if (kept) this.fn.sgd_kept(this.at(w), this.at(g), b, this.at(kept), kept.length, lr, mu, wd);
    else this.fn.sgd(this.at(w), this.at(g), b, w.length, lr, mu, wd);
  }

  adam(p: ParameterState, s: AdamStep): void {
    const { value: w, gradient: g, kept } = p;
    const [m, v] = p.buffers.map((x) => this.at(x));
    const constants = [s.lr, s.beta1, 1 - s.beta1, s.beta2, 1 - s.beta2, s.root, s.epsilon, s.weightDecay];
    if (kept) this.fn.adam_kept(this.at(w), this.at(g), m, v, this.at(kept), kept.length, ...constants);
    else this.fn.adam(this.at(w), this.at(g), m, v, w.length, ...constants);
  }

  /** Byte offset of an array of this arena. */
  private at(a: Float32Array | Int32Array): number {
    if (a.buffer !== this.instance.memory.buffer) {
      throw new InvalidArgumentError(
        'array',
        'an array outside this kernel arena',
        'an array of its latest allocate()',
        {
          fix: 're-allocate the workspace after a later allocate() call moved the memory',
        },
      );
    }
    return a.byteOffset;
  }
}

// Module-local aliases: inside vm contexts (jest) a global lookup per element costs more than the arithmetic.
const { sqrt } = Math;

/** The same kernels as JavaScript loops (float64 arithmetic per element, stored as float32). */
class JsArena implements KernelArena {
  readonly simd = false;

  allocate(lengths: readonly number[]): Float32Array[] {
    return lengths.map((n) => new Float32Array(n));
  }

  biasAdd(z: Float32Array, rows: number, width: number, bias: Float32Array, relu: boolean): void {
    for (let r = 0; r < rows; r++) {
      const row = r * width;
      for (let j = 0; j < width; j++) {
        const v = z[row + j] + bias[j];
        z[row + j] = relu && v < 0 ? 0 : v;
      }
    }
  }

  reluSlope(g: Float32Array, a: Float32Array): void {
    for (let i = 0; i < g.length; i++) if (!(a[i] > 0)) g[i] = 0;
  }

  columnSums(x: Float32Array, rows: number, width: number, out: Float32Array): void {
    out.fill(0, 0, width);
    for (let r = 0; r < rows; r++) for (let j = 0; j < width; j++) out[j] += x[r * width + j];
  }

  sgd(p: ParameterState, lr: number, mu: number, wd: number): void {
    const { value: w, gradient: g, kept } = p;
    const b = p.buffers[0] ?? g;
    const n = kept ? kept.length : w.length;
    for (let j = 0; j < n; j++) {
      const i = kept ? kept[j] : j;
      b[i] = mu * b[i] + (g[i] + wd * w[i]);
      w[i] -= lr * b[i];
    }
  }

  adam(p: ParameterState, s: AdamStep): void {
    const { value: w, gradient: g, kept } = p;
    const [m, v] = p.buffers;
    const n = kept ? kept.length : w.length;
    for (let j = 0; j < n; j++) {
      const i = kept ? kept[j] : j;
      const d = g[i] + s.weightDecay * w[i];
      m[i] = s.beta1 * m[i] + (1 - s.beta1) * d;
      v[i] = s.beta2 * v[i] + (1 - s.beta2) * d * d;
      w[i] -= (s.lr * m[i]) / (sqrt(v[i]) / s.root + s.epsilon);
    }
  }
}
