/**
 * How every experiment preset scores and masks a network, so the presets study the same masks: a
 * one-hidden-layer ReLU MLP 784 → n → C with Kaiming-normal Gaussian initialisation (seed = the job's
 * seed), scored once by a criterion (data only for criteria that need it, RNG seeded with the job's seed),
 * a layer-wise mask keeping exactly round(p · N_l) weights per layer, and the first layer's n × 784 mask
 * (rows = hidden neurons, columns = pixels) as the studied one.
 */
import {
  BitMatrix,
  type CriterionSpec,
  type RegisteredCriterion,
  Rng,
  registry,
  type ScoreMap,
} from '@graphon-pai/core';
import { maskFromScores } from '@graphon-pai/masks';
import { type Batch, Mlp, mnistSubset } from '@graphon-pai/nets';
import { type CriterionContext, registerBuiltinCriteria } from '@graphon-pai/saliency';

/** The first layer: the mask the theory describes. */
export const STUDIED_LAYER = '0.weight';

/** The 784 → width → outputs ReLU MLP at initialisation (the caller disposes it). */
export function experimentMlp(width: number, outputs: number, seed: number): Mlp {
  return Mlp.create({ widths: [784, width, outputs], init: 'kaiming-normal', seed });
}

/**
 * The criterion of a job from core's plugin registry (built-ins registered first, idempotently; a plugin's
 * criteria are there once its plugin is registered).
 */
export function jobCriterion(id: string): RegisteredCriterion<CriterionContext> {
  registerBuiltinCriteria(registry);
  return registry.criterion<CriterionContext>(id);
}

/** The context a criterion scores `network` in. */
export function criterionContext(
  spec: CriterionSpec<CriterionContext>,
  network: Mlp,
  data: Batch,
  loss: 'cross-entropy' | 'mse',
  seed: number,
): CriterionContext {
  return { network, data: spec.needsData ? data : undefined, loss, rng: new Rng(seed) };
}

/** The studied layer's mask at `density` (layer-wise allocation). */
export function studiedMask(scores: ScoreMap, density: number, criterion: string): BitMatrix {
  const mask = maskFromScores(scores, { density, allocation: 'uniform' }).get(STUDIED_LAYER);
  if (!(mask instanceof BitMatrix))
    throw new Error(`criterion ${criterion} returned no ${STUDIED_LAYER} scores`);
  return mask;
}

/** Inputs with at least one kept weight, and each input's kept fraction (pixel order). */
export function inputConnectivity(mask: BitMatrix): { activeInputs: number; columnDensity: number[] } {
  const colDegrees = mask.colDegrees();
  return {
    activeInputs: colDegrees.filter((d) => d > 0).length,
    columnDensity: Array.from(colDegrees, (d) => d / mask.rows),
  };
}

const batches = new Map<string, Promise<Batch>>();

/** The class-balanced batch of `samples` MNIST digits drawn with `seed` (loaded once per process). */
export function scoringBatch(samples: number, seed: number): Promise<Batch> {
  const key = `${samples}/${seed}`;
  let batch = batches.get(key);
  if (!batch) {
    batch = mnistSubset({ count: samples, seed });
    batches.set(key, batch);
  }
  return batch;
}
