/**
 * One job of the taxonomy preset's conv study (`conv-study.ts`): a criterion and a seed, run at every channel
 * multiplier in increasing order.
 *
 * At multiplier m: the scaled conv network (seeded Kaiming-normal initialisation), scored by the criterion on
 * the job's class-balanced MNIST batch (the same digits at every multiplier, as in the MLP study), a
 * layer-wise mask of density p (every layer keeps exactly round(p · N_l) weights), and for the studied
 * layer's mask M (`[O, C, kh, kw]`), on each of its two graphs (`kernel`: M itself, O × C·kh·kw; `channel`:
 * the kept fraction of each channel pair, O × C):
 *
 * - `distances`: the exact `block` cut distance (`@graphon-pai/cut-distance`'s `blockSummary` +
 *   `gridDistance`, on the graph's fixed grid) to
 *   - `constant`: the constant graphon p;
 *   - `previous`: the graph at the previous multiplier;
 *   - `fsm`: the FSM model fitted to this network's layer (`fsmFactors` on the conv layer: exact for random
 *     and magnitude, a rank-one fit of |score / w| otherwise; plugins without an FSM view get the same fit).
 *     On the kernel graph its limit is `predictedLimit` (canonical orientation, exact block averages); on
 *     the channel graph the predicted kept fraction of a pair is the mean of W over its kh·kw taps,
 *     F̂[o, c] = (1/(kh·kw)) Σ_t W(A_o, B_(c,t)), placed in canonical order (channels by predicted kept
 *     fraction, descending, stable) as a mask's channel graph is;
 *   - `wide-mask`: the same criterion's mask on the network at the wide multiplier (`--wide-multiplier`,
 *     default 2 × the widest; seeded like the job), the documented reference of a criterion without a
 *     plug-in limit (the plug-in limit's fresh-neuron scorers are MLP-only);
 * - the homogeneity test (`homogeneityTest` on the kernel graph, `channelHomogeneityTest` on the channel
 *   graph, one null of uniformly random masks of the same shape and count, seeded with the job's seed);
 * - the canonical histograms on the graph's test grid, and the FSM prediction on the same grid.
 *
 * The `pixel` metric of the MLP study keeps input identity (pixel i at every width); the columns of a conv
 * layer are channels that have no identity across multipliers, so it does not apply. The `full` metric is not
 * computed: the rates are fitted on `block`, as in the MLP study.
 */
import { type BitMatrix, type CriterionSpec, Rng, type ScoreMap, StepGraphon } from '@graphon-pai/core';
import {
  blockSummary,
  type DenseMatrix,
  gridDistance,
  type HomogeneityTest,
  homogeneityTest,
} from '@graphon-pai/cut-distance';
import { canonicalStepGraphon, channelStepGraphon, distribution } from '@graphon-pai/graphon';
import { maskFromScores } from '@graphon-pai/masks';
import type { Batch, ConvNet, Network } from '@graphon-pai/nets';
import type { CriterionContext } from '@graphon-pai/saliency';
import { jobCriterion } from '../../scoring';
import type { Job } from '../../sweep';
import { channelHomogeneityTest } from './channel-homogeneity';
import type { TaxonomyConfig } from './config';
import { type ConvGraphName, type ConvStudy, convNetwork, convStudy } from './conv-study';
import { factorsFor, limitRecord, type WidthResult } from './job';
import { type PredictedLimit, predictedLimit } from './predicted-limit';

export type ConvReferenceName = 'fsm' | 'wide-mask' | 'constant' | 'previous';
export const CONV_REFERENCES: readonly ConvReferenceName[] = ['wide-mask', 'fsm', 'constant', 'previous'];

export interface ConvDistanceRow {
  reference: ConvReferenceName;
  metric: 'block';
  value: number;
  kind: 'exact';
}

export interface ConvGraphResult {
  rows: number;
  cols: number;
  distances: ConvDistanceRow[];
  homogeneity: HomogeneityTest;
  /** Canonical histogram on the graph's test grid, row-major. */
  histogram: number[];
  /** The FSM prediction on the same grid. */
  limitHistogram: number[];
}

export interface ConvWidthResult {
  /** The channel multiplier. */
  width: number;
  /** The studied layer's `[O, C, kh, kw]` at this multiplier. */
  tensorShape: number[];
  kept: number;
  density: number;
  /** The FSM limit, as in the MLP study. */
  limit: WidthResult['limit'];
  graphs: Record<ConvGraphName, ConvGraphResult>;
}

export interface ConvJobResult {
  job: Job;
  conv: {
    net: string;
    spec: string;
    layer: string;
    wideMultiplier: number;
    wideShape: number[];
    /** The wide mask's canonical histograms on each graph's test grid. */
    wideHistogram: Record<ConvGraphName, number[]>;
  };
  widths: ConvWidthResult[];
}

type Summaries = Record<ConvGraphName, DenseMatrix>;

/** The block summaries of a mask's two graphs on the study's grids. */
export function convSummaries(study: ConvStudy, mask: BitMatrix, shape: readonly number[]): Summaries {
  return {
    kernel: blockSummary(mask, { ...study.blockGrid.kernel, minBlockSize: 1 }),
    channel: blockSummary(channelStepGraphon(mask, shape), study.blockGrid.channel),
  };
}

/** The canonical histograms of a mask's two graphs on the study's test grids. */
function convHistograms(study: ConvStudy, mask: BitMatrix, shape: readonly number[]) {
  return {
    kernel: Array.from(canonicalStepGraphon(mask, study.histogramGrid.kernel).values),
    channel: Array.from(channelStepGraphon(mask, shape, study.histogramGrid.channel).values),
  };
}

/**
 * The FSM prediction of the channel graph: F̂[o, c] = mean over the pair's taps of W, in canonical order
 * (rows and columns by predicted kept fraction, descending, stable), as an O × C step graphon.
 */
export function channelLimit(
  limit: PredictedLimit,
  rowFactor: Float64Array,
  colFactor: Float64Array,
  shape: readonly number[],
): StepGraphon {
  const [O, C, kh, kw] = shape;
  const k = kh * kw;
  const F = new Float64Array(O * C);
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += limit.pairValue(rowFactor[o], colFactor[c * k + t]);
      F[o * C + c] = s / k;
    }
  }
  const rowSum = new Float64Array(O);
  const colSum = new Float64Array(C);
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      rowSum[o] += F[o * C + c];
      colSum[c] += F[o * C + c];
    }
  }
  const order = (x: Float64Array) => Array.from(x.keys()).sort((a, b) => x[b] - x[a] || a - b);
  const rows = order(rowSum);
  const cols = order(colSum);
  const values = new Float64Array(O * C);
  for (let a = 0; a < O; a++) for (let b = 0; b < C; b++) values[a * C + b] = F[rows[a] * C + cols[b]];
  const cuts = (n: number) => Float64Array.from({ length: n + 1 }, (_, i) => i / n);
  return new StepGraphon(cuts(O), cuts(C), values);
}

const constantSummary = (density: number, like: DenseMatrix): DenseMatrix => ({
  rows: like.rows,
  cols: like.cols,
  data: new Float64Array(like.rows * like.cols).fill(density),
});

interface Scored {
  mask: BitMatrix;
  scores: ScoreMap;
  ctx: CriterionContext<Network>;
}

/** The criterion's scores of `network` and the studied layer's mask at the configured density. */
async function scoreLayer(
  config: TaxonomyConfig,
  study: ConvStudy,
  spec: CriterionSpec<CriterionContext<Network>>,
  network: ConvNet,
  data: Batch,
  seed: number,
): Promise<Scored> {
  const ctx: CriterionContext<Network> = {
    network,
    data: spec.needsData ? data : undefined,
    loss: config.loss,
    rng: new Rng(seed),
  };
  const scores = await spec.score(ctx);
  const mask = maskFromScores(scores, { density: config.density, allocation: 'uniform' }).get(study.layer);
  if (!mask) throw new Error(`the criterion returned no ${study.layer} scores`);
  return { mask: mask as BitMatrix, scores, ctx };
}

export async function runConvJob(
  config: TaxonomyConfig,
  job: Job,
  data: Batch,
  onWidth: (detail: string) => void = () => {},
): Promise<ConvJobResult> {
  const study = convStudy(config);
  // Built-in criteria score conv networks; a plugin that does not refuses with its own error.
  const spec = jobCriterion(job.criterion).spec as unknown as CriterionSpec<CriterionContext<Network>>;
  const scoreAt = async <T>(multiplier: number, use: (s: Scored) => T): Promise<T> => {
    const network = convNetwork(study, multiplier, job.seed);
    try {
      return use(await scoreLayer(config, study, spec, network, data, job.seed));
    } finally {
      network.dispose();
    }
  };
  const wide = await scoreAt(study.wideMultiplier, ({ mask }) => ({
    summaries: convSummaries(study, mask, study.wideShape),
    histograms: convHistograms(study, mask, study.wideShape),
  }));
  onWidth(`wide mask ×${study.wideMultiplier}`);
  const widths: ConvWidthResult[] = [];
  let previous: Summaries | undefined;
  for (const [index, multiplier] of study.multipliers.entries()) {
    const shape = study.shapes[index];
    const result = await scoreAt(multiplier, ({ mask, scores, ctx }) => {
      const own = convSummaries(study, mask, shape);
      const f = factorsFor(job.criterion, ctx, scores, study.layer);
      const fanIn = shape[1] * shape[2] * shape[3];
      // |w| of a Kaiming-normal layer is half-normal with scale √(2 / fan_in).
      const noise = distribution(
        f.noise === 'uniform' ? 'uniform' : { type: 'half-normal', scale: Math.sqrt(2 / fanIn) },
      );
      const limit = predictedLimit(
        f.rowFactor,
        f.colFactor,
        noise,
        config.density,
        study.histogramGrid.kernel,
        f.eligible,
      );
      const channelFsm = channelLimit(limit, f.rowFactor, f.colFactor, shape);
      const fsm: Summaries = {
        kernel: blockSummary(limit, study.blockGrid.kernel),
        channel: blockSummary(channelFsm, study.blockGrid.channel),
      };
      const histograms = convHistograms(study, mask, shape);
      const limitHistograms = {
        kernel: Array.from(limit.graphon.values),
        channel: Array.from(blockSummary(channelFsm, study.histogramGrid.channel).data),
      };
      const test = {
        density: config.density,
        replicates: config.bootstrap,
        alpha: config.alpha,
        seed: job.seed,
      };
      const graph = (g: ConvGraphName, sides: [number, number]): ConvGraphResult => {
        const row = (reference: ConvReferenceName, other: DenseMatrix): ConvDistanceRow => ({
          reference,
          metric: 'block',
          value: gridDistance(own[g], other).value,
          kind: 'exact',
        });
        return {
          rows: sides[0],
          cols: sides[1],
          distances: [
            row('wide-mask', wide.summaries[g]),
            row('fsm', fsm[g]),
            row('constant', constantSummary(config.density, own[g])),
            ...(previous ? [row('previous', previous[g])] : []),
          ],
          homogeneity:
            g === 'kernel'
              ? homogeneityTest(mask, { ...test, ...study.histogramGrid.kernel })
              : channelHomogeneityTest(mask, shape, { ...test, ...study.histogramGrid.channel }),
          histogram: histograms[g],
          limitHistogram: limitHistograms[g],
        };
      };
      const [O, C, kh, kw] = shape;
      const width: ConvWidthResult = {
        width: multiplier,
        tensorShape: [...shape],
        kept: mask.nnz(),
        density: mask.density(),
        limit: limitRecord(f, limit, noise),
        graphs: { kernel: graph('kernel', [O, C * kh * kw]), channel: graph('channel', [O, C]) },
      };
      return { width, own };
    });
    widths.push(result.width);
    previous = result.own;
    onWidth(`×${multiplier} ${study.layer} [${shape.join(', ')}]`);
  }
  return {
    job,
    conv: {
      net: study.net,
      spec: study.specString,
      layer: study.layer,
      wideMultiplier: study.wideMultiplier,
      wideShape: study.wideShape,
      wideHistogram: wide.histograms,
    },
    widths,
  };
}
