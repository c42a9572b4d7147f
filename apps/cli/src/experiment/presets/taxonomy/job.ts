/**
 * One job of the taxonomy experiment: a criterion and a seed, run at every width in increasing order.
 *
 * At width n: a 784 → n → 10 ReLU MLP (Kaiming-normal Gaussian initialisation, seed `seed`), scored by the
 * criterion on the job's class-balanced MNIST batch (the same digits at every width), a layer-wise mask of
 * density p, and for the first layer's n × 784 mask M:
 *
 * - the predicted limit W_FSM from the criterion's FSM factors (`predicted-limit.ts`; plugin criteria without
 *   an FSM view get a rank-one fit of |score / w|, the rule of `@graphon-pai/saliency`'s `rankOneFit`);
 * - δ_□(W_M, W_FSM) under the canonical alignment: `upperBound` (certified upper bound on δ_□) and
 *   `alignedLowerBound` (an explicit cut of the aligned difference: a lower bound on that aligned cut norm);
 * - δ_□(W_{M_n}, W_{M_n'}) to the previous width's mask, the same two numbers;
 * - the homogeneity test (`@graphon-pai/cut-distance` `homogeneityTest`), its null masks drawn with the job's seed;
 * - the canonical block histogram (heatmaps) and each input's column density (connectivity maps).
 */
import { type BitMatrix, registry, type ScoreMap } from '@graphon-pai/core';
import { type CutDistanceResult, cutDistance, type HomogeneityTest, homogeneityTest } from '@graphon-pai/cut-distance';
import { canonicalStepGraphon, distribution } from '@graphon-pai/graphon';
import type { Batch } from '@graphon-pai/nets';
import { type CriterionContext, FSM_CRITERIA, type FsmCriterion, fsmFactors, rankOneFit } from '@graphon-pai/saliency';
import type { TaxonomyConfig } from './config';
import { predictedLimit } from './predicted-limit';
import { criterionContext, experimentMlp, inputConnectivity, STUDIED_LAYER, studiedMask } from '../../scoring';
import { bareId, type Job } from '../../sweep';

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
  limit: { method: string; tau: number; achievedDensity: number; noise: string };
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

function factorsFor(criterion: string, ctx: CriterionContext, scores: ScoreMap) {
  const id = bareId(criterion);
  if ((FSM_CRITERIA as readonly string[]).includes(id)) {
    const f = fsmFactors(id as FsmCriterion, ctx);
    return { rowFactor: f.rowFactor, colFactor: f.colFactor, noise: f.noise, method: f.method };
  }
  const layer = scores.get(STUDIED_LAYER)!;
  const w = ctx.network.weight(STUDIED_LAYER);
  const sensitivity = Float64Array.from(layer.scores, (s, q) => (w[q] === 0 ? 0 : Math.abs(s / w[q])));
  const { A, B } = rankOneFit(sensitivity, layer.shape.rows, layer.shape.cols);
  return { rowFactor: A, colFactor: B, noise: 'abs-weight' as const, method: 'rank-one-fit' };
}

export async function runJob(
  config: TaxonomyConfig,
  job: Job,
  data: Batch,
  onWidth: (width: number) => void = () => {},
): Promise<JobResult> {
  const criterion = registry.criterion<CriterionContext>(job.criterion);
  const blocks = { rowBlocks: config.rowBlocks, colBlocks: config.colBlocks };
  const widths: WidthResult[] = [];
  let previous: BitMatrix | undefined;
  for (const width of config.widths) {
    const network = experimentMlp(width, 10, job.seed);
    try {
      const ctx = criterionContext(criterion.spec, network, data, config.loss, job.seed);
      const scores = await criterion.spec.score(ctx);
      const mask = studiedMask(scores, config.density, job.criterion);
      const f = factorsFor(job.criterion, ctx, scores);
      // |w| of a Kaiming-normal layer is half-normal with scale √(2 / fan_in).
      const noise = distribution(f.noise === 'uniform' ? 'uniform' : { type: 'half-normal', scale: Math.sqrt(2 / 784) });
      const limit = predictedLimit(f.rowFactor, f.colFactor, noise, config.density, blocks);
      const seed = job.seed;
      const toLimit = distance(cutDistance(mask, limit.graphon, { alignment: 'canonical', seed }));
      const toPrevious =
        previous === undefined
          ? null
          : {
              ...distance(cutDistance(mask, previous, { alignment: 'canonical', seed })),
              previousWidth: previous.rows,
            };
      const homogeneity = homogeneityTest(mask, {
        density: config.density,
        ...blocks,
        replicates: config.bootstrap,
        alpha: config.alpha,
        seed,
      });
      const { activeInputs, columnDensity } = inputConnectivity(mask);
      widths.push({
        width,
        rows: mask.rows,
        cols: mask.cols,
        kept: mask.nnz(),
        density: mask.density(),
        limit: { method: f.method, tau: limit.tau, achievedDensity: limit.achieved, noise: noise.name },
        toLimit,
        toPrevious,
        homogeneity,
        activeInputs,
        histogram: Array.from(canonicalStepGraphon(mask, blocks).values),
        limitHistogram: Array.from(limit.graphon.values),
        columnDensity,
      });
      previous = mask;
    } finally {
      network.dispose();
    }
    onWidth(width);
  }
  return { job, widths };
}
