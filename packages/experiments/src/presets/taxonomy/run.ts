/**
 * The `taxonomy` preset's run: one job is a criterion and a seed at every width (`job.ts`); the report
 * folder is `report.ts`. With `--net` the study is one conv layer across channel multipliers
 * (`conv-study.ts`, `conv-job.ts`, `conv-report.ts`).
 */
import type { PresetRun } from '../../preset';
import { scoringBatch } from '../../scoring';
import type { TaxonomyConfig } from './config';
import { type ConvJobResult, runConvJob } from './conv-job';
import { buildConvReport } from './conv-report';
import { convStudy } from './conv-study';
import { type JobResult, runJob } from './job';
import { buildReport } from './report';

export type TaxonomyResult = JobResult | ConvJobResult;

const isConv = (config: TaxonomyConfig) => config.net !== undefined;

export const taxonomyRun: PresetRun<TaxonomyConfig, TaxonomyResult> = {
  check: (config) => {
    if (isConv(config)) convStudy(config);
  },
  ticksPerJob: (config) => config.widths.length + (isConv(config) ? 1 : 0),
  runJob: async (config, job, tick) => {
    const data = await scoringBatch(config.samples, job.seed);
    if (isConv(config)) {
      return runConvJob(config, job, data, (detail) => tick(`${job.criterion} seed ${job.seed} ${detail}`));
    }
    return runJob(config, job, data, (width) => tick(`${job.criterion} seed ${job.seed} n=${width}`));
  },
  report: (config, results, provenance) =>
    isConv(config)
      ? buildConvReport(config, results as ConvJobResult[], provenance)
      : buildReport(config, results as JobResult[], provenance),
};
