/**
 * One job of the taxonomy experiment: a criterion and a seed, run at every width in increasing order.
 *
 * At width n: a 784 → n → 10 ReLU MLP (Kaiming-normal Gaussian initialisation, seed `seed`; neurons paired
 * with `--output-at-init zero`, `references.ts`), scored by the criterion on the job's class-balanced MNIST
 * batch (the same digits at every width), a layer-wise mask of density p, and for the first layer's n × 784
 * mask M:
 *
 * - the FSM-predicted limit W_FSM from the criterion's FSM factors (`predicted-limit.ts`; plugin criteria
 *   without an FSM view get a rank-one fit of |score / w|, the rule of `@graphon-pai/saliency`'s
 *   `rankOneFit`), with its fit quality (the fraction of Σ|S|² the factor product explains);
 * - the plug-in limit of the criterion's own mechanism at N_ref (`references.ts`);
 * - `distances`: M against `fsm`, `plugin`, `constant` (p) and `previous` (the mask at the previous width)
 *   in the `block`, `pixel` and `full` metrics (`distances.ts`), and the FSM model's bias, δ(plug-in, FSM);
 * - `toLimit`, `toPrevious`: the full-resolution distances to W_FSM and to the previous mask as before
 *   (`upperBound`, upper bound on δ□, and `alignedLowerBound`);
 * - the homogeneity test (`@graphon-pai/cut-distance` `homogeneityTest`), its null masks drawn with the job's seed;
 * - the canonical block histograms of M and (widest width) of the plug-in limit, and each input's column density;
 * - at the widest width, for the determinism question: the mask's block summary (the report compares seeds,
 *   whose networks and digits both differ), its `block` distance to a width-n mask sharing its output signal
 *   (`sharedSignalSibling`), and its `block` distance to the mask of another initialisation scored on the
 *   same digits (`otherNetworkMask`): the last against the first says whether the limit depends on the
 *   network's output at initialisation.
 */
import { type BitMatrix, type ScoreMap, StepGraphon } from '@graphon-pai/core';
import {
  blockSummary,
  type CutDistanceResult,
  cutDistance,
  gridDistance,
  type HomogeneityTest,
  homogeneityTest,
} from '@graphon-pai/cut-distance';
import { canonicalStepGraphon, type Distribution, distribution } from '@graphon-pai/graphon';
import type { Batch, Network } from '@graphon-pai/nets';
import {
  type CriterionContext,
  explainedFraction,
  FSM_CRITERIA,
  type FsmCriterion,
  fsmFactors,
  rankOneFit,
} from '@graphon-pai/saliency';
import { criterionContext, inputConnectivity, jobCriterion, STUDIED_LAYER, studiedMask } from '../../scoring';
import { bareId, type Job } from '../../sweep';
import type { TaxonomyConfig } from './config';
import {
  constantSummaries,
  type DistanceRow,
  fullRows,
  gridRows,
  maskSummaries,
  type Summaries,
} from './distances';
import { type PredictedLimit, predictedLimit } from './predicted-limit';
import {
  jobNeurons,
  otherNetworkMask,
  type PluginInfo,
  pluginReference,
  sharedSignalSibling,
  studiedNetwork,
} from './references';

export interface Distance {
  upperBound: number | null;
  upperBoundKind: string | null;
  alignedLowerBound: number;
  alignment: string;
  method: string;
}

export interface WidthResult {
  width: number;
  rows: number;
  cols: number;
  kept: number;
  density: number;
  /** The FSM limit: fit method, τ, density met, noise law, fraction of Σ|S|² explained, eligible fraction. */
  limit: {
    method: string;
    tau: number;
    achievedDensity: number;
    noise: string;
    explained: number;
    eligible: number;
  };
  plugin: PluginInfo;
  /** Every (reference, metric, kind) distance of the mask (`distances.ts`). */
  distances: DistanceRow[];
  /** The FSM model's bias: δ(plug-in limit, FSM limit) in the block metric, and the pixel metric at the widest width. */
  fsmBias: { block: number; pixel: number | null };
  toLimit: Distance;
  toPrevious: (Distance & { previousWidth: number }) | null;
  homogeneity: HomogeneityTest;
  /** Inputs with at least one kept weight. */
  activeInputs: number;
  /** Canonical K × L histogram of the mask, row-major. */
  histogram: number[];
  /** The predicted limit's K × L block averages, row-major. */
  limitHistogram: number[];
  /** Kept fraction of each input column (length 784, pixel order). */
  columnDensity: number[];
  /** The plug-in limit's canonical K × L histogram (widest width only, else null). */
  pluginHistogram: number[] | null;
  /** Widest width only: the mask's block summary and its block distance to a mask sharing its output signal. */
  determinism: { blockSummary: number[]; sharedSignalBlock: number | null; otherNetworkBlock: number } | null;
}

export interface JobResult {
  job: Job;
  widths: WidthResult[];
}

function distance(d: CutDistanceResult): Distance {
  return {
    upperBound: d.upperBound ?? null,
    upperBoundKind: d.upperBoundKind ?? null,
    alignedLowerBound: d.alignedLowerBound,
    alignment: d.alignment,
    method: d.cutNorm.method,
  };
}

/**
 * The FSM factors of the criterion for `layer` (default the MLP's first layer): `fsmFactors` for a built-in,
 * else a rank-one fit of |score / w|.
 */
export function factorsFor(
  criterion: string,
  ctx: CriterionContext<Network>,
  scores: ScoreMap,
  layer: string = STUDIED_LAYER,
) {
  const id = bareId(criterion);
  if ((FSM_CRITERIA as readonly string[]).includes(id)) {
    const f = fsmFactors(id as FsmCriterion, ctx, layer === STUDIED_LAYER ? {} : { layer });
    return {
      rowFactor: f.rowFactor,
      colFactor: f.colFactor,
      noise: f.noise,
      method: f.method,
      explained: f.explained,
      eligible: f.eligible,
    };
  }
  const scored = scores.get(layer)!;
  const w = ctx.network.weight(layer);
  const sensitivity = Float64Array.from(scored.scores, (s, q) => (w[q] === 0 ? 0 : Math.abs(s / w[q])));
  const { A, B } = rankOneFit(sensitivity, scored.shape.rows, scored.shape.cols);
  const explained = explainedFraction(sensitivity, A, B, scored.shape.rows, scored.shape.cols);
  return {
    rowFactor: A,
    colFactor: B,
    noise: 'abs-weight' as const,
    method: 'rank-one-fit',
    explained,
    eligible: 1,
  };
}

/** The record of an FSM limit: fit method, τ, density met, noise law, Σ|S|² explained, eligible fraction. */
export function limitRecord(
  f: ReturnType<typeof factorsFor>,
  limit: PredictedLimit,
  noise: Distribution,
): WidthResult['limit'] {
  return {
    method: f.method,
    tau: limit.tau,
    achievedDensity: limit.achieved,
    noise: noise.name,
    explained: f.explained,
    eligible: f.eligible,
  };
}

export async function runJob(
  config: TaxonomyConfig,
  job: Job,
  data: Batch,
  onWidth: (width: number) => void = () => {},
): Promise<JobResult> {
  const criterion = jobCriterion(job.criterion);
  const blocks = { rowBlocks: config.rowBlocks, colBlocks: config.colBlocks };
  const widths: WidthResult[] = [];
  let previous: { mask: BitMatrix; summaries: Summaries } | undefined;
  const widest = config.widths[config.widths.length - 1];
  const neurons = jobNeurons(config, job.seed);
  for (const width of config.widths) {
    const network = studiedNetwork(config, width, job.seed);
    try {
      const ctx = criterionContext(criterion.spec, network, data, config.loss, job.seed);
      const scores = await criterion.spec.score(ctx);
      const mask = studiedMask(scores, config.density, job.criterion);
      const own = maskSummaries(mask);
      const f = factorsFor(job.criterion, ctx, scores);
      // |w| of a Kaiming-normal layer is half-normal with scale √(2 / fan_in).
      const noise = distribution(
        f.noise === 'uniform' ? 'uniform' : { type: 'half-normal', scale: Math.sqrt(2 / 784) },
      );
      const limit = predictedLimit(f.rowFactor, f.colFactor, noise, config.density, blocks, f.eligible);
      const fsm: Summaries = { block: blockSummary(limit), pixel: limit.pixelSummary(own.pixel.rows) };
      const plugin = await pluginReference(
        config,
        job.criterion,
        criterion.spec,
        ctx,
        data,
        job.seed,
        neurons,
      );
      const pluginSummaries = maskSummaries(plugin.mask);
      const seed = job.seed;
      const toLimit = cutDistance(mask, limit.graphon, { alignment: 'canonical', seed });
      const toConstant = cutDistance(mask, StepGraphon.constant(config.density), {
        alignment: 'canonical',
        seed,
      });
      const toPrevious = previous && cutDistance(mask, previous.mask, { alignment: 'canonical', seed });
      const distances: DistanceRow[] = [
        ...gridRows('fsm', own, fsm),
        ...fullRows('fsm', toLimit),
        ...gridRows('plugin', own, pluginSummaries),
        ...gridRows('constant', own, constantSummaries(config.density, own)),
        ...fullRows('constant', toConstant),
        ...(previous && toPrevious
          ? [...gridRows('previous', own, previous.summaries), ...fullRows('previous', toPrevious)]
          : []),
      ];
      const homogeneity = homogeneityTest(mask, {
        density: config.density,
        ...blocks,
        replicates: config.bootstrap,
        alpha: config.alpha,
        seed,
      });
      const sibling = width === widest ? sharedSignalSibling(config, job.criterion, ctx, seed) : null;
      const other =
        width === widest
          ? await otherNetworkMask(config, job.criterion, criterion.spec, data, width, seed)
          : null;
      const { activeInputs, columnDensity } = inputConnectivity(mask);
      widths.push({
        width,
        rows: mask.rows,
        cols: mask.cols,
        kept: mask.nnz(),
        density: mask.density(),
        limit: limitRecord(f, limit, noise),
        plugin: plugin.info,
        distances,
        fsmBias: {
          block: gridDistance(pluginSummaries.block, fsm.block).value,
          pixel: width === widest ? gridDistance(pluginSummaries.pixel, fsm.pixel).value : null,
        },
        toLimit: distance(toLimit),
        toPrevious:
          previous && toPrevious ? { ...distance(toPrevious), previousWidth: previous.mask.rows } : null,
        homogeneity,
        activeInputs,
        histogram: Array.from(canonicalStepGraphon(mask, blocks).values),
        limitHistogram: Array.from(limit.graphon.values),
        columnDensity,
        pluginHistogram:
          width === widest ? Array.from(canonicalStepGraphon(plugin.mask, blocks).values) : null,
        determinism:
          width === widest
            ? {
                blockSummary: Array.from(own.block.data),
                sharedSignalBlock: sibling
                  ? gridDistance(own.block, maskSummaries(sibling).block).value
                  : null,
                otherNetworkBlock: gridDistance(own.block, maskSummaries(other!).block).value,
              }
            : null,
      });
      previous = { mask, summaries: own };
    } finally {
      network.dispose();
    }
    onWidth(width);
  }
  return { job, widths };
}
