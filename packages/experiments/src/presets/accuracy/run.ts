/**
 * The `accuracy` preset's run. A job (criterion × seed) scores a 784 → n → 10 ReLU MLP on the MNIST scoring
 * batch (`../density-sweep.ts`); at every density the network keeps the criterion's first-layer mask (the
 * layer the theory describes; the n × 10 output layer stays dense), is trained from its initialisation with
 * `@graphon-pai/nets`' `trainMlp` (SGD, momentum 0.9, batch 128, `epochs`, learning rate `lr`,
 * shuffling seeded by the job's seed) on the 60,000 training digits and tested on the 10,000 test digits.
 * The dense baseline depends on the seed only, so the job of the first criterion trains it once per width.
 * The mask's graphon gets the Graphon-NTK report of `@graphon-pai/bounds` on the binary task (`classes`,
 * first `samples` digits, ‖x‖² = 784): tr K / m, the kernel–target alignment (scale-free) and the Arora et al.
 * bound, as computed (σ_w² = 1) and at the common scale tr K / m = 1 (K / (tr K / m), which is K_W at
 * σ_w² = m / tr K since K_W is proportional to σ_w²); a kernel that is not positive definite has no bound (null). The job also trains the dense network once
 * per width (the baseline) and reports the dense kernel (W ≡ 1).
 */
import { type NetworkMask, NumericalError, StepGraphon } from '@graphon-pai/core';
import {
  type GraphonSource,
  generalisationBound,
  graphonNtk,
  type KernelMatrix,
  kernelTargetAlignment,
  type NtkTask,
} from '@graphon-pai/bounds';
import { type Batch, type EpochRecord, loadMnist, trainMlp } from '@graphon-pai/nets';
import { mnistBinaryTask } from '../../mnist-task';
import type { PresetReport, PresetRun } from '../../preset';
import { experimentMlp, STUDIED_LAYER, scoringBatch } from '../../scoring';
import type { Job } from '../../sweep';
import { densitySweepJob, type SweepCell } from '../density-sweep';
import type { AccuracyConfig } from './config';
import { accuracyCsv } from './csv';
import { accuracyFigure } from './figure';
import { accuracyMarkdown, correlations } from './markdown';

/** The theory's quantities of one graphon. */
export interface TheoryQuantities {
  /** tr K / m of the kernel as computed (σ_w² = 1). */
  traceOverM: number;
  /** Kernel–target alignment (scale-free). */
  alignment: number;
  /** The generalisation bound as computed, and at tr K / m = 1; null when K is not positive definite. */
  bound: number | null;
  normalizedBound: number | null;
}

/** Test and training figures of a trained network (the last epoch). */
export interface Trained {
  testAccuracy: number;
  testLoss: number;
  trainLoss: number;
}

export interface AccuracyCell extends SweepCell, Trained {
  theory: TheoryQuantities;
}

export interface AccuracyResult {
  job: Job;
  cells: AccuracyCell[];
  /**
   * Per width: the dense network trained the same way, and the dense kernel's quantities (W ≡ 1). Only the job
   * of the first criterion computes it (it depends on the seed alone); the others leave it empty.
   */
  dense: ({ width: number; theory: TheoryQuantities } & Trained)[];
}

const splits = new Map<'train' | 'test', Promise<Batch>>();

/** The standard MNIST split (loaded once per process). */
function split(which: 'train' | 'test'): Promise<Batch> {
  let batch = splits.get(which);
  if (!batch) {
    batch = loadMnist({ split: which });
    splits.set(which, batch);
  }
  return batch;
}

function theory(graphon: GraphonSource, task: NtkTask, config: AccuracyConfig): TheoryQuantities {
  const k = graphonNtk(task.x, graphon, { layers: 'both', sigmaW2: 1 });
  const m = k.rows;
  let trace = 0;
  for (let i = 0; i < m; i++) trace += k.data[i * m + i];
  const traceOverM = trace / m;
  const boundOf = (kernel: KernelMatrix): number | null => {
    try {
      return generalisationBound(kernel, task.y, { delta: config.delta, ridge: config.ridge }).bound;
    } catch (error) {
      if (error instanceof NumericalError) return null; // K + λI not positive definite: no bound
      throw error;
    }
  };
  return {
    traceOverM,
    alignment: kernelTargetAlignment(k, task.y),
    bound: boundOf(k),
    normalizedBound: boundOf({ rows: m, cols: m, data: k.data.map((v) => v / traceOverM) }),
  };
}

function last(history: EpochRecord[]): Trained {
  const e = history[history.length - 1];
  return {
    testAccuracy: e.testAccuracy ?? Number.NaN,
    testLoss: e.testLoss ?? Number.NaN,
    trainLoss: e.trainLoss,
  };
}

export const accuracyRun: PresetRun<AccuracyConfig, AccuracyResult> = {
  ticksPerJob: (config) => config.widths.length * config.densities.length,
  async runJob(config, job, tick) {
    const [train, test, data] = await Promise.all([
      split('train'),
      split('test'),
      scoringBatch(config.samples, job.seed),
    ]);
    const task = await mnistBinaryTask({
      classes: config.classes,
      samples: config.samples,
      seed: job.seed,
    });
    const fit = (width: number, mask?: NetworkMask): Trained => {
      const net = experimentMlp(width, 10, job.seed);
      try {
        const { net: trained, history } = trainMlp(net, train, {
          epochs: config.epochs,
          learningRate: config.lr,
          optimizer: { kind: 'sgd', momentum: 0.9 },
          batchSize: 128,
          mask,
          seed: job.seed,
          test,
        });
        trained.dispose();
        return last(history);
      } finally {
        net.dispose();
      }
    };
    const cells = await densitySweepJob(
      config,
      job,
      data,
      10,
      ({ mask, graphon }) => ({
        ...fit(mask.rows, new Map([[STUDIED_LAYER, mask]])),
        theory: theory(graphon, task, config),
      }),
      tick,
    );
    const dense =
      job.criterion === config.criteria[0]
        ? config.widths.map((width) => ({
            width,
            ...fit(width),
            theory: theory(StepGraphon.constant(1), task, config),
          }))
        : [];
    return { job, cells, dense };
  },
  report(config, results, provenance): PresetReport {
    const rho = correlations(results);
    return {
      text: new Map([
        ['report.md', accuracyMarkdown(config, results, provenance)],
        ['results.csv', accuracyCsv(results)],
      ]),
      figures: new Map([['accuracy', accuracyFigure(config, results)]]),
      lines: rho.map(
        (r) => `ρ(${r.quantity}, test error) = ${r.rho.toFixed(3)} over ${r.count} networks: ${r.verdict}`,
      ),
      summary: { correlations: rho },
    };
  },
};
