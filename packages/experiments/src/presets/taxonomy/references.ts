/**
 * The networks and reference limits of the taxonomy preset.
 *
 * - `studiedNetwork`: the 784 → n → 10 network at one width (`../../scoring`'s `experimentMlp`); with
 *   `--output-at-init zero` its neurons are paired (`@graphon-pai/saliency` `pairedZeroOutput`: neuron
 *   j + n/2 = (w_j, −a_j)), so its output at initialisation vanishes and data-driven criteria see the loss
 *   gradient at zero output, a function of the data alone.
 * - `pluginReference`: the **plug-in limit** of the criterion at reference width N_ref (`--reference-width`,
 *   default 8 × the widest width): N_ref fresh neurons from the initialisation law scored by the criterion's
 *   own mechanism with the *same* output signal and data as the network, the exact top-p fraction kept
 *   (`pluginLimit`, streaming). One set of fresh neurons per job (`jobNeurons`, seeded by the job's seed)
 *   serves all its widths, each width scaling the readouts by its own initialisation law. For random and magnitude this is a wide mask of the same kind. A criterion
 *   without a neuron scorer (a third-party plugin) gets the documented fallback, reported as `wide-mask`:
 *   the mask of the same criterion on an N_ref-wide network of the same construction (its own output signal).
 * - `sharedSignalSibling`: a second width-n mask that shares the network's output signal (fresh neurons,
 *   same signal): the distance between the mask and it is the sampling noise at width n with the limit held
 *   fixed; compared with the distance between masks of different seeds it says whether the limit is
 *   deterministic or depends on the output at initialisation.
 * - `otherNetworkMask`: the mask of another initialisation (seed + {@link OTHER_NETWORK_OFFSET}) of the same
 *   width scored on the *same* digits: masks of different jobs also differ in their scoring digits, so this
 *   isolates the network (its output at initialisation) from the data sample.
 */
import type { BitMatrix, CriterionSpec } from '@graphon-pai/core';
import type { Batch, Mlp } from '@graphon-pai/nets';
import {
  type CriterionContext,
  FreshNeurons,
  neuronScorer,
  PLUGIN_CRITERIA,
  type PluginCriterion,
  pairedZeroOutput,
  pluginLimit,
} from '@graphon-pai/saliency';
import { criterionContext, experimentMlp, studiedMask } from '../../scoring';
import { bareId } from '../../sweep';
import type { TaxonomyConfig } from './config';

/** Plug-in limits are `REFERENCE_FACTOR` × the widest width unless `--reference-width` is given. */
export const REFERENCE_FACTOR = 8;

/** Fresh neurons a job keeps in memory across its widths (the rest are regenerated on each pass). */
export const FRESH_NEURON_CACHE_BYTES = 512 * 2 ** 20;

/** The fresh neurons of one job's plug-in limits, shared by its widths (each scales them by its own law). */
export function jobNeurons(config: TaxonomyConfig, seed: number): FreshNeurons {
  return new FreshNeurons(`plugin/${seed}`, referenceWidth(config), 784, 10, FRESH_NEURON_CACHE_BYTES);
}

export function referenceWidth(config: TaxonomyConfig): number {
  return config.referenceWidth > 0
    ? config.referenceWidth
    : REFERENCE_FACTOR * config.widths[config.widths.length - 1];
}

/** The studied network at `width` (the caller disposes it). */
export function studiedNetwork(config: TaxonomyConfig, width: number, seed: number): Mlp {
  const net = experimentMlp(width, 10, seed);
  if (config.outputAtInit !== 'zero') return net;
  try {
    return pairedZeroOutput(net);
  } finally {
    net.dispose();
  }
}

export interface PluginInfo {
  /** `plug-in`: fresh neurons, same signal; `wide-mask`: the fallback for criteria without a neuron scorer. */
  method: 'plug-in' | 'wide-mask';
  referenceWidth: number;
  /** The k-th largest reference score (plug-in only). */
  threshold: number | null;
}

const scorerOf = (criterion: string): PluginCriterion | null => {
  const id = bareId(criterion);
  return (PLUGIN_CRITERIA as readonly string[]).includes(id) ? (id as PluginCriterion) : null;
};

/** The plug-in limit mask of the criterion for the network of `ctx` (see the file header). */
export async function pluginReference(
  config: TaxonomyConfig,
  criterion: string,
  spec: CriterionSpec<CriterionContext>,
  ctx: CriterionContext,
  data: Batch,
  seed: number,
  neurons: FreshNeurons,
): Promise<{ mask: BitMatrix; info: PluginInfo }> {
  const N = referenceWidth(config);
  const id = scorerOf(criterion);
  if (id) {
    const limit = pluginLimit(neuronScorer(id, ctx), ctx.network, {
      density: config.density,
      referenceWidth: N,
      neurons,
    });
    return { mask: limit.mask, info: { method: 'plug-in', referenceWidth: N, threshold: limit.threshold } };
  }
  const wide = studiedNetwork(config, N, seed);
  try {
    const scores = await spec.score(criterionContext(spec, wide, data, config.loss, seed));
    return {
      mask: studiedMask(scores, config.density, criterion),
      info: { method: 'wide-mask', referenceWidth: N, threshold: null },
    };
  } finally {
    wide.dispose();
  }
}

/** A width-n mask sharing the network's output signal, or null for a criterion without a neuron scorer. */
export function sharedSignalSibling(
  config: TaxonomyConfig,
  criterion: string,
  ctx: CriterionContext,
  seed: number,
): BitMatrix | null {
  const id = scorerOf(criterion);
  if (!id) return null;
  const width = ctx.network.layers[0].shape.rows;
  return pluginLimit(neuronScorer(id, ctx), ctx.network, {
    density: config.density,
    referenceWidth: width,
    seed: `sibling/${seed}/${width}`,
  }).mask;
}

/** The seed offset of the other initialisation the determinism check scores on the same digits. */
export const OTHER_NETWORK_OFFSET = 1_000_003;

/** The mask of another initialisation of the same width, scored by the criterion on the same digits. */
export async function otherNetworkMask(
  config: TaxonomyConfig,
  criterion: string,
  spec: CriterionSpec<CriterionContext>,
  data: Batch,
  width: number,
  seed: number,
): Promise<BitMatrix> {
  const other = studiedNetwork(config, width, seed + OTHER_NETWORK_OFFSET);
  try {
    const scores = await spec.score(
      criterionContext(spec, other, data, config.loss, seed + OTHER_NETWORK_OFFSET),
    );
    return studiedMask(scores, config.density, criterion);
  } finally {
    other.dispose();
  }
}
