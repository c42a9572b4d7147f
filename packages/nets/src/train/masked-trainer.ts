/**
 * Mini-batch training of an MLP under a fixed mask: the "train" half of pruning at initialisation.
 *
 * The trainer copies the network's parameters into its own tfjs tensors and multiplies each masked layer's
 * weights by its mask (`W ← W ⊙ M`, 1 = kept). One step on a batch is
 *
 *     (L, ∂L/∂Ŵ, ∂L/∂b) = backwardTape(forwardTape(W, b, batch))       (the exact passes of `passes.ts`)
 *     W ← update(W, ∂L/∂Ŵ ⊙ M),  b ← update(b, ∂L/∂b)                  (`optimizers.ts`, mask enforced)
 *
 * so pruned weights, their gradients and their optimiser state stay exactly zero. An epoch visits the
 * training examples in the order of a permutation drawn from `Rng(seed).fork('shuffle/<epoch>')` (epoch
 * 0-based), in batches of `batchSize` with a smaller last batch (PyTorch `DataLoader(shuffle=True)`,
 * `drop_last=False`); the learning rate follows the schedule per step (`schedules.ts`). The same seed,
 * network, mask and data give bit-identical parameters on the same machine and backend.
 *
 * A non-finite loss stops the epoch with a `NumericalError` naming the epoch and step (1-based); the
 * parameters are then left as they were before that step.
 *
 * Complexity per step: 3 products per layer (`Σ 6 · batch · out · in` flops) plus a few element-wise passes
 * over the parameters. Memory: the parameters, their gradients and 0–2 optimiser buffers.
 *
 * @example
 * const trainer = new MaskedTrainer(net, { learningRate: 0.1, optimizer: { kind: 'sgd', momentum: 0.9 }, mask });
 * trainer.epoch(train, 0);
 * const { accuracy } = trainer.evaluate(test);
 * const trained = trainer.toMlp();   // host copy, e.g. for saveMlpSafetensors
 * trainer.dispose();
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, type NetworkMask, NumericalError, type Seed } from '@graphon-pai/core';
import type { Batch } from '../data/batch';
import type { LossName } from '../losses';
import { checkNetworkMask, type DenseLayer, type LayerParameters, Mlp, type ResolvedMlpConfig } from '../mlp';
import { backwardTape, checkBatchForNetwork, forwardTapeUnchecked, type PassNetwork } from '../passes';
import { tidy } from '../tidy';
import {
  type OptimizerName,
  type OptimizerOptions,
  optimizerBuffers,
  optimizerUpdate,
  type ResolvedOptimizer,
} from './optimizers';
import { DIVERGED_FIX, type Evaluation, runEpoch, type StepReport } from './epoch';
import type { LearningRateSchedule } from './schedules';
import { checkTrainingLabels, resolveTrainerSettings } from './trainer-settings';

export type { Evaluation, StepReport };

export interface TrainerOptions {
  /** Base learning rate η. */
  learningRate: number;
  /** Default `{ kind: 'sgd', momentum: 0.9 }`. */
  optimizer?: OptimizerOptions | OptimizerName;
  /** Default `'constant'`. */
  schedule?: LearningRateSchedule | 'constant' | 'cosine';
  /** Examples per step (default 128). */
  batchSize?: number;
  /** Total epochs the schedule spans (default 1). */
  epochs?: number;
  /** Default `'cross-entropy'`. */
  loss?: LossName;
  /** Weights kept (1) or pruned (0), by weight name; layers absent from the map are dense. */
  mask?: NetworkMask;
  /** Seed of the shuffling (default 0). */
  seed?: Seed;
}

/** Rows evaluated per forward pass in {@link MaskedTrainer.evaluate}. */
const EVALUATION_CHUNK = 1000;

export class MaskedTrainer implements PassNetwork {
  readonly layers: readonly DenseLayer[];
  readonly config: ResolvedMlpConfig;
  readonly optimizer: ResolvedOptimizer;
  readonly schedule: LearningRateSchedule;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly loss: LossName;
  readonly seed: Seed;
  /** Updates applied so far. */
  private updates = 0;
  private weights: tf.Tensor2D[];
  private biases: (tf.Tensor1D | null)[];
  private readonly masks: (tf.Tensor2D | null)[];
  /** Optimiser buffers: per layer, the weight's then the bias's. */
  private buffers: tf.Tensor[][][];
  private readonly validated = new WeakSet<Batch>();
  private disposed = false;

  constructor(net: Mlp, options: TrainerOptions) {
    if (!(net instanceof Mlp)) throw new InvalidArgumentError('net', net, 'an Mlp');
    const settings = resolveTrainerSettings(options);
    this.optimizer = settings.optimizer;
    this.schedule = settings.schedule;
    this.loss = settings.loss;
    this.learningRate = settings.learningRate;
    this.batchSize = settings.batchSize;
    this.epochs = settings.epochs;
    this.seed = settings.seed;
    this.layers = net.layers;
    this.config = net.config;
    if (options.mask) checkNetworkMask(net.layers, options.mask, 'mask');
    const n = optimizerBuffers(this.optimizer);
    this.masks = [];
    this.weights = [];
    this.biases = [];
    this.buffers = [];
    for (const layer of net.layers) {
      const { rows, cols } = layer.shape;
      const m = options.mask?.get(layer.weightName);
      const mask = m ? tf.tensor2d(Float32Array.from(m.toDense()), [rows, cols]) : null;
      const w = tf.tensor2d(net.weight(layer.index), [rows, cols]);
      this.masks.push(mask);
      this.weights.push(mask ? tidy(() => tf.mul(w, mask) as tf.Tensor2D) : w);
      if (mask) w.dispose();
      const b = net.bias(layer.index);
      this.biases.push(b ? tf.tensor1d(b) : null);
      this.buffers.push([
        Array.from({ length: n }, () => tf.zeros([rows, cols])),
        b ? Array.from({ length: n }, () => tf.zeros([rows])) : [],
      ]);
    }
  }

  get inputSize(): number {
    return this.config.widths[0];
  }

  get outputSize(): number {
    return this.config.widths[this.config.widths.length - 1];
  }

  weightTensor(index: number): tf.Tensor2D {
    this.checkAlive();
    return this.weights[index];
  }

  biasTensor(index: number): tf.Tensor1D | null {
    this.checkAlive();
    return this.biases[index];
  }

  checkMask(mask: NetworkMask, argument = 'mask'): void {
    checkNetworkMask(this.layers, mask, argument);
  }

  /** Steps per epoch on `count` examples. */
  stepsPerEpoch(count: number): number {
    return Math.ceil(count / this.batchSize);
  }

  /**
   * One optimiser step on a batch at learning rate `learningRate`. Returns the batch's loss and accuracy; a
   * non-finite loss throws a `NumericalError` and leaves the parameters unchanged.
   */
  step(batch: Batch, learningRate: number): { loss: number; accuracy: number | null } {
    checkBatchForNetwork(this, batch);
    const result = this.tryStep(batch, learningRate);
    if (!Number.isFinite(result.loss)) {
      throw new NumericalError(`the loss is ${result.loss} at update ${this.updates + 1}`, {
        fix: DIVERGED_FIX,
      });
    }
    return result;
  }

  /**
   * {@link step} without the checks (the batch comes from a validated data set) and without the throw: a
   * non-finite loss is returned and no update is applied.
   */
  private tryStep(batch: Batch, learningRate: number): { loss: number; accuracy: number | null } {
    this.checkAlive();
    const step = this.updates + 1;
    const out = tidy(() => {
      const tape = forwardTapeUnchecked(this, batch, { loss: this.loss });
      const grads = backwardTape(tape);
      const weights: tf.Tensor2D[] = [];
      const biases: (tf.Tensor1D | null)[] = [];
      const buffers: tf.Tensor[][][] = [];
      this.layers.forEach((_, l) => {
        const [wBuf, bBuf] = this.buffers[l];
        const w = optimizerUpdate(
          this.optimizer,
          this.weights[l],
          grads.effective[l],
          wBuf,
          learningRate,
          step,
          this.masks[l],
        );
        weights.push(w.value as tf.Tensor2D);
        const b = this.biases[l];
        const ub = b
          ? optimizerUpdate(this.optimizer, b, grads.bias[l]!, bBuf, learningRate, step, null)
          : null;
        biases.push(ub ? (ub.value as tf.Tensor1D) : null);
        buffers.push([w.buffers, ub ? ub.buffers : []]);
      });
      const stats = [tape.result.loss];
      if (batch.labels) {
        const predicted = tf.argMax(tape.z[tape.z.length - 1], 1);
        stats.push(tf.sum(tf.cast(tf.equal(predicted, tf.tensor1d(batch.labels, 'int32')), 'float32')));
      }
      return { weights, biases, buffers, stats: tf.stack(stats) };
    });
    const stats = out.stats.dataSync();
    out.stats.dispose();
    if (!Number.isFinite(stats[0])) {
      tf.dispose([...out.weights, ...out.biases.filter((b) => b !== null), ...out.buffers.flat(2)]);
      return { loss: stats[0], accuracy: null };
    }
    tf.dispose([...this.weights, ...this.biases.filter((b) => b !== null), ...this.buffers.flat(2)]);
    this.weights = out.weights;
    this.biases = out.biases;
    this.buffers = out.buffers;
    this.updates = step;
    return { loss: stats[0], accuracy: batch.labels ? stats[1] / batch.count : null };
  }

  /**
   * One epoch (0-based `epoch`, which fixes the shuffle and the schedule position) over `data`. Returns the
   * mean training loss and accuracy over the epoch's batches (weighted by batch size). A non-finite loss
   * throws a `NumericalError` naming the epoch and step (1-based).
   */
  epoch(data: Batch, epoch: number, onStep?: (report: StepReport) => void): Evaluation {
    this.checkAlive();
    this.validate(data);
    if (!(Number.isInteger(epoch) && epoch >= 0))
      throw new InvalidArgumentError('epoch', epoch, 'a non-negative integer');
    return runEpoch(data, epoch, this, (batch, learningRate) => this.tryStep(batch, learningRate), onStep);
  }

  /** Mean loss and accuracy of the current parameters on `data` (forward passes of 1,000 rows). */
  evaluate(data: Batch): Evaluation {
    this.checkAlive();
    this.validate(data);
    const f = data.features;
    const outputs = data.targets ? data.targets.length / data.count : 0;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.count; start += EVALUATION_CHUNK) {
      const count = Math.min(EVALUATION_CHUNK, data.count - start);
      const chunk: Batch = {
        inputs: data.inputs.subarray(start * f, (start + count) * f),
        count,
        features: f,
        labels: data.labels?.subarray(start, start + count),
        classes: data.classes,
        targets: data.targets?.subarray(start * outputs, (start + count) * outputs),
      };
      const stats = tf.tidy(() => {
        const tape = forwardTapeUnchecked(this, chunk, { loss: this.loss });
        const parts = [tape.result.loss];
        if (chunk.labels) {
          const predicted = tf.argMax(tape.z[tape.z.length - 1], 1);
          parts.push(tf.sum(tf.cast(tf.equal(predicted, tf.tensor1d(chunk.labels, 'int32')), 'float32')));
        }
        return tf.stack(parts);
      });
      const values = stats.dataSync();
      stats.dispose();
      lossSum += values[0] * count;
      correct += values[1] ?? 0;
    }
    return {
      loss: lossSum / data.count,
      accuracy: data.labels ? correct / data.count : null,
      count: data.count,
    };
  }

  /** Updates applied so far (Adam's step count). */
  get updateCount(): number {
    return this.updates;
  }

  /** Host copies of the current parameters, one entry per layer. */
  parameters(): LayerParameters[] {
    this.checkAlive();
    return this.layers.map((_, l) => ({
      weight: Float32Array.from(this.weights[l].dataSync()),
      bias: this.biases[l] ? Float32Array.from(this.biases[l]!.dataSync()) : null,
    }));
  }

  /** A network holding the current parameters (the caller disposes it). */
  toMlp(): Mlp {
    return Mlp.fromParameters(this.config, this.parameters());
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([
      ...this.weights,
      ...this.biases.filter((b) => b !== null),
      ...this.masks.filter((m) => m !== null),
      ...this.buffers.flat(2),
    ]);
  }

  /** Size, finiteness and label range of a data set, checked once per object. */
  private validate(data: Batch): void {
    if (this.validated.has(data)) return;
    checkBatchForNetwork(this, data, 'data');
    checkTrainingLabels(data, this.outputSize);
    this.validated.add(data);
  }

  private checkAlive(): void {
    if (this.disposed) {
      throw new InvalidArgumentError('trainer', 'a disposed MaskedTrainer', 'a live trainer', {
        fix: 'do not use a trainer after dispose()',
      });
    }
  }
}
