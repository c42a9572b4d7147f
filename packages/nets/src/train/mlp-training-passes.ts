/**
 * The exact forward and backward passes of an MLP for training, on host float32 arrays with every product on
 * `@graphon-pai/linalg`'s GEMM provider and every element-wise step (bias and ReLU, ReLU derivative, bias
 * gradient) one pass of a WebAssembly SIMD kernel (`train-kernels.ts`) — the same arithmetic as `passes.ts`
 * (which runs on tfjs tensors for the criteria), without per-operation dispatch or fresh arrays: the
 * workspace is allocated once for the largest batch and reused.
 *
 * Notation of `mlp.ts` (layer `l = 0…L−1`, weights already masked by the trainer):
 *
 *     forward:   z_l = s_l · a_{l−1} Wᵀ + β_l b_l,   a_l = σ(z_l) (hidden; stored in place of z_l),   logits z_{L−1}
 *     backward:  δ_{L−1} = ∂L/∂z_{L−1} (`host-loss.ts`),
 *                ∂L/∂W_l = s_l δ_lᵀ a_{l−1},   ∂L/∂b_l = β_l Σ_n δ_l,   δ_{l−1} = (s_l δ_l W_l) ⊙ σ'(z_{l−1})
 *
 * with σ' read from the stored activation (ReLU: `a > 0`, the kink's derivative taken as 0; tanh: `1 − a²`).
 * Three products per layer (two for the first): forward `NT`, weight gradient `TN`, input gradient `NN`.
 *
 * @example
 * const passes = new MlpTrainingPasses(net);
 * const { loss } = passes.forward({ weights, biases }, batch, 'cross-entropy');
 * passes.backward(gradients);   // gradients.weights[l] ← ∂L/∂W_l (rows × cols), gradients.biases[l] ← ∂L/∂b_l
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { gemm } from '@graphon-pai/linalg';
import type { Batch } from '../data/batch';
import type { LossName } from '../losses';
import type { DenseLayer, Mlp } from '../mlp';
import { hostLoss } from './host-loss';
import { createKernelArena } from './train-kernels';
import type { HostParameters, TrainingPasses } from './trainer';

// Module-local alias: inside vm contexts (jest) a global lookup per element costs more than the arithmetic.
const { tanh } = Math;

/** Rows of the workspace: grown to the largest batch seen. Arrays of the kernel arena. */
interface Workspace {
  rows: number;
  /** a_l (hidden layers) or z_{L−1} (output), `rows × out_l`. */
  activations: Float32Array[];
  /** δ_l, `rows × out_l`. */
  deltas: Float32Array[];
  /** β_l b_l of the current forward pass (zeros without bias). */
  biases: Float32Array[];
  /** Σ_n δ_l before the scale β_l, the widest layer's size. */
  sums: Float32Array;
}

export class MlpTrainingPasses implements TrainingPasses {
  readonly evaluationChunk = 1000;
  private readonly layers: readonly DenseLayer[];
  private readonly arena = createKernelArena();
  private work: Workspace | null = null;
  /** The last forward pass: its parameters, inputs and row count. */
  private last: { params: HostParameters; inputs: Float32Array; count: number } | null = null;

  constructor(net: Mlp) {
    this.layers = net.layers;
  }

  forward(params: HostParameters, batch: Batch, loss: LossName): { loss: number; logits: Float32Array } {
    const count = batch.count;
    const work = this.workspace(count);
    const L = this.layers.length;
    let input = batch.inputs;
    for (let l = 0; l < L; l++) {
      const layer = this.layers[l];
      const { rows, cols } = layer.shape;
      const z = work.activations[l].subarray(0, count * rows);
      gemm(false, true, count, rows, cols, layer.weightScale, input, params.weights[l], 0, z);
      const b = params.biases[l];
      const staged = work.biases[l];
      if (b) for (let j = 0; j < rows; j++) staged[j] = layer.biasScale * b[j];
      const relu = layer.activation === 'relu';
      if (b || relu) this.arena.biasAdd(z, count, rows, staged, relu);
      if (layer.activation === 'tanh') for (let i = 0; i < z.length; i++) z[i] = tanh(z[i]);
      input = z;
    }
    const outputs = this.layers[L - 1].shape.rows;
    const value = hostLoss(loss, input, batch, outputs, work.deltas[L - 1]);
    this.last = { params, inputs: batch.inputs, count };
    return { loss: value, logits: input };
  }

  backward(into: HostParameters): void {
    const { last, work } = this;
    if (!last || !work) {
      throw new InvalidArgumentError('backward()', 'a call before any forward pass', 'a forward pass first');
    }
    const { params, inputs, count } = last;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const { rows, cols } = layer.shape;
      const delta = work.deltas[l].subarray(0, count * rows);
      const input = l === 0 ? inputs : work.activations[l - 1].subarray(0, count * cols);
      gemm(true, false, rows, cols, count, layer.weightScale, delta, input, 0, into.weights[l]);
      const gb = into.biases[l];
      if (gb) {
        this.arena.columnSums(delta, count, rows, work.sums);
        for (let j = 0; j < rows; j++) gb[j] = layer.biasScale * work.sums[j];
      }
      if (l > 0) {
        const next = work.deltas[l - 1].subarray(0, count * cols);
        gemm(false, false, count, cols, rows, layer.weightScale, delta, params.weights[l], 0, next);
        const activation = this.layers[l - 1].activation;
        if (activation === 'relu') this.arena.reluSlope(next, input);
        else if (activation === 'tanh')
          for (let i = 0; i < next.length; i++) next[i] *= 1 - input[i] * input[i];
      }
    }
  }

  /** The workspace for `count` rows (re-allocated, and the old one invalidated, when it grows). */
  private workspace(count: number): Workspace {
    if (this.work && count <= this.work.rows) return this.work;
    const widths = this.layers.map((l) => l.shape.rows);
    const arrays = this.arena.allocate([
      ...widths.map((w) => count * w),
      ...widths.map((w) => count * w),
      ...widths,
      Math.max(...widths),
    ]);
    const L = widths.length;
    this.work = {
      rows: count,
      activations: arrays.slice(0, L),
      deltas: arrays.slice(L, 2 * L),
      biases: arrays.slice(2 * L, 3 * L),
      sums: arrays[3 * L],
    };
    this.last = null;
    return this.work;
  }
}
