/**
 * Mini-batch training under a fixed mask, for any network: the trainer core that `MaskedTrainer` (MLPs)
 * and `ConvTrainer` (conv networks) share. The architecture enters only through its exact passes
 * ({@link TrainingPasses}); everything else — parameters, optimiser state, steps, epochs, evaluation — is
 * here, on float32 arrays in one kernel arena (a WebAssembly memory, `train-kernels.ts`). One step is
 *
 *     (L, z) = forward(W, b, batch),   (∂L/∂Ŵ, ∂L/∂b) = backward()            (the architecture's passes)
 *     W ← update(W, ∂L/∂Ŵ ⊙ M),  b ← update(b, ∂L/∂b)                        (`optimizers.ts`, fused, in place)
 *
 * The trainer copies the network's parameters and zeroes the pruned weights (`W ← W ⊙ M`, 1 = kept), so the
 * effective weights equal the stored ones and the passes need no mask; the update visits only kept weights,
 * so pruned weights, their gradients (unused) and their optimiser state stay exactly zero. Epochs follow
 * `epoch.ts` (seeded shuffle, smaller last batch, per-step schedule). The same seed, network, mask and data
 * give bit-identical parameters on the same machine and GEMM provider. A non-finite loss applies no update:
 * `step` throws a `NumericalError`, an epoch names the epoch and step.
 *
 * Complexity per step: one forward and one backward pass (≈ 3 × the forward's multiply-adds) plus one pass
 * over the kept parameters. Memory: the parameters, a gradient slot and 0–2 optimiser buffers each, and the
 * passes' workspace.
 *
 * @example
 * // A subclass supplies the passes: MaskedTrainer (MLPs) and ConvTrainer (conv networks).
 * const trainer: Trainer = new MaskedTrainer(net, { learningRate: 0.1, mask });
 * const { loss, accuracy } = trainer.step(batch, 0.1);
 */
import { InvalidArgumentError, NumericalError } from '@graphon-pai/core';
import type { Batch } from '../data/batch';
import type { LossName } from '../losses';
import type { LayerParameters } from '../mlp';
import { checkNetworkBatch, type Network } from '../network';
import { DIVERGED_FIX, type Evaluation, runEpoch, type StepReport } from './epoch';
import { optimizerBuffers, optimizerStep, type ParameterState, parameterStates } from './optimizers';
import { createKernelArena, type KernelArena } from './train-kernels';
import {
  checkTrainingLabels,
  resolveTrainerSettings,
  type TrainerOptions,
  type TrainerSettings,
} from './trainer-settings';

/** Host parameters the passes run at: one weight (row-major, PyTorch layout) and bias (or null) per layer. */
export interface HostParameters {
  readonly weights: readonly Float32Array[];
  readonly biases: readonly (Float32Array | null)[];
}

/**
 * The architecture-specific part of a trainer: exact forward and backward passes at host parameters. Arrays
 * returned are owned by the passes and valid until their next call.
 */
export interface TrainingPasses {
  /** Rows per forward pass in {@link Trainer.evaluate}. */
  readonly evaluationChunk: number;
  /** Loss and logits (`count × outputs`) of a validated batch. */
  forward(params: HostParameters, batch: Batch, loss: LossName): { loss: number; logits: Float32Array };
  /** Writes `∂L/∂Ŵ` and `∂L/∂b` per layer of the last forward pass into `into`. */
  backward(into: HostParameters): void;
}

/** Index of the largest logit per row, compared with the labels: the number of correct predictions. */
function correctCount(logits: Float32Array, labels: Int32Array, classes: number): number {
  let correct = 0;
  for (let n = 0; n < labels.length; n++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (logits[n * classes + k] > logits[n * classes + best]) best = k;
    if (best === labels[n]) correct++;
  }
  return correct;
}

export class Trainer {
  /** The validated options (optimiser, schedule, learning rate, batch size, epochs, loss, seed). */
  readonly settings: TrainerSettings;
  /** Updates applied so far. */
  private updates = 0;
  private readonly weights: ParameterState[];
  private readonly biases: (ParameterState | null)[];
  /** The parameters and gradients as the passes see them. */
  private readonly params: HostParameters;
  private readonly gradients: HostParameters;
  /** Where the parameters, gradients and optimiser state live (WebAssembly memory when available). */
  private readonly arena: KernelArena;
  private readonly validated = new WeakSet<Batch>();
  private disposed = false;

  protected constructor(
    private readonly net: Network,
    private readonly passes: TrainingPasses,
    options: TrainerOptions,
  ) {
    this.settings = resolveTrainerSettings(options);
    if (options.mask) net.checkMask(options.mask, 'mask');
    const layers = net.layers;
    const biased = layers.filter((l) => net.bias(l.index));
    // Value, gradient, kept indices and buffers per entry: the arena's size at most.
    const entries = layers.reduce(
      (n, l) => n + l.shape.rows * (l.shape.cols + (net.bias(l.index) ? 1 : 0)),
      0,
    );
    this.arena = createKernelArena({ bytes: 4 * entries * (3 + optimizerBuffers(this.settings.optimizer)) });
    const states = parameterStates(
      this.settings.optimizer,
      [
        ...layers.map((l) => ({
          initial: net.weight(l.index),
          mask: options.mask?.get(l.weightName)?.toDense() ?? null,
        })),
        ...biased.map((l) => ({ initial: net.bias(l.index)!, mask: null })),
      ],
      this.arena,
    );
    this.weights = states.slice(0, layers.length);
    this.biases = layers.map((l) => {
      const k = biased.indexOf(l);
      return k >= 0 ? states[layers.length + k] : null;
    });
    this.params = {
      weights: this.weights.map((p) => p.value),
      biases: this.biases.map((p) => p?.value ?? null),
    };
    this.gradients = {
      weights: this.weights.map((p) => p.gradient),
      biases: this.biases.map((p) => p?.gradient ?? null),
    };
  }

  get outputSize(): number {
    return this.net.outputSize;
  }

  /** Steps per epoch on `count` examples. */
  stepsPerEpoch(count: number): number {
    return Math.ceil(count / this.settings.batchSize);
  }

  /** Updates applied so far (Adam's step count). */
  get updateCount(): number {
    return this.updates;
  }

  /**
   * One optimiser step on a batch at learning rate `learningRate`. Returns the batch's loss and accuracy
   * (before the update); a non-finite loss throws a `NumericalError` and leaves the parameters unchanged.
   */
  step(batch: Batch, learningRate: number): { loss: number; accuracy: number | null } {
    this.validate(batch, 'batch');
    const result = this.tryStep(batch, learningRate);
    if (!Number.isFinite(result.loss)) {
      throw new NumericalError(`the loss is ${result.loss} at update ${this.updates + 1}`, {
        fix: DIVERGED_FIX,
      });
    }
    return result;
  }

  /**
   * One epoch (0-based `epoch`, which fixes the shuffle and the schedule position) over `data`. Returns the
   * mean training loss and accuracy over the epoch's batches (weighted by batch size). A non-finite loss
   * throws a `NumericalError` naming the epoch and step (1-based).
   */
  epoch(data: Batch, epoch: number, onStep?: (report: StepReport) => void): Evaluation {
    this.checkAlive();
    this.validate(data, 'data');
    if (!(Number.isInteger(epoch) && epoch >= 0))
      throw new InvalidArgumentError('epoch', epoch, 'a non-negative integer');
    return runEpoch(
      data,
      epoch,
      this.settings,
      (batch, learningRate) => this.tryStep(batch, learningRate),
      onStep,
    );
  }

  /** Mean loss and accuracy of the current parameters on `data` (forward passes of a few hundred rows). */
  evaluate(data: Batch): Evaluation {
    this.checkAlive();
    this.validate(data, 'data');
    const f = data.features;
    const outputs = data.targets ? data.targets.length / data.count : 0;
    const chunkSize = this.passes.evaluationChunk;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.count; start += chunkSize) {
      const count = Math.min(chunkSize, data.count - start);
      const chunk: Batch = {
        inputs: data.inputs.subarray(start * f, (start + count) * f),
        count,
        features: f,
        labels: data.labels?.subarray(start, start + count),
        classes: data.classes,
        targets: data.targets?.subarray(start * outputs, (start + count) * outputs),
      };
      const { loss, logits } = this.passes.forward(this.params, chunk, this.settings.loss);
      lossSum += loss * count;
      if (chunk.labels) correct += correctCount(logits, chunk.labels, this.outputSize);
    }
    return {
      loss: lossSum / data.count,
      accuracy: data.labels ? correct / data.count : null,
      count: data.count,
    };
  }

  /** Host copies of the current parameters, one entry per weighted layer. */
  parameters(): LayerParameters[] {
    this.checkAlive();
    return this.weights.map((w, l) => ({
      weight: w.value.slice(),
      bias: this.biases[l]?.value.slice() ?? null,
    }));
  }

  /** Ends the trainer (its arrays are released with it). Idempotent. */
  dispose(): void {
    this.disposed = true;
  }

  /**
   * {@link step} for a validated batch, without the throw: a non-finite loss is returned and no update is
   * applied.
   */
  private tryStep(batch: Batch, learningRate: number): { loss: number; accuracy: number | null } {
    this.checkAlive();
    const { loss, logits } = this.passes.forward(this.params, batch, this.settings.loss);
    const accuracy = batch.labels ? correctCount(logits, batch.labels, this.outputSize) / batch.count : null;
    if (!Number.isFinite(loss)) return { loss, accuracy: null };
    this.passes.backward(this.gradients);
    const step = this.updates + 1;
    for (const p of [...this.weights, ...this.biases]) {
      if (p) optimizerStep(this.settings.optimizer, p, learningRate, step, this.arena);
    }
    this.updates = step;
    return { loss, accuracy };
  }

  /** Size, finiteness and label range of a data set, checked once per object. */
  private validate(data: Batch, argument: string): void {
    if (this.validated.has(data)) return;
    checkNetworkBatch(this.net, data, argument);
    checkTrainingLabels(data, this.outputSize);
    this.validated.add(data);
  }

  private checkAlive(): void {
    if (this.disposed) {
      throw new InvalidArgumentError('trainer', `a disposed ${this.constructor.name}`, 'a live trainer', {
        fix: 'do not use a trainer after dispose()',
      });
    }
  }
}
