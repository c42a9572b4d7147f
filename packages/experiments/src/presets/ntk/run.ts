/**
 * The `ntk` preset's run. A job scores the binary task's digits (C = 2 outputs, labels 0/1) at every width ×
 * density (`../density-sweep.ts`); each cell gets the Graphon-NTK report of the mask's graphon on the same
 * digits rescaled to ‖x‖² = 784, and the job the dense network's (W ≡ 1) report once.
 */
import { StepGraphon } from '@graphon-pai/core';
import { graphonNtkReport, type NtkReport, type NtkReportOptions } from '@graphon-pai/bounds';
import { mnistBinaryTask } from '../../mnist-task';
import type { PresetReport, PresetRun } from '../../preset';
import type { Job } from '../../sweep';
import { densitySweepJob, type SweepCell } from '../density-sweep';
import type { NtkConfig } from './config';
import { ntkCsv } from './csv';
import { ntkFigure } from './figure';
import { ntkMarkdown } from './markdown';

export interface NtkCell extends SweepCell {
  ntk: NtkReport;
}

export interface NtkResult {
  job: Job;
  cells: NtkCell[];
  /** The dense network's kernel (W ≡ 1) on this job's task. */
  dense: NtkReport;
}

function ntkOptions(config: NtkConfig): NtkReportOptions {
  return { layers: config.layers, sigmaW2: 1, delta: config.delta, ridge: config.ridge, topK: 10 };
}

export const ntkRun: PresetRun<NtkConfig, NtkResult> = {
  ticksPerJob: (config) => config.widths.length * config.densities.length,
  async runJob(config, job, tick) {
    const task = await mnistBinaryTask({
      classes: config.classes,
      samples: config.samples,
      seed: job.seed,
    });
    const cells = await densitySweepJob(
      config,
      job,
      task.raw,
      2,
      ({ graphon }) => ({ ntk: graphonNtkReport(graphon, task, ntkOptions(config)) }),
      tick,
    );
    return { job, cells, dense: graphonNtkReport(StepGraphon.constant(1), task, ntkOptions(config)) };
  },
  report(config, results, provenance): PresetReport {
    return {
      text: new Map([
        ['report.md', ntkMarkdown(config, results, provenance)],
        ['results.csv', ntkCsv(results)],
      ]),
      figures: new Map([['ntk', ntkFigure(config, results)]]),
      lines: [],
    };
  },
};
