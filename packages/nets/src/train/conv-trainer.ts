/**
 * Mini-batch training of a convolutional network ({@link ConvNet}) under a fixed mask, with the same
 * options, optimisers, schedules, shuffling and guarantees as {@link MaskedTrainer} for MLPs:
 *
 *     (L, ∂L/∂Ŵ, ∂L/∂b) = exact conv passes (`conv/conv-passes.ts`) at the current parameters
 *     W ← update(W, ∂L/∂Ŵ ⊙ M),  b ← update(b, ∂L/∂b)                  (`optimizers.ts`, mask enforced)
 *
 * so pruned weights, their gradients and their optimiser state stay exactly zero. Epochs follow
 * `epoch.ts` (seeded shuffle, smaller last batch, per-step schedule); a non-finite loss stops with a
 * `NumericalError` naming the epoch and step and leaves the parameters as before that step. The passes run on
 * the host (im2col on the fast GEMM); the optimiser updates are tfjs element-wise ops on the parameters.
 *
 * Complexity per step: one forward and one backward pass (≈ 3 × the forward's multiply-adds).
 *
 * @example
 * const net = ConvNet.create({ spec: 'lenet5', seed: 0 });
 * const trainer = new ConvTrainer(net, { learningRate: 1e-3, optimizer: { kind: 'adam' } });
 * for (let e = 0; e < 3; e++) trainer.epoch(train, e);   // MNIST, batch 128
 * trainer.evaluate(test).accuracy;   // 0.987 for LeNet-5 (seed 0, standardised inputs)
 * const trained = trainer.toConvNet();
 * trainer.dispose();
 */
import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, NumericalError, type Seed } from '@graphon-pai/core';
import { ConvNet, type ConvNetLayer } from '../conv/conv-net';
import { convBackwardTape, convForwardTape } from '../conv/conv-passes';
import type { Batch } from '../data/batch';
import type { LossName } from '../losses';
import { checkNetworkBatch } from '../network';
import { tidy } from '../tidy';
import { DIVERGED_FIX, type Evaluation, runEpoch, type StepReport } from './epoch';
import type { TrainerOptions } from './masked-trainer';
import { type EpochRecord, trainEpochs } from './train-mlp';
import { optimizerBuffers, optimizerUpdate, type ResolvedOptimizer } from './optimizers';
import type { LearningRateSchedule } from './schedules';
import { checkTrainingLabels, resolveTrainerSettings } from './trainer-settings';

const EVALUATION_CHUNK = 500;

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

export class ConvTrainer {
  readonly layers: readonly ConvNetLayer[];
  readonly optimizer: ResolvedOptimizer;
  readonly schedule: LearningRateSchedule;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly loss: LossName;
  readonly seed: Seed;
  private readonly net: ConvNet;
  private updates = 0;
  private weights: tf.Tensor1D[];
  private biases: (tf.Tensor1D | null)[];
  private readonly masks: (tf.Tensor1D | null)[];
  private buffers: tf.Tensor[][][];
  private readonly validated = new WeakSet<Batch>();
  private disposed = false;

  constructor(net: ConvNet, options: TrainerOptions) {
    if (!(net instanceof ConvNet)) throw new InvalidArgumentError('net', net, 'a ConvNet');
    const settings = resolveTrainerSettings(options);
    this.optimizer = settings.optimizer;
    this.schedule = settings.schedule;
    this.loss = settings.loss;
    this.learningRate = settings.learningRate;
    this.batchSize = settings.batchSize;
    this.epochs = settings.epochs;
    this.seed = settings.seed;
    if (options.mask) net.checkMask(options.mask, 'mask');
    this.net = net;
    this.layers = net.layers;
    const n = optimizerBuffers(this.optimizer);
    this.masks = net.layers.map((l) => {
      const m = options.mask?.get(l.weightName);
      return m ? tf.tensor1d(Float32Array.from(m.toDense())) : null;
    });
    this.weights = net.layers.map((l, i) => {
      const w = Float32Array.from(net.weight(l.index));
      const m = this.masks[i];
      if (m) {
        const keep = m.dataSync();
        for (let q = 0; q < w.length; q++) if (keep[q] === 0) w[q] = 0;
      }
      return tf.tensor1d(w);
    });
    this.biases = net.layers.map((l) => (net.bias(l.index) ? tf.tensor1d(net.bias(l.index)!) : null));
    this.buffers = net.layers.map((l) => [
      Array.from({ length: n }, () => tf.zeros([l.shape.rows * l.shape.cols])),
      l.biasName ? Array.from({ length: n }, () => tf.zeros([l.shape.rows])) : [],
    ]);
  }

  get outputSize(): number {
    return this.net.outputSize;
  }

  stepsPerEpoch(count: number): number {
    return Math.ceil(count / this.batchSize);
  }

  /** The network at the current parameters (shares the trainer's host copies; valid until the next step). */
  private current(): ConvNet {
    return this.net.withParameters(
      this.weights.map((w) => w.dataSync() as Float32Array),
      this.biases.map((b) => (b ? (b.dataSync() as Float32Array) : null)),
    );
  }

  /** One optimiser step (see {@link MaskedTrainer.step}). */
  step(batch: Batch, learningRate: number): { loss: number; accuracy: number | null } {
    this.validate(batch);
    const result = this.tryStep(batch, learningRate);
    if (!Number.isFinite(result.loss)) {
      throw new NumericalError(`the loss is ${result.loss} at update ${this.updates + 1}`, {
        fix: DIVERGED_FIX,
      });
    }
    return result;
  }

  private tryStep(batch: Batch, learningRate: number): { loss: number; accuracy: number | null } {
    this.checkAlive();
    const tape = convForwardTape(this.current(), batch, { loss: this.loss });
    if (!Number.isFinite(tape.lossValue)) return { loss: tape.lossValue, accuracy: null };
    const grads = convBackwardTape(tape);
    const step = this.updates + 1;
    const out = tidy(() => {
      const weights: tf.Tensor1D[] = [];
      const biases: (tf.Tensor1D | null)[] = [];
      const buffers: tf.Tensor[][][] = [];
      this.layers.forEach((_, l) => {
        const [wBuf, bBuf] = this.buffers[l];
        const w = optimizerUpdate(
          this.optimizer,
          this.weights[l],
          tf.tensor1d(grads.effective[l]),
          wBuf,
          learningRate,
          step,
          this.masks[l],
        );
        weights.push(w.value as tf.Tensor1D);
        const b = this.biases[l];
        const ub = b
          ? optimizerUpdate(this.optimizer, b, tf.tensor1d(grads.biases[l]!), bBuf, learningRate, step, null)
          : null;
        biases.push(ub ? (ub.value as tf.Tensor1D) : null);
        buffers.push([w.buffers, ub ? ub.buffers : []]);
      });
      return { weights, biases, buffers };
    });
    tf.dispose([...this.weights, ...this.biases.filter((b) => b !== null), ...this.buffers.flat(2)]);
    this.weights = out.weights;
    this.biases = out.biases;
    this.buffers = out.buffers;
    this.updates = step;
    const logits = tape.activations[tape.activations.length - 1];
    return {
      loss: tape.lossValue,
      accuracy: batch.labels ? correctCount(logits, batch.labels, this.outputSize) / batch.count : null,
    };
  }

  /** One epoch (0-based `epoch`) over `data`; see `epoch.ts`. */
  epoch(data: Batch, epoch: number, onStep?: (report: StepReport) => void): Evaluation {
    this.checkAlive();
    this.validate(data);
    if (!(Number.isInteger(epoch) && epoch >= 0))
      throw new InvalidArgumentError('epoch', epoch, 'a non-negative integer');
    return runEpoch(data, epoch, this, (batch, learningRate) => this.tryStep(batch, learningRate), onStep);
  }

  /** Mean loss and accuracy of the current parameters on `data` (forward passes of 500 rows). */
  evaluate(data: Batch): Evaluation {
    this.checkAlive();
    this.validate(data);
    const net = this.current();
    const f = data.features;
    let lossSum = 0;
    let correct = 0;
    for (let start = 0; start < data.count; start += EVALUATION_CHUNK) {
      const count = Math.min(EVALUATION_CHUNK, data.count - start);
      const outputs = data.targets ? data.targets.length / data.count : 0;
      const chunk: Batch = {
        inputs: data.inputs.subarray(start * f, (start + count) * f),
        count,
        features: f,
        labels: data.labels?.subarray(start, start + count),
        classes: data.classes,
        targets: data.targets?.subarray(start * outputs, (start + count) * outputs),
      };
      const tape = convForwardTape(net, chunk, { loss: this.loss });
      lossSum += tape.lossValue * count;
      if (chunk.labels) {
        correct += correctCount(tape.activations[tape.activations.length - 1], chunk.labels, this.outputSize);
      }
    }
    return {
      loss: lossSum / data.count,
      accuracy: data.labels ? correct / data.count : null,
      count: data.count,
    };
  }

  get updateCount(): number {
    return this.updates;
  }

  /** Host copies of the current parameters, one entry per weighted layer. */
  parameters(): { weight: Float32Array; bias: Float32Array | null }[] {
    this.checkAlive();
    return this.layers.map((_, l) => ({
      weight: Float32Array.from(this.weights[l].dataSync()),
      bias: this.biases[l] ? Float32Array.from(this.biases[l]!.dataSync()) : null,
    }));
  }

  /** A network holding the current parameters (validated copy). */
  toConvNet(): ConvNet {
    const params = new Map<string, Float32Array>();
    this.parameters().forEach((p, l) => {
      params.set(this.layers[l].weightName, p.weight);
      if (p.bias) params.set(this.layers[l].biasName!, p.bias);
    });
    return ConvNet.fromStateDict(this.net.spec, params);
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

  private validate(data: Batch): void {
    if (this.validated.has(data)) return;
    checkNetworkBatch(this.net, data, 'data');
    checkTrainingLabels(data, this.outputSize);
    this.validated.add(data);
  }

  private checkAlive(): void {
    if (this.disposed) {
      throw new InvalidArgumentError('trainer', 'a disposed ConvTrainer', 'a live trainer', {
        fix: 'do not use a trainer after dispose()',
      });
    }
  }
}

export interface TrainConvNetOptions extends TrainerOptions {
  epochs: number;
  /** Evaluated after every epoch. */
  test?: Batch;
  onStep?: (report: StepReport) => void;
  onEpoch?: (record: EpochRecord, trainer: ConvTrainer) => void;
}

/** A whole masked training run of a conv network (the counterpart of `trainMlp`). */
export function trainConvNet(
  net: ConvNet,
  train: Batch,
  options: TrainConvNetOptions,
): { net: ConvNet; history: EpochRecord[] } {
  if (!(Number.isInteger(options?.epochs) && options.epochs >= 1)) {
    throw new InvalidArgumentError('epochs', options?.epochs, 'a positive integer');
  }
  const trainer = new ConvTrainer(net, options);
  try {
    const history = trainEpochs(trainer, train, options);
    return { net: trainer.toConvNet(), history };
  } finally {
    trainer.dispose();
  }
}
