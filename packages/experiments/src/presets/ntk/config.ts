/**
 * The `ntk` preset: the Graphon-NTK, its kernel–target alignment and spectrum and the generalisation bound of
 * each criterion's first-layer mask graphon against density, on a binary MNIST task (`classes`, `samples`
 * digits), with the trained `layers`, an explicit `ridge` and the bound's failure probability `delta`.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import type { PresetDescriptor } from '../../preset';
import { checkDensitySweep, type DensitySweepConfig, SWEEP_DEFAULTS } from '../density-sweep-config';
import { ntkRecord } from './record';
import type { NtkResult } from './run';

export interface NtkConfig extends DensitySweepConfig {
  preset: 'ntk';
  classes: [number, number];
  layers: 'both' | 'hidden';
  ridge: number;
  delta: number;
}

export const ntkPreset: PresetDescriptor<NtkConfig, NtkResult> = {
  name: 'ntk',
  summary: 'Graphon-NTK bound, alignment and spectrum against density',
  defaults: {
    preset: 'ntk',
    ...SWEEP_DEFAULTS,
    widths: [512],
    densities: [0.05, 0.1, 0.2, 0.5],
    samples: 500,
    classes: [3, 5],
    layers: 'both',
    ridge: 0,
    delta: 0.05,
  },
  validate(c) {
    checkDensitySweep(c, [2, 1726]);
    const [a, b] = c.classes;
    if (!(Number.isInteger(a) && Number.isInteger(b) && a !== b && a >= 0 && a <= 9 && b >= 0 && b <= 9)) {
      throw new InvalidArgumentError('--classes', c.classes, 'two distinct MNIST digits a,b', {
        fix: 'e.g. --classes 3,5',
      });
    }
    if (!(c.ridge >= 0)) throw new InvalidArgumentError('--ridge', c.ridge, 'a number ≥ 0');
    if (!(c.delta > 0 && c.delta < 1))
      throw new InvalidArgumentError('--delta', c.delta, 'a number in (0, 1)');
  },
  record: ntkRecord,
  load: () => import('./run').then((m) => m.ntkRun),
};
