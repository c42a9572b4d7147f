/**
 * Configuration of `graphon-pai experiment` and its presets.
 *
 * The default (`taxonomy`) preset reproduces the paper's convergence and taxonomy results on MNIST: a
 * one-hidden-layer ReLU network 784 → n → 10 with Gaussian initialisation (`w ~ N(0, 2/fan_in)`, Kaiming
 * normal), each criterion scoring one class-balanced batch of real digits, a layer-wise mask of density p
 * (every layer keeps exactly round(p · N_l) weights), and the first layer's mask (n × 784, rows = hidden
 * neurons, cols = pixels) studied as n grows. Defaults are sized to finish in about three minutes on a
 * 2-core machine.
 */
import { InvalidArgumentError } from '@graphon-pai/core';

/** Presets implemented so far (the `ntk` and `uat` presets of issue 9 are not built yet). */
export type Preset = 'taxonomy';

export interface ExperimentConfig {
  preset: Preset;
  criteria: string[];
  /** Hidden widths n, increasing. */
  widths: number[];
  seeds: number[];
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

export const DEFAULT_CONFIG: ExperimentConfig = {
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
};

/** `--criteria`: a non-empty list (every preset). */
export function checkCriteria(criteria: unknown): void {
  if (!(Array.isArray(criteria) && criteria.length > 0)) {
    throw new InvalidArgumentError('--criteria', criteria, 'a non-empty comma-separated list, e.g. snip,random');
  }
}

/** `--seeds`: non-negative safe integers (every preset). */
export function checkSeeds(seeds: readonly number[]): void {
  if (!(seeds.length >= 1 && seeds.every((s) => Number.isSafeInteger(s) && s >= 0))) {
    throw new InvalidArgumentError('--seeds', seeds.join(','), 'non-negative integers, e.g. 0,1,2');
  }
}

/** `--loss` of data-driven criteria (every preset). */
export function checkLoss(loss: string): void {
  if (!['cross-entropy', 'mse'].includes(loss)) throw new InvalidArgumentError('--loss', loss, "'cross-entropy' or 'mse'");
}

/** Validates a configuration (from flags or a config file) and fills defaults. */
export function resolveConfig(partial: Partial<ExperimentConfig>): ExperimentConfig {
  const c: ExperimentConfig = { ...DEFAULT_CONFIG, ...partial };
  if (c.preset !== 'taxonomy') {
    throw new InvalidArgumentError('--preset', c.preset, "'taxonomy' (the only preset implemented so far)");
  }
  checkCriteria(c.criteria);
  if (!(c.widths.length >= 2 && c.widths.every((w, i) => Number.isInteger(w) && w >= 8 && (i === 0 || w > c.widths[i - 1])))) {
    throw new InvalidArgumentError('--widths', c.widths.join(','), 'at least two increasing integers ≥ 8, e.g. 128,256,512');
  }
  checkSeeds(c.seeds);
  if (!(c.density > 0 && c.density <= 1)) {
    throw new InvalidArgumentError('--density', c.density, 'a number in (0, 1] (the kept fraction)', {
      fix: 'pass e.g. --density 0.1 to keep 10 % of the weights',
    });
  }
  checkLoss(c.loss);
  const positive = (name: string, v: number, max = Number.MAX_SAFE_INTEGER) => {
    if (!(Number.isInteger(v) && v >= 1 && v <= max)) throw new InvalidArgumentError(name, v, `an integer in [1, ${max}]`);
  };
  positive('--samples', c.samples, 8630);
  positive('--row-blocks', c.rowBlocks, c.widths[0]);
  positive('--col-blocks', c.colBlocks, 784);
  positive('--bootstrap', c.bootstrap, 100_000);
  if (!(c.alpha > 0 && c.alpha < 1)) throw new InvalidArgumentError('--alpha', c.alpha, 'a number in (0, 1)');
  return c;
}
