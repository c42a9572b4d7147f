/**
 * A whole masked training run: `epochs` epochs of {@link MaskedTrainer} on a training set, with the loss and
 * accuracy on a test set after every epoch. Returns the trained network (host parameters, pruned weights
 * exactly zero) and one record per epoch.
 *
 * `trainLoss` / `trainAccuracy` are means over the epoch's batches, each measured before its update (the
 * running figures PyTorch loops print); `testLoss` / `testAccuracy` are measured after the epoch. A
 * non-finite loss stops the run with a `NumericalError` naming the epoch and step; `onEpoch` has by then
 * seen every completed epoch, so a caller that keeps `trainer.parameters()` there holds the last good state.
 *
 * @example
 * const train = await loadMnist({ split: 'train' });
 * const test = await loadMnist({ split: 'test' });
 * const { net: trained, history } = trainMlp(net, train, { epochs: 1, learningRate: 0.1, mask, test });
 * history[0].testAccuracy;   // ≈ 0.97 for a dense 784-300-100-10 after one epoch of SGD (momentum 0.9, batch 128)
 */
import { NumericalError } from '@graphon-pai/core';
import type { Batch } from '../data/batch';
import type { Mlp } from '../mlp';
import type { Evaluation, StepReport } from './epoch';
import { MaskedTrainer } from './masked-trainer';
import type { TrainerOptions } from './trainer-settings';

export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  trainLoss: number;
  trainAccuracy: number | null;
  testLoss: number | null;
  testAccuracy: number | null;
  /** Learning rate of the epoch's last step. */
  learningRate: number;
  seconds: number;
}

/** Options of a whole run with trainer type `T` (`MaskedTrainer` for `trainMlp`, `ConvTrainer` for `trainConvNet`). */
export interface TrainRunOptions<T> extends TrainerOptions {
  epochs: number;
  /** Evaluated after every epoch. */
  test?: Batch;
  onStep?: (report: StepReport) => void;
  onEpoch?: (record: EpochRecord, trainer: T) => void;
}

export type TrainMlpOptions = TrainRunOptions<MaskedTrainer>;

export interface TrainMlpResult {
  net: Mlp;
  history: EpochRecord[];
}

export function trainMlp(net: Mlp, train: Batch, options: TrainMlpOptions): TrainMlpResult {
  return trainRun(new MaskedTrainer(net, options), train, options, (t) => t.toMlp());
}

/**
 * {@link trainEpochs} on a new trainer, then the trained network `result(trainer)`; the trainer is disposed
 * either way.
 */
export function trainRun<T extends EpochTrainer & { dispose(): void }, N>(
  trainer: T,
  train: Batch,
  options: TrainRunOptions<T>,
  result: (trainer: T) => N,
): { net: N; history: EpochRecord[] } {
  try {
    const history = trainEpochs(trainer, train, options);
    return { net: result(trainer), history };
  } finally {
    trainer.dispose();
  }
}

/** What {@link trainEpochs} needs from a trainer (`MaskedTrainer`, `ConvTrainer`). */
export interface EpochTrainer {
  readonly settings: { readonly learningRate: number };
  epoch(data: Batch, epoch: number, onStep?: (report: StepReport) => void): Evaluation;
  evaluate(data: Batch): Evaluation;
}

/** The epoch loop of {@link trainMlp} for any trainer: one record per epoch (see the file header). */
export function trainEpochs<T extends EpochTrainer>(
  trainer: T,
  train: Batch,
  options: {
    epochs: number;
    test?: Batch;
    onStep?: (report: StepReport) => void;
    onEpoch?: (record: EpochRecord, trainer: T) => void;
  },
): EpochRecord[] {
  const history: EpochRecord[] = [];
  for (let e = 0; e < options.epochs; e++) {
    const started = performance.now();
    let learningRate = trainer.settings.learningRate;
    const fit = trainer.epoch(train, e, (report) => {
      learningRate = report.learningRate;
      options.onStep?.(report);
    });
    const test: Evaluation | null = options.test ? trainer.evaluate(options.test) : null;
    if (test && !Number.isFinite(test.loss)) {
      throw new NumericalError(
        `training diverged at epoch ${e + 1}: the test loss after its last step is ${test.loss} (learning rate ${learningRate})`,
        { fix: 'lower the learning rate (or add weight decay)' },
      );
    }
    const record: EpochRecord = {
      epoch: e + 1,
      trainLoss: fit.loss,
      trainAccuracy: fit.accuracy,
      testLoss: test ? test.loss : null,
      testAccuracy: test ? test.accuracy : null,
      learningRate,
      seconds: (performance.now() - started) / 1000,
    };
    history.push(record);
    options.onEpoch?.(record, trainer);
  }
  return history;
}
