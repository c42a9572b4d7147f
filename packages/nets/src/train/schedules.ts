/**
 * Learning-rate schedules, as a function of the position in training (epochs and steps 0-based):
 *
 *     constant:                 η_t = η
 *     step (every k, factor γ): η_t = η · γ^⌊epoch / k⌋                    (PyTorch StepLR stepped per epoch)
 *     cosine (floor η_min):     η_t = η_min + (η − η_min) · (1 + cos(π t / T)) / 2,
 *                               t = epoch · S + step,  T = epochs · S     (CosineAnnealingLR stepped per update)
 *
 * with `S` steps per epoch. The cosine schedule moves per update so that a one-epoch run decays too.
 *
 * @example
 * learningRateAt(0.1, { kind: 'step', every: 30, gamma: 0.1 }, { epoch: 45, step: 0, stepsPerEpoch: 469, epochs: 90 }); // 0.01
 */
import { InvalidArgumentError } from '@graphon-pai/core';

export type LearningRateSchedule =
  | { kind: 'constant' }
  | { kind: 'step'; every: number; gamma: number }
  | { kind: 'cosine'; minLearningRate?: number };

export interface SchedulePosition {
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  epochs: number;
}

/** Validates a schedule (`'constant'` and `'cosine'` accepted as strings). */
export function checkSchedule(schedule: LearningRateSchedule | 'constant' | 'cosine'): LearningRateSchedule {
  const s = typeof schedule === 'string' ? ({ kind: schedule } as LearningRateSchedule) : schedule;
  if (typeof s !== 'object' || s === null) {
    throw new InvalidArgumentError(
      'schedule',
      schedule,
      "'constant', 'cosine' or { kind: 'step', every, gamma }",
    );
  }
  if (s.kind === 'constant') return s;
  if (s.kind === 'step') {
    if (!(Number.isInteger(s.every) && s.every >= 1))
      throw new InvalidArgumentError('schedule.every', s.every, 'a positive integer number of epochs');
    if (!(Number.isFinite(s.gamma) && s.gamma > 0))
      throw new InvalidArgumentError('schedule.gamma', s.gamma, 'a finite positive factor');
    return s;
  }
  if (s.kind === 'cosine') {
    const min = s.minLearningRate ?? 0;
    if (!(Number.isFinite(min) && min >= 0))
      throw new InvalidArgumentError('schedule.minLearningRate', min, 'a finite non-negative number');
    return { kind: 'cosine', minLearningRate: min };
  }
  throw new InvalidArgumentError(
    'schedule.kind',
    (s as { kind: unknown }).kind,
    "'constant', 'step' or 'cosine'",
  );
}

/** The learning rate at a position (see the header). */
export function learningRateAt(base: number, schedule: LearningRateSchedule, at: SchedulePosition): number {
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'step':
      return base * schedule.gamma ** Math.floor(at.epoch / schedule.every);
    case 'cosine': {
      const min = schedule.minLearningRate ?? 0;
      const t = at.epoch * at.stepsPerEpoch + at.step;
      const total = at.epochs * at.stepsPerEpoch;
      return min + ((base - min) * (1 + Math.cos((Math.PI * t) / total))) / 2;
    }
  }
}
