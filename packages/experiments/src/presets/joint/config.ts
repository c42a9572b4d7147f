/**
 * The `joint` preset: the theorem's own regime, where the input dimension grows with the width (`d = n/2`) on
 * synthetic data whose limits are known in closed form, so the convergence rate is measured with no model bias
 * and no fixed-`d` floor (derivation in `limit.ts`).
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { checkCriteria, checkDensities, checkInteger, checkSeeds } from '../../checks';
import type { PresetConfig, PresetDescriptor } from '../../preset';
import type { JointResult } from './run';

export interface JointConfig extends PresetConfig {
  preset: 'joint';
  /** Hidden widths n (even, increasing); the input dimension is d = n/2. */
  widths: number[];
  density: number;
  /** Examples of the scoring batch (even: m = samples/2 examples and their negatives). */
  samples: number;
  /** Resolution of the `block` metric (K × L) and row blocks of the `pixel` metric (K). */
  rowBlocks: number;
  colBlocks: number;
}

/** The criteria whose limit is known in closed form on this data (`limit.ts`). */
export const JOINT_CRITERIA = ['random', 'magnitude', 'synflow', 'snip'] as const;

/** Fewest mask rows (inputs) per block of the grid metrics. */
export const JOINT_MIN_BLOCK = 4;

export const jointPreset: PresetDescriptor<JointConfig, JointResult> = {
  name: 'joint',
  summary: 'convergence rates where d grows with n (d = n/2), against closed-form limits',
  defaults: {
    preset: 'joint',
    criteria: [...JOINT_CRITERIA],
    widths: [256, 512, 1024, 2048],
    seeds: [0, 1, 2],
    density: 0.1,
    samples: 64,
    rowBlocks: 16,
    colBlocks: 16,
  },
  validate(c) {
    checkCriteria(c.criteria);
    for (const criterion of c.criteria) {
      if (!(JOINT_CRITERIA as readonly string[]).includes(criterion)) {
        throw new InvalidArgumentError(
          '--criteria',
          criterion,
          `one of ${JOINT_CRITERIA.join(', ')} with --preset joint`,
          {
            fix: 'these are the criteria whose limit is known in closed form here; study others with --preset taxonomy',
          },
        );
      }
    }
    checkSeeds(c.seeds);
    checkDensities('density', [c.density]);
    checkInteger('rowBlocks', c.rowBlocks, 1, 24);
    checkInteger('colBlocks', c.colBlocks, 1, 64);
    const minWidth = JOINT_MIN_BLOCK * Math.max(c.rowBlocks, 2 * c.colBlocks);
    const ok =
      Array.isArray(c.widths) &&
      c.widths.length >= 2 &&
      c.widths.every(
        (w, i) => Number.isInteger(w) && w % 2 === 0 && w <= 32768 && (i === 0 || w > c.widths[i - 1]),
      );
    if (!ok) {
      throw new InvalidArgumentError(
        '--widths',
        String(c.widths),
        'at least two increasing even integers ≤ 32768',
      );
    }
    if (c.widths[0] < minWidth) {
      throw new InvalidArgumentError(
        '--widths',
        c.widths.join(','),
        `widths ≥ ${minWidth}: ${c.rowBlocks} row blocks of n and ${c.colBlocks} column blocks of d = n/2 need ${JOINT_MIN_BLOCK} each`,
        { fix: `start the widths at ${minWidth} or lower --row-blocks / --col-blocks` },
      );
    }
    checkInteger('samples', c.samples, 2, 4096);
    if (c.samples % 2 !== 0) {
      throw new InvalidArgumentError('--samples', c.samples, 'an even number (examples and their negatives)');
    }
  },
  load: () => import('./run').then((m) => m.jointRun),
};
