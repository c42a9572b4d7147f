/**
 * One playground run: the computation of `graphon-pai prune` followed by the taxonomy experiment's study of
 * the first layer's mask, with library calls only (the same in the page's Web Worker and in Node).
 *
 * - Network: `Mlp.create({ widths: [784, width, 10], activation: 'relu', init: 'kaiming-normal', seed })`,
 *   as `graphon-pai prune --net mlp:784-<width>-10` (defaults `--activation relu --init kaiming-normal`).
 * - Mask: `prune({ network, criterion, density, seed, data, loss: 'cross-entropy', allocation: 'uniform' })`
 *   with the criterion's default schedule, as `prune --allocation uniform` (every layer keeps
 *   round(p · N_l) weights); data only for criteria that need it (`mnistSubset({ count, seed })`'s digits).
 * - `density`: the kept fraction over all layers; `activeInputs`: inputs of the first layer (n × 784 mask,
 *   rows = hidden neurons) that keep at least one connection; `columnDensity`: each pixel's kept fraction.
 * - `heatmap`: the canonical step graphon of that mask (`canonicalStepGraphon`, 32 × 28 blocks, the
 *   experiment's grid); `limit`: the Factorised Saliency Model's predicted limit on the same grid, from the
 *   criterion's factors (`fsmFactors`; noise |w| half-normal with scale √(2/784) for a Kaiming-normal layer,
 *   or uniform) and `empiricalFsmLimit` at density p / e, scaled by the eligible fraction e (1/2 for GraSP).
 * - `distanceToConstant`, `distanceToLimit`: `cutDistance(mask, ·, { alignment: 'canonical', seed })`, its
 *   certified upper bound on δ□ and the aligned lower bound (the value of an explicit cut).
 */
import { BitMatrix, networkMaskDensity, Rng, StepGraphon } from '@graphon-pai/core';
import { cutDistance } from '@graphon-pai/cut-distance';
import { canonicalStepGraphon, distribution, empiricalFsmLimit } from '@graphon-pai/graphon';
import { prune } from '@graphon-pai/masks';
import { type Batch, Mlp } from '@graphon-pai/nets';
import { type CriterionContext, type FsmCriterion, fsmFactors } from '@graphon-pai/saliency';
import {
  HEATMAP_BLOCKS,
  type PlaygroundCriterion,
  type PlaygroundSettings,
  settingsProblems,
} from './settings';

const FIRST_LAYER = '0.weight';

export interface Bounds {
  upperBound: number | null;
  /** How the upper bound is certified (`cutDistance`'s `upperBoundKind`). */
  upperBoundKind: string | null;
  alignedLowerBound: number;
}

export interface PlaygroundResult {
  criterion: PlaygroundCriterion;
  width: number;
  seed: number;
  digits: number;
  requestedDensity: number;
  /** Kept fraction over all layers. */
  density: number;
  kept: number;
  total: number;
  activeInputs: number;
  /** δ□ bounds to the constant graphon p (`distanceToConstant` is the upper bound). */
  distanceToConstant: number | null;
  toConstant: Bounds;
  /** δ□ bounds to the FSM-predicted limit. */
  distanceToLimit: number | null;
  toLimit: Bounds;
  /** Canonical heatmap of the first layer's mask and the predicted limit, row-major 32 × 28. */
  heatmap: number[];
  limit: number[];
  /** Kept fraction of each input (784, pixel order). */
  columnDensity: number[];
  milliseconds: number;
}

const bounds = (d: ReturnType<typeof cutDistance>): Bounds => ({
  upperBound: d.upperBound ?? null,
  upperBoundKind: d.upperBoundKind ?? null,
  alignedLowerBound: d.alignedLowerBound,
});

/**
 * Runs the job. `batch` is the scoring batch (`mnistSubset({ count: digits, seed })`); `onStage` hears
 * each stage as it starts, with the fraction of the work done before it.
 */
export async function runPlaygroundJob(
  s: PlaygroundSettings,
  batch: Batch,
  onStage: (stage: string, done: number) => void = () => {},
): Promise<PlaygroundResult> {
  const problems = settingsProblems(s);
  if (problems.length > 0) throw new Error(`settings out of range: ${problems.join('; ')}`);
  const t0 = performance.now();
  onStage('initialising the network', 0);
  const network = Mlp.create({
    widths: [784, s.width, 10],
    activation: 'relu',
    init: 'kaiming-normal',
    seed: s.seed,
  });
  try {
    onStage(`scoring with ${s.criterion}`, 0.05);
    const loss = 'cross-entropy' as const;
    const pruned = await prune({
      network,
      criterion: s.criterion,
      density: s.density,
      seed: s.seed,
      data: batch,
      loss,
      allocation: 'uniform',
      onCollapse: 'ignore',
    });
    const mask = pruned.mask.get(FIRST_LAYER);
    if (!(mask instanceof BitMatrix)) throw new Error(`${s.criterion} returned no ${FIRST_LAYER} mask`);
    const { kept, total, density } = networkMaskDensity(pruned.mask);
    const colDegrees = mask.colDegrees();

    onStage('predicting the limit', 0.6);
    const ctx: CriterionContext = { network, data: batch, loss, rng: new Rng(s.seed) };
    const f = fsmFactors(s.criterion as FsmCriterion, ctx);
    const noise = distribution(
      f.noise === 'uniform' ? 'uniform' : { type: 'half-normal', scale: Math.sqrt(2 / 784) },
    );
    const fsm = empiricalFsmLimit(f.rowFactor, f.colFactor, noise, s.density / f.eligible);
    const limit = fsm.toStepGraphon(HEATMAP_BLOCKS.rowBlocks, HEATMAP_BLOCKS.colBlocks);
    const limitValues = Array.from(limit.values, (v) => v * f.eligible);
    const limitGraphon = new StepGraphon(limit.rowCuts, limit.colCuts, Float64Array.from(limitValues));

    onStage('cut distances', 0.7);
    const options = { alignment: 'canonical' as const, seed: s.seed };
    const toConstant = bounds(cutDistance(mask, StepGraphon.constant(s.density), options));
    const toLimit = bounds(cutDistance(mask, limitGraphon, options));
    return {
      criterion: s.criterion,
      width: s.width,
      seed: s.seed,
      digits: s.digits,
      requestedDensity: s.density,
      density,
      kept,
      total,
      activeInputs: colDegrees.filter((d) => d > 0).length,
      distanceToConstant: toConstant.upperBound,
      toConstant,
      distanceToLimit: toLimit.upperBound,
      toLimit,
      heatmap: Array.from(canonicalStepGraphon(mask, HEATMAP_BLOCKS).values),
      limit: limitValues,
      columnDensity: Array.from(colDegrees, (d) => d / mask.rows),
      milliseconds: performance.now() - t0,
    };
  } finally {
    network.dispose();
  }
}
