/**
 * The `uat` preset's run. A job scores one class-balanced batch of MNIST digits (C = 10 outputs) at every
 * width × density (`../density-sweep.ts`); each cell gets the UAT verdict with S = the `k` densest active
 * inputs, and each pixel's column density.
 */
import { type UatReport, uatReport } from '@graphon-pai/bounds';
import type { PresetReport, PresetRun } from '../../preset';
import { scoringBatch } from '../../scoring';
import type { Job } from '../../sweep';
import { densitySweepJob, type SweepCell } from '../density-sweep';
import type { UatConfig } from './config';
import { uatCsv } from './csv';
import { activeCoordinateFigure } from './figure';
import { uatMarkdown } from './markdown';

export interface UatCell extends SweepCell {
  uat: UatReport;
  /** Kept fraction of each input pixel (length 784, pixel order). */
  columnDensity: number[];
}

export interface UatResult {
  job: Job;
  cells: UatCell[];
}

export const uatRun: PresetRun<UatConfig, UatResult> = {
  ticksPerJob: (config) => config.widths.length * config.densities.length,
  async runJob(config, job, tick) {
    const cells = await densitySweepJob(
      config,
      job,
      await scoringBatch(config.samples, job.seed),
      10,
      ({ mask, graphon, columnDensity }) => ({
        uat: uatReport({
          source: graphon,
          inputs: 784,
          width: mask.rows,
          mask,
          threshold: config.threshold,
          coordinates: { kind: 'top', k: config.k },
          minNeurons: config.minNeurons,
        }).report,
        columnDensity,
      }),
      tick,
    );
    return { job, cells };
  },
  report(config, results, provenance): PresetReport {
    return {
      text: new Map([
        ['report.md', uatMarkdown(config, results, provenance)],
        ['results.csv', uatCsv(results)],
      ]),
      figures: new Map([['active-coordinates', activeCoordinateFigure(config, results)]]),
      lines: [],
    };
  },
};
