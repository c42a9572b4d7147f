/**
 * The `ntk` preset: the Graphon-NTK, its kernel–target alignment and spectrum and the generalisation bound of
 * each criterion's first-layer mask graphon against density, on a binary MNIST task (`classes`, `samples`
 * digits), with the trained `layers`, an explicit `ridge` and the bound's failure probability `delta`.
 */
import type { PresetDescriptor } from '../../preset';
import { type BinaryTaskBound, checkBinaryTaskBound } from '../binary-task-config';
import { checkDensitySweep, type DensitySweepConfig, SWEEP_DEFAULTS } from '../density-sweep-config';
import { ntkRecord } from './record';
import type { NtkResult } from './run';

export interface NtkConfig extends DensitySweepConfig, BinaryTaskBound {
  preset: 'ntk';
  layers: 'both' | 'hidden';
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
    checkBinaryTaskBound(c);
  },
  record: ntkRecord,
  load: () => import('./run').then((m) => m.ntkRun),
};
