/**
 * The options of every trainer (`MaskedTrainer`, `ConvTrainer`), validated in one place: learning rate,
 * batch size, epochs, optimiser, schedule, loss, mask, seed; and the label check of training data.
 *
 * @example
 * resolveTrainerSettings({ learningRate: 0.1 });   // SGD (momentum 0.9), constant, batch 128, 1 epoch, cross-entropy, seed 0
 */
import { InvalidArgumentError, type NetworkMask, type Seed } from '@graphon-pai/core';
import type { Batch } from '../data/batch';
import { checkLoss, type LossName } from '../losses';
import {
  type OptimizerName,
  type OptimizerOptions,
  type ResolvedOptimizer,
  resolveOptimizer,
} from './optimizers';
import { checkSchedule, type LearningRateSchedule } from './schedules';

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

export interface TrainerSettings {
  readonly optimizer: ResolvedOptimizer;
  readonly schedule: LearningRateSchedule;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly epochs: number;
  readonly loss: LossName;
  readonly seed: Seed;
}

/** Validated settings with defaults (SGD, constant schedule, batch 128, one epoch, cross-entropy, seed 0). */
export function resolveTrainerSettings(options: TrainerOptions): TrainerSettings {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', options, 'an object { learningRate, optimizer?, … }');
  }
  const { learningRate } = options;
  if (!(Number.isFinite(learningRate) && learningRate > 0)) {
    throw new InvalidArgumentError('learningRate', learningRate, 'a finite positive number');
  }
  const batchSize = options.batchSize ?? 128;
  if (!(Number.isInteger(batchSize) && batchSize >= 1))
    throw new InvalidArgumentError('batchSize', batchSize, 'a positive integer');
  const epochs = options.epochs ?? 1;
  if (!(Number.isInteger(epochs) && epochs >= 1))
    throw new InvalidArgumentError('epochs', epochs, 'a positive integer');
  return {
    optimizer: resolveOptimizer(options.optimizer ?? 'sgd'),
    schedule: checkSchedule(options.schedule ?? 'constant'),
    loss: checkLoss(options.loss ?? 'cross-entropy', 'loss'),
    learningRate,
    batchSize,
    epochs,
    seed: options.seed ?? 0,
  };
}

/** Labels within the network's outputs (or targets for the mse loss). */
export function checkTrainingLabels(data: Batch, outputSize: number): void {
  if (data.labels) {
    for (let i = 0; i < data.count; i++) {
      if (data.labels[i] >= outputSize) {
        throw new InvalidArgumentError(
          `data.labels[${i}]`,
          data.labels[i],
          `a class id in [0, ${outputSize}) (the network has ${outputSize} outputs)`,
          { fix: 'relabel the data to 0-based class ids, or widen the output layer' },
        );
      }
    }
  } else if (!data.targets) {
    throw new InvalidArgumentError('data.labels', undefined, 'labels (or targets for the mse loss)');
  }
}
