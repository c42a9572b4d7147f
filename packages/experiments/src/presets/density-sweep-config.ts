/**
 * What the density-sweep presets (`ntk`, `uat`, `accuracy`) share in their configuration: criteria × seeds ×
 * widths × densities, the scoring loss and batch, and the row blocks of the mask graphon; and the checks of
 * those keys.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { checkCriteria, checkDensities, checkInteger, checkSeeds } from '../checks';
import type { PresetConfig } from '../preset';

export interface DensitySweepConfig extends PresetConfig {
  widths: number[];
  densities: number[];
  loss: 'cross-entropy' | 'mse';
  /** ntk: m, the binary task's samples (scoring and bound); uat: the MNIST scoring batch. */
  samples: number;
  /** Row blocks of the mask's graphon. */
  rowBlocks: number;
}

export const SWEEP_DEFAULTS = {
  criteria: ['random', 'magnitude', 'snip', 'grasp', 'synflow'],
  seeds: [0],
  loss: 'cross-entropy' as const,
  rowBlocks: 32,
};

/** Checks the shared keys; `samples` must lie in [min, max]. */
export function checkDensitySweep(c: DensitySweepConfig, samples: readonly [number, number]): void {
  checkCriteria(c.criteria);
  if (!(c.widths.length >= 1 && c.widths.every((w) => Number.isInteger(w) && w >= 4))) {
    throw new InvalidArgumentError('--widths', c.widths.join(','), 'integers ≥ 4, e.g. 512');
  }
  checkDensities('densities', c.densities, 784 * Math.min(...c.widths)); // the n × 784 first-layer mask
  checkSeeds(c.seeds);
  checkInteger('samples', c.samples, samples[0], samples[1]);
  checkInteger('rowBlocks', c.rowBlocks, 1, 1 << 20);
}
