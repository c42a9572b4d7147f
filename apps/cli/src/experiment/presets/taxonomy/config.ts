/**
 * The `taxonomy` preset (the default, the main job): convergence and taxonomy of PaI masks on MNIST.
 *
 * A one-hidden-layer ReLU network 784 → n → 10 with Gaussian initialisation (`w ~ N(0, 2/fan_in)`, Kaiming
 * normal), each criterion scoring one class-balanced batch of real digits, a layer-wise mask of density p
 * (every layer keeps exactly round(p · N_l) weights), and the first layer's mask (n × 784, rows = hidden
 * neurons, cols = pixels) studied as n grows.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { checkCriteria, checkDensities, checkInteger, checkSeeds } from '../../flags';
import type { PresetConfig, PresetDescriptor } from '../../preset';

export interface TaxonomyConfig extends PresetConfig {
  preset: 'taxonomy';
  /** Hidden widths n, increasing. */
  widths: number[];
  /** Kept fraction of every layer. */
  density: number;
  loss: 'cross-entropy' | 'mse';
  /** MNIST examples per scoring batch (class balanced). */
  samples: number;
  /** Canonical histogram resolution (row blocks × column blocks) for heatmaps and the homogeneity test. */
  rowBlocks: number;
  colBlocks: number;
  /** Parametric-bootstrap replicates of the homogeneity test. */
  bootstrap: number;
  /** Significance level of the homogeneity verdict. */
  alpha: number;
}

export const taxonomyPreset: PresetDescriptor<TaxonomyConfig> = {
  name: 'taxonomy',
  summary: 'convergence and taxonomy of the first layer’s mask graphon as the width grows (default)',
  defaults: {
    preset: 'taxonomy',
    criteria: ['random', 'magnitude', 'snip', 'grasp', 'synflow'],
    widths: [128, 256, 512, 1024],
    seeds: [0, 1, 2],
    density: 0.1,
    loss: 'cross-entropy',
    samples: 512,
    rowBlocks: 32,
    colBlocks: 28,
    bootstrap: 99,
    alpha: 0.05,
  },
  validate(c) {
    checkCriteria(c.criteria);
    if (
      !(
        c.widths.length >= 2 &&
        c.widths.every((w, i) => Number.isInteger(w) && w >= 8 && (i === 0 || w > c.widths[i - 1]))
      )
    ) {
      throw new InvalidArgumentError(
        '--widths',
        c.widths.join(','),
        'at least two increasing integers ≥ 8, e.g. 128,256,512',
      );
    }
    checkSeeds(c.seeds);
    checkDensities('density', [c.density]);
    checkInteger('samples', c.samples, 1, 8630);
    checkInteger('rowBlocks', c.rowBlocks, 1, c.widths[0]);
    checkInteger('colBlocks', c.colBlocks, 1, 784);
    checkInteger('bootstrap', c.bootstrap, 1, 100_000);
    if (!(c.alpha > 0 && c.alpha < 1)) throw new InvalidArgumentError('--alpha', c.alpha, 'a number in (0, 1)');
    if (2 / (c.bootstrap + 1) >= c.alpha) {
      throw new InvalidArgumentError('--bootstrap', c.bootstrap, `more replicates at --alpha ${c.alpha}`, {
        fix: `the smallest p-value is 2 / (B + 1), so with ${c.bootstrap} no mask can be called heterogeneous; pass e.g. --bootstrap 99`,
      });
    }
  },
  load: () => import('./run').then((m) => m.taxonomyRun),
};
