/**
 * The `uat` preset: the universal-approximation verdict on active coordinates of each criterion's first-layer
 * mask graphon against density: |S| = `k` (the k densest active inputs), the activity `threshold` τ and the
 * target count `minNeurons` of neurons connected to all of S.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { checkInteger } from '../../checks';
import type { PresetDescriptor } from '../../preset';
import { checkDensitySweep, type DensitySweepConfig, SWEEP_DEFAULTS } from '../density-sweep-config';
import { uatRecord } from './record';
import type { UatResult } from './run';

export interface UatConfig extends DensitySweepConfig {
  preset: 'uat';
  k: number;
  threshold: number;
  minNeurons: number;
}

export const uatPreset: PresetDescriptor<UatConfig, UatResult> = {
  name: 'uat',
  summary: 'UAT verdict on active coordinates against density',
  defaults: {
    preset: 'uat',
    ...SWEEP_DEFAULTS,
    widths: [1024],
    densities: [0.05, 0.1, 0.2],
    samples: 512,
    k: 4,
    threshold: 0.01,
    minNeurons: 32,
  },
  validate(c) {
    checkDensitySweep(c, [1, 8630]);
    checkInteger('k', c.k, 1, 784);
    if (!(c.threshold >= 0 && c.threshold < 1)) {
      throw new InvalidArgumentError('--threshold', c.threshold, 'a number in [0, 1)');
    }
    if (!(c.minNeurons > 0))
      throw new InvalidArgumentError('--min-neurons', c.minNeurons, 'a positive number');
  },
  record: uatRecord,
  load: () => import('./run').then((m) => m.uatRun),
};
