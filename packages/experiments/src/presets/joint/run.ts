/**
 * The `joint` preset's run. A job (criterion, seed) runs every width n with d = n/2: a one-hidden-layer ReLU
 * network d → n → 1 (Kaiming normal, seed = the job's seed) made zero-output by pairing its neurons
 * (`pairedZeroOutput`), scored by the criterion on `mirroredRegressionTask` data (`samples` examples: half
 * of them and their negatives; mean squared loss), a layer-wise mask keeping exactly round(p · N_l) weights,
 * and the first layer's n × d mask compared with the closed-form limit (`limit.ts`) by three metrics:
 *
 * - `block`: exact cut distance of the K × L canonical histograms (`blockDistance`);
 * - `pixel`: exact cut distance of K degree-sorted row blocks × the d inputs, against the limit given the
 *   batch's input factors (`pixelDistance`, `pixelReference`);
 * - `full`: the full-resolution cut distance with its upper and aligned lower bounds
 *   (`cutDistance`, canonical alignment) against the limit on a grid (`limitGrid`: exact for the constant,
 *   n rows for SynFlow, at most 2048 × 1024 cells for SNIP), with the grid's certified discretisation bound;
 *   for the constant limit, next to the fixed-d floor ½·√(2/π)·√(p(1−p)/d), which here shrinks with d.
 */
import { type BitMatrix, StepGraphon } from '@graphon-pai/core';
import {
  blockDistance,
  blockSummary,
  cutDistance,
  type DenseMatrix,
  fixedDimensionFloor,
  pixelDistance,
} from '@graphon-pai/cut-distance';
import type { FsmLimit } from '@graphon-pai/graphon';
import { Mlp, mirroredRegressionTask } from '@graphon-pai/nets';
import { pairedZeroOutput } from '@graphon-pai/saliency';
import type { PresetReport, PresetRun } from '../../preset';
import { criterionContext, jobCriterion, studiedMask } from '../../scoring';
import type { Job } from '../../sweep';
import type { JointConfig } from './config';
import { distancesCsv, jointCsv } from './csv';
import { convergenceFigure } from './figure';
import { type JointCriterion, type JointProfile, jointLimit, limitGrid, pixelReference } from './limit';
import { jointMarkdown } from './markdown';

/** The scale profile of the inputs: a quarter of the coordinates at scale 1, the rest at 1/4. */
export const JOINT_PROFILE: JointProfile = {
  informativeFraction: 0.25,
  informativeScale: 1,
  backgroundScale: 0.25,
};

/** Largest grid of SNIP's limit in the full-resolution distance (rows × cols; ≤ n × d). */
export const FULL_GRID = { rows: 2048, cols: 1024 } as const;

export interface FullDistance {
  /** Upper bound on the aligned cut norm against the limit's grid (its kind in `upperBoundKind`; null when none). */
  upperBound: number | null;
  upperBoundKind: string | null;
  failureProbability: number;
  /** Value of an explicit cut: a lower bound on the aligned cut norm. */
  alignedLowerBound: number;
  /** Certified bound on ‖W − grid‖_□ (0 for the constant): add it to `upperBound` for a bound on δ_□(W_M, W). */
  discretisation: number;
  gridRows: number;
  gridCols: number;
  method: string;
}

export interface JointCell {
  width: number;
  /** Input dimension d = n/2. */
  inputs: number;
  kept: number;
  /** Exact `block` distance to the limit. */
  block: number;
  /** Exact `pixel` distance to the limit given the batch's input factors. */
  pixel: number;
  full: FullDistance;
  /** ½·√(2/π)·√(p(1−p)/d) for a constant limit, else null. */
  floor: number | null;
  seconds: { score: number; block: number; pixel: number; full: number };
}

export interface JointResult {
  job: Job;
  limit: { reference: 'constant' | 'fsm'; tau: number | null; closedForm: string };
  cells: JointCell[];
}

const limits = new Map<string, StepGraphon | FsmLimit>();

/** The closed-form limit, solved once per process. */
function limitOf(criterion: JointCriterion, density: number): StepGraphon | FsmLimit {
  const key = `${criterion}/${density}`;
  let limit = limits.get(key);
  if (!limit) {
    limit = jointLimit(criterion, density, JOINT_PROFILE);
    limits.set(key, limit);
  }
  return limit;
}

const seconds = (start: number) => (performance.now() - start) / 1000;

function scoreAndMask(
  config: JointConfig,
  job: Job,
  width: number,
  batch: ReturnType<typeof mirroredRegressionTask>['batch'],
) {
  const criterion = jobCriterion(job.criterion);
  const plain = Mlp.create({ widths: [width / 2, width, 1], init: 'kaiming-normal', seed: job.seed });
  const network = pairedZeroOutput(plain);
  plain.dispose();
  return (async (): Promise<BitMatrix> => {
    try {
      const scores = await criterion.spec.score(
        criterionContext(criterion.spec, network, batch, 'mse', job.seed),
      );
      return studiedMask(scores, config.density, job.criterion);
    } finally {
      network.dispose();
    }
  })();
}

export async function runJointJob(
  config: JointConfig,
  job: Job,
  onWidth: (width: number) => void,
): Promise<JointResult> {
  const criterion = job.criterion as JointCriterion;
  const limit = limitOf(criterion, config.density);
  const blocks = { rowBlocks: config.rowBlocks, colBlocks: config.colBlocks, minBlockSize: 4 };
  const limitBlocks: DenseMatrix = blockSummary(limit, blocks);
  const cells: JointCell[] = [];
  for (const width of config.widths) {
    const d = width / 2;
    const task = mirroredRegressionTask({
      pairs: config.samples / 2,
      features: d,
      profile: JOINT_PROFILE,
      seed: job.seed,
    });
    let t = performance.now();
    const mask = await scoreAndMask(config, job, width, task.batch);
    const score = seconds(t);
    t = performance.now();
    const block = blockDistance(mask, limitBlocks, blocks).value;
    const blockTime = seconds(t);
    t = performance.now();
    const reference = pixelReference(criterion, limit, task.inputFactors, config.rowBlocks);
    const pixel = pixelDistance(mask, reference, blocks).value;
    const pixelTime = seconds(t);
    t = performance.now();
    const grid = limitGrid(criterion, limit, Math.min(width, FULL_GRID.rows), Math.min(d, FULL_GRID.cols));
    const cut = cutDistance(mask, grid.kernel, { alignment: 'canonical', seed: job.seed });
    const full: FullDistance = {
      upperBound: cut.upperBound ?? null,
      upperBoundKind: cut.upperBoundKind ?? null,
      failureProbability: cut.failureProbability,
      alignedLowerBound: cut.alignedLowerBound,
      discretisation: grid.discretisation,
      gridRows: grid.kernel.rowBlocks,
      gridCols: grid.kernel.colBlocks,
      method: cut.cutNorm.method,
    };
    const fullTime = seconds(t);
    cells.push({
      width,
      inputs: d,
      kept: mask.nnz(),
      block,
      pixel,
      full,
      floor: limit instanceof StepGraphon ? fixedDimensionFloor(config.density, d) : null,
      seconds: { score, block: blockTime, pixel: pixelTime, full: fullTime },
    });
    onWidth(width);
  }
  const fsm = limit instanceof StepGraphon ? null : limit;
  return {
    job,
    limit: {
      reference: fsm ? 'fsm' : 'constant',
      tau: fsm ? fsm.tau : null,
      closedForm: fsm ? fsm.closedForm : String(config.density),
    },
    cells,
  };
}

export const jointRun: PresetRun<JointConfig, JointResult> = {
  ticksPerJob: (config) => config.widths.length,
  runJob: (config, job, tick) =>
    runJointJob(config, job, (width) => tick(`${job.criterion} seed ${job.seed} n=${width}`)),
  report(config, results, provenance): PresetReport {
    return {
      text: new Map([
        ['report.md', jointMarkdown(config, results, provenance)],
        ['results.csv', jointCsv(results)],
        ['distances.csv', distancesCsv(results)],
      ]),
      figures: new Map([['joint-convergence', convergenceFigure(config, results)]]),
      lines: [],
    };
  },
};
