/**
 * One training epoch, independent of the architecture: the shuffled mini-batches and learning rates every
 * trainer (`MaskedTrainer` for MLPs, `ConvTrainer` for conv networks) steps through.
 *
 * The examples are visited in the order of a permutation drawn from `Rng(seed).fork('shuffle/<epoch>')`
 * (epoch 0-based), in batches of `batchSize` with a smaller last batch (PyTorch `DataLoader(shuffle=True)`,
 * `drop_last=False`); the learning rate follows the schedule per step. The batch buffers are reused from
 * step to step (a `step` callback must not keep them). A non-finite loss stops the epoch with a
 * `NumericalError` naming the epoch and step (1-based).
 *
 * @example
 * const fit = runEpoch(data, 0, { batchSize: 128, seed: 0, learningRate: 0.1, schedule: 'constant', epochs: 1 },
 *   (batch, lr) => trainer.tryStep(batch, lr));
 */
import { NumericalError, Rng, type Seed } from '@graphon-pai/core';
import type { Batch } from '../data/batch';
import { type LearningRateSchedule, learningRateAt } from './schedules';

/** Loss and accuracy over a set of examples (accuracy: null without labels). */
export interface Evaluation {
  loss: number;
  accuracy: number | null;
  count: number;
}

/** What `onStep` sees after every update. */
export interface StepReport {
  /** 0-based epoch and step within it. */
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  learningRate: number;
  /** Loss and accuracy of this batch (before the update). */
  loss: number;
  accuracy: number | null;
}

export interface EpochSettings {
  batchSize: number;
  seed: Seed;
  learningRate: number;
  schedule: LearningRateSchedule;
  /** Total epochs the schedule spans. */
  epochs: number;
}

export const DIVERGED_FIX =
  'lower the learning rate (or add weight decay); check that the inputs are normalised';

/**
 * Runs `step(batch, learningRate)` over the shuffled batches of epoch `epoch` (see the header). `step` returns
 * the batch's loss (non-finite = diverged, nothing applied) and accuracy. Returns the mean training loss and
 * accuracy over the epoch's batches, weighted by batch size.
 */
export function runEpoch(
  data: Batch,
  epoch: number,
  settings: EpochSettings,
  step: (batch: Batch, learningRate: number) => { loss: number; accuracy: number | null },
  onStep?: (report: StepReport) => void,
): Evaluation {
  const { batchSize } = settings;
  const order = new Rng(settings.seed).fork(`shuffle/${epoch}`).permutation(data.count);
  const stepsPerEpoch = Math.ceil(data.count / batchSize);
  const f = data.features;
  const outputs = data.targets ? data.targets.length / data.count : 0;
  const inputs = new Float32Array(batchSize * f);
  const labels = data.labels ? new Int32Array(batchSize) : undefined;
  const targets = data.targets ? new Float32Array(batchSize * outputs) : undefined;
  let lossSum = 0;
  let correct = 0;
  for (let s = 0; s < stepsPerEpoch; s++) {
    const start = s * batchSize;
    const count = Math.min(batchSize, data.count - start);
    for (let r = 0; r < count; r++) {
      const src = order[start + r];
      inputs.set(data.inputs.subarray(src * f, (src + 1) * f), r * f);
      if (labels) labels[r] = data.labels![src];
      if (targets) targets.set(data.targets!.subarray(src * outputs, (src + 1) * outputs), r * outputs);
    }
    const batch: Batch = {
      inputs: inputs.subarray(0, count * f),
      count,
      features: f,
      labels: labels?.subarray(0, count),
      classes: data.classes,
      targets: targets?.subarray(0, count * outputs),
    };
    const learningRate = learningRateAt(settings.learningRate, settings.schedule, {
      epoch,
      step: s,
      stepsPerEpoch,
      epochs: settings.epochs,
    });
    const result = step(batch, learningRate);
    if (!Number.isFinite(result.loss)) {
      throw new NumericalError(
        `training diverged at epoch ${epoch + 1}, step ${s + 1} of ${stepsPerEpoch}: the loss is ${result.loss} (learning rate ${learningRate})`,
        { fix: DIVERGED_FIX },
      );
    }
    lossSum += result.loss * count;
    if (result.accuracy !== null) correct += result.accuracy * count;
    onStep?.({ epoch, step: s, stepsPerEpoch, learningRate, ...result });
  }
  return { loss: lossSum / data.count, accuracy: labels ? correct / data.count : null, count: data.count };
}
