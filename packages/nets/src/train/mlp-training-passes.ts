/**
 * The exact forward and backward passes of an MLP for training, on host float32 arrays with every product on
 * `@graphon-pai/linalg`'s GEMM provider and every element-wise step fused into one loop — the same
 * arithmetic as `passes.ts` (which runs on tfjs tensors for the criteria), without per-operation dispatch
 * or fresh arrays: the workspace is allocated once per batch size and reused.
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
 * const g = passes.backward();   // g.weights[l]: ∂L/∂W_l, rows × cols
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { gemm } from '@graphon-pai/linalg';
import type { Batch } from '../data/batch';
import type { LossName } from '../losses';
import type { DenseLayer, Mlp } from '../mlp';
import { hostLoss } from './host-loss';
import type { HostParameters, TrainingPasses } from './trainer';

// Module-local alias: inside vm contexts (jest) a global lookup per element costs more than the arithmetic.
const { tanh } = Math;

/** Rows of the workspace: grown to the largest batch seen. */
interface Workspace {
  rows: number;
  /** a_l (hidden layers) or z_{L−1} (output), `rows × out_l`. */
  activations: Float32Array[];
  /** δ_l, `rows × out_l`. */
  deltas: Float32Array[];
}

export class MlpTrainingPasses implements TrainingPasses {
  readonly evaluationChunk = 1000;
  private readonly layers: readonly DenseLayer[];
  private readonly weightGrads: Float32Array[];
  private readonly biasGrads: (Float32Array | null)[];
  private work: Workspace = { rows: 0, activations: [], deltas: [] };
  /** The last forward pass: its parameters, inputs and row count. */
  private last: { params: HostParameters; inputs: Float32Array; count: number } | null = null;

  constructor(net: Mlp) {
    this.layers = net.layers;
    this.weightGrads = net.layers.map((l) => new Float32Array(l.shape.rows * l.shape.cols));
    this.biasGrads = net.layers.map((l) => (l.biasName ? new Float32Array(l.shape.rows) : null));
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
      addBiasAndActivate(z, count, rows, params.biases[l], layer.biasScale, layer.activation);
      input = z;
    }
    const outputs = this.layers[L - 1].shape.rows;
    const value = hostLoss(loss, input, batch, outputs, work.deltas[L - 1]);
    this.last = { params, inputs: batch.inputs, count };
    return { loss: value, logits: input };
  }

  backward(): { weights: readonly Float32Array[]; biases: readonly (Float32Array | null)[] } {
    const last = this.last;
    if (!last) {
      throw new InvalidArgumentError('backward()', 'a call before any forward pass', 'a forward pass first');
    }
    const { params, inputs, count } = last;
    const work = this.work;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const layer = this.layers[l];
      const { rows, cols } = layer.shape;
      const delta = work.deltas[l].subarray(0, count * rows);
      const input = l === 0 ? inputs : work.activations[l - 1].subarray(0, count * cols);
      gemm(true, false, rows, cols, count, layer.weightScale, delta, input, 0, this.weightGrads[l]);
      const gb = this.biasGrads[l];
      if (gb) columnSums(delta, count, rows, layer.biasScale, gb);
      if (l > 0) {
        const next = work.deltas[l - 1].subarray(0, count * cols);
        gemm(false, false, count, cols, rows, layer.weightScale, delta, params.weights[l], 0, next);
        multiplyBySlope(next, input, this.layers[l - 1].activation);
      }
    }
    return { weights: this.weightGrads, biases: this.biasGrads };
  }

  private workspace(count: number): Workspace {
    if (count > this.work.rows) {
      const rows = count;
      this.work = {
        rows,
        activations: this.layers.map((l) => new Float32Array(rows * l.shape.rows)),
        deltas: this.layers.map((l) => new Float32Array(rows * l.shape.rows)),
      };
    }
    return this.work;
  }
}

/** z ← σ(z + β b) row by row (`count × width`), in place. */
function addBiasAndActivate(
  z: Float32Array,
  count: number,
  width: number,
  bias: Float32Array | null,
  biasScale: number,
  activation: DenseLayer['activation'],
): void {
  for (let n = 0; n < count; n++) {
    const row = n * width;
    if (bias) for (let j = 0; j < width; j++) z[row + j] += biasScale * bias[j];
    if (activation === 'relu') {
      // max(v, 0) with NaN kept (a diverged step must show as a NaN loss).
      for (let j = row; j < row + width; j++) if (z[j] < 0) z[j] = 0;
    } else if (activation === 'tanh') {
      for (let j = row; j < row + width; j++) z[j] = tanh(z[j]);
    }
  }
}

/** g ← g ⊙ σ'(z), with σ' read from the activation a = σ(z). */
function multiplyBySlope(g: Float32Array, a: Float32Array, activation: DenseLayer['activation']): void {
  if (activation === 'relu') {
    for (let i = 0; i < g.length; i++) if (!(a[i] > 0)) g[i] = 0;
  } else if (activation === 'tanh') {
    for (let i = 0; i < g.length; i++) g[i] *= 1 - a[i] * a[i];
  }
}

/** out_j = scale · Σ_n x[n, j] for a `count × width` matrix, accumulated in float64. */
function columnSums(x: Float32Array, count: number, width: number, scale: number, out: Float32Array): void {
  const acc = new Float64Array(width);
  for (let n = 0; n < count; n++) {
    const row = n * width;
    for (let j = 0; j < width; j++) acc[j] += x[row + j];
  }
  for (let j = 0; j < width; j++) out[j] = scale * acc[j];
}
