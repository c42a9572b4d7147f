/**
 * The `taxonomy` preset (the default, the main job): convergence and taxonomy of PaI masks on MNIST.
 *
 * A one-hidden-layer ReLU network 784 → n → 10 with Gaussian initialisation (`w ~ N(0, 2/fan_in)`, Kaiming
 * normal), each criterion scoring one class-balanced batch of real digits, a layer-wise mask of density p
 * (every layer keeps exactly round(p · N_l) weights), and the first layer's mask (n × 784, rows = hidden
 * neurons, cols = pixels) studied as n grows.
 *
 * With `net` (`--net lenet5 --layer features.3 --widths 1,2,4,8`) the preset studies one convolution layer of
 * a conv network instead, across channel multipliers (`widths`): its kernel graph and channel graph
 * (`conv-study.ts`, `conv-job.ts`). The conv keys default to `undefined` (absent), so the MLP configuration,
 * and every file written from it, is unchanged by their existence.
 */
import { InvalidArgumentError } from '@graphon-pai/core';
import { checkCriteria, checkDensities, checkInteger, checkSeeds, optionOf } from '../../checks';
import type { PresetConfig, PresetDescriptor } from '../../preset';
import { checkConvStudy } from './conv-config';
import { taxonomyRecord } from './record';
import type { TaxonomyResult } from './run';

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
  /** Fresh neurons of the plug-in limit (0: 8 × the widest width). */
  referenceWidth: number;
  /** `network`: the network's own output at initialisation; `zero`: paired neurons, output ≡ 0 (deterministic limit). */
  outputAtInit: 'network' | 'zero';
  /** A conv network (`lenet5`, `vgg-small`, `conv:<spec>`) whose layer `layer` is studied; absent: the MLP. */
  net?: string;
  /** The studied convolution (`features.3` or `features.3.weight`); with `net` only. */
  layer?: string;
  /** Channel multiplier of the conv study's `wide-mask` reference (absent: 2 × the widest multiplier). */
  wideMultiplier?: number;
}

/** Smallest width the block and pixel metrics accept: 16 row blocks of at least 2 neurons. */
export const MIN_WIDTH = 32;
/** Largest reference width: its N_ref × 784 bit-packed limit mask stays under 400 MiB. */
export const MAX_REFERENCE_WIDTH = 2 ** 22;

/** `--bootstrap` and `--alpha`: a level in (0, 1) and enough replicates to reject at it. */
function checkHomogeneityTest(c: TaxonomyConfig): void {
  checkInteger('bootstrap', c.bootstrap, 1, 100_000);
  if (!(c.alpha > 0 && c.alpha < 1)) throw new InvalidArgumentError('--alpha', c.alpha, 'a number in (0, 1)');
  if (2 / (c.bootstrap + 1) >= c.alpha) {
    throw new InvalidArgumentError('--bootstrap', c.bootstrap, `more replicates at --alpha ${c.alpha}`, {
      fix: `the smallest p-value is 2 / (B + 1), so with ${c.bootstrap} no mask can be called heterogeneous; pass e.g. --bootstrap 99`,
    });
  }
}

export const taxonomyPreset: PresetDescriptor<TaxonomyConfig, TaxonomyResult> = {
  name: 'taxonomy',
  summary:
    'convergence and taxonomy of the first layer’s mask graphon as the width grows (default; --net: a conv layer across channel multipliers)',
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
    referenceWidth: 0,
    outputAtInit: 'network',
    net: undefined,
    layer: undefined,
    wideMultiplier: undefined,
  },
  validate(c) {
    checkCriteria(c.criteria);
    if (c.net !== undefined) {
      checkConvStudy(c);
      checkInteger('samples', c.samples, 1, 8630);
      return checkHomogeneityTest(c);
    }
    for (const key of ['layer', 'wideMultiplier'] as const) {
      if (c[key] !== undefined) {
        throw new InvalidArgumentError(optionOf(key), c[key], 'absent without --net', {
          fix: 'it chooses the studied conv layer: pass --net lenet5 (or another conv net), or drop it',
        });
      }
    }
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
    if (c.widths[0] < MIN_WIDTH) {
      throw new InvalidArgumentError('--widths', c.widths.join(','), `widths of at least ${MIN_WIDTH}`, {
        fix: `the block and pixel metrics use 16 row blocks of at least 2 neurons; start the widths at ${MIN_WIDTH} or more`,
      });
    }
    if (c.outputAtInit === 'zero' && c.widths.some((w) => w % 2 !== 0)) {
      throw new InvalidArgumentError(
        '--widths',
        c.widths.join(','),
        'even widths with --output-at-init zero',
        {
          fix: 'neurons come in pairs (w, a) and (w, −a): pass even widths',
        },
      );
    }
    const widest = c.widths[c.widths.length - 1];
    if (!(c.referenceWidth === 0 || (Number.isInteger(c.referenceWidth) && c.referenceWidth >= widest))) {
      throw new InvalidArgumentError(
        '--reference-width',
        c.referenceWidth,
        `0 (= 8 × the widest width) or an integer ≥ the widest width ${widest}`,
      );
    }
    const reference = c.referenceWidth || 8 * widest;
    if (reference > MAX_REFERENCE_WIDTH) {
      throw new InvalidArgumentError(
        '--reference-width',
        reference,
        `a reference width of at most ${MAX_REFERENCE_WIDTH} neurons`,
        {
          fix: `its ${reference} × 784 limit mask would not fit in memory; pass --reference-width ${MAX_REFERENCE_WIDTH} or narrower widths`,
        },
      );
    }
    if (!['network', 'zero'].includes(c.outputAtInit)) {
      throw new InvalidArgumentError('--output-at-init', c.outputAtInit, "'network' or 'zero'");
    }
    checkSeeds(c.seeds);
    checkDensities('density', [c.density], 784 * Math.min(...c.widths)); // the n × 784 first-layer mask
    checkInteger('samples', c.samples, 1, 8630);
    checkInteger('rowBlocks', c.rowBlocks, 1, c.widths[0]);
    checkInteger('colBlocks', c.colBlocks, 1, 784);
    checkHomogeneityTest(c);
  },
  record: taxonomyRecord,
  load: () => import('./run').then((m) => m.taxonomyRun),
};
