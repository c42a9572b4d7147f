/**
 * The `accuracy` preset: prune, train, test. Each criterion's first-layer mask of a 784 → n → 10 ReLU MLP at
 * log-spaced densities (the compression axis of Synaptic-Flow's plots) is trained on the 60,000 MNIST training
 * digits and tested on the 10,000 test digits, next to a dense baseline; the theory's quantities of the
 * mask's graphon (Graphon-NTK alignment, the generalisation bound, active inputs) are computed as they are
 * and at a common kernel scale, and rank-correlated with the test error across the sweep.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { checkInteger } from '../../checks';
import type { PresetDescriptor } from '../../preset';
import { type BinaryTaskBound, checkBinaryTaskBound } from '../binary-task-config';
import { checkDensitySweep, type DensitySweepConfig, SWEEP_DEFAULTS } from '../density-sweep-config';
import type { AccuracyResult } from './run';

/** The binary task (`classes`, its first `samples` digits) is the one of the NTK quantities. */
export interface AccuracyConfig extends DensitySweepConfig, BinaryTaskBound {
  preset: 'accuracy';
  /** Epochs of SGD (momentum 0.9, batch 128) on the training split. */
  epochs: number;
  /** Learning rate of that training (`--lr`). */
  lr: number;
}

/** 1 % … 30 %, log-spaced: 0.01 · 30^(i/7), i = 0…7, to 3 significant digits. */
export const ACCURACY_DENSITIES = Array.from({ length: 8 }, (_, i) =>
  Number((0.01 * 30 ** (i / 7)).toPrecision(3)),
);

export const accuracyPreset: PresetDescriptor<AccuracyConfig, AccuracyResult> = {
  name: 'accuracy',
  summary:
    'test accuracy of pruned-then-trained networks against density, and the theory quantities that should predict it',
  defaults: {
    preset: 'accuracy',
    ...SWEEP_DEFAULTS,
    widths: [300],
    densities: ACCURACY_DENSITIES,
    samples: 256,
    epochs: 1,
    lr: 0.1,
    classes: [3, 5],
    ridge: 0,
    delta: 0.05,
  },
  validate(c) {
    checkDensitySweep(c, [10, 1726]);
    checkInteger('epochs', c.epochs, 1, 1000);
    if (!(Number.isFinite(c.lr) && c.lr > 0))
      throw new InvalidArgumentError('--lr', c.lr, 'a finite positive learning rate');
    checkBinaryTaskBound(c);
  },
  load: () => import('./run').then((m) => m.accuracyRun),
};
