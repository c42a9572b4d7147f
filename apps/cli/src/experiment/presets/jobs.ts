/**
 * Jobs of the `ntk` and `uat` presets: a criterion and a seed (the `--shard i/N` unit, as in the taxonomy
 * preset), run at every width × density. Scores are computed once per width (one-shot scores do not
 * depend on the density); at each density the first layer's n × 784 mask (`../scoring.ts`) is read as a
 * graphon the way `graphon-pai bounds` reads it: rows sorted by degree averaged in `rowBlocks` blocks,
 * inputs in pixel order (`bounds-eval.ts`).
 *
 * - `ntk`: C = 2, the criteria score the binary task's digits (labels 0/1); the Graphon-NTK report of the
 *   mask's graphon on the same digits rescaled to ‖x‖² = 784, and of the dense network (W ≡ 1) once per job.
 * - `uat`: C = 10, the criteria score one class-balanced batch of MNIST digits; the UAT verdict with S = the
 *   `k` densest active inputs, and each pixel's column density.
 */
import { registry, type ScoreMap, StepGraphon } from '@graphon-pai/core';
import { type Batch, mnistSubset } from '@graphon-pai/nets';
import type { CriterionContext } from '@graphon-pai/saliency';
import {
  type BinaryTask,
  evaluateNtk,
  evaluateUat,
  loadBinaryTask,
  type NtkOptions,
  type NtkReport,
  rowBlockGraphon,
  type UatReport,
} from '../../bounds-eval';
import { setupEngine } from '../../engine';
import type { CliIo } from '../../io';
import { Progress } from '../../progress';
import { criterionContext, experimentMlp, inputConnectivity, studiedMask } from '../scoring';
import { type Job, runJobs, type Shard } from '../sweep';
import type { PresetConfig } from './config';

export interface PresetCell {
  criterion: string;
  seed: number;
  width: number;
  density: number;
  kept: number;
  /** Inputs with at least one kept weight. */
  activeInputs: number;
  ntk?: NtkReport;
  uat?: UatReport;
  /** uat: kept fraction of each input pixel (length 784, pixel order). */
  columnDensity?: number[];
}

export interface PresetJobResult {
  job: Job;
  cells: PresetCell[];
  /** ntk: the dense network's kernel (W ≡ 1) on this job's task. */
  dense?: NtkReport;
}

function ntkOptions(config: PresetConfig): NtkOptions {
  return {
    layers: config.layers ?? 'both',
    sigmaW2: 1,
    delta: config.delta ?? 0.05,
    ridge: config.ridge ?? 0,
    topK: 10,
  };
}

async function runPresetJob(
  config: PresetConfig,
  job: Job,
  onCell: (detail: string) => void,
): Promise<PresetJobResult> {
  const criterion = registry.criterion<CriterionContext>(job.criterion);
  let task: BinaryTask | undefined;
  let data: Batch;
  if (config.preset === 'ntk') {
    task = await loadBinaryTask({
      data: 'mnist',
      classes: config.classes,
      samples: config.samples,
      features: 784,
      seed: job.seed,
      normalize: true,
    });
    data = task.raw;
  } else {
    data = await mnistSubset({ count: config.samples, seed: job.seed });
  }
  const outputs = config.preset === 'ntk' ? 2 : 10;
  const cells: PresetCell[] = [];
  for (const width of config.widths) {
    // One-shot scores do not depend on the density: score once per width, mask at every density.
    const network = experimentMlp(width, outputs, job.seed);
    let scores: ScoreMap;
    try {
      scores = await criterion.spec.score(criterionContext(criterion.spec, network, data, config.loss, job.seed));
    } finally {
      network.dispose();
    }
    for (const density of config.densities) {
      const mask = studiedMask(scores, density, job.criterion);
      const graphon = rowBlockGraphon(mask, config.rowBlocks);
      const { activeInputs, columnDensity } = inputConnectivity(mask);
      const cell: PresetCell = {
        criterion: job.criterion,
        seed: job.seed,
        width,
        density,
        kept: mask.nnz(),
        activeInputs,
      };
      if (task) {
        cell.ntk = evaluateNtk(graphon, task, ntkOptions(config));
      } else {
        cell.uat = evaluateUat({
          source: graphon,
          inputs: 784,
          width: mask.rows,
          mask,
          threshold: config.threshold ?? 0.01,
          coordinates: { kind: 'top', k: config.k ?? 4 },
          minNeurons: config.minNeurons ?? 32,
        }).report;
        cell.columnDensity = columnDensity;
      }
      cells.push(cell);
      onCell(`${job.criterion} seed ${job.seed} n=${width} p=${density}`);
    }
  }
  const dense = task ? evaluateNtk(StepGraphon.constant(1), task, ntkOptions(config)) : undefined;
  return dense ? { job, cells, dense } : { job, cells };
}

/** Runs every job of the sweep, or of one shard, with progress on stderr. */
export async function executePresetJobs(
  config: PresetConfig,
  shard: Shard | undefined,
  io: CliIo,
): Promise<PresetJobResult[]> {
  for (const c of config.criteria) registry.criterion(c); // unknown ids fail before any work
  await setupEngine();
  const jobs = runJobs(config.criteria, config.seeds, shard);
  const progress = new Progress(
    io,
    jobs.length * config.widths.length * config.densities.length,
    `experiment ${config.preset}`,
  );
  const results: PresetJobResult[] = [];
  for (const job of jobs) results.push(await runPresetJob(config, job, (d) => progress.tick(d)));
  return results;
}

/** The cells of one criterion at one width and density, over seeds (job order). */
export function cellsAt(
  results: readonly PresetJobResult[],
  criterion: string,
  width: number,
  density: number,
): PresetCell[] {
  return results
    .filter((r) => r.job.criterion === criterion)
    .flatMap((r) => r.cells.filter((c) => c.width === width && c.density === density));
}
