/**
 * The `taxonomy` preset's run: one job is a criterion and a seed at every width (`job.ts`); the report
 * folder is `report.ts`.
 */
import type { PresetRun } from '../../preset';
import { scoringBatch } from '../../scoring';
import type { TaxonomyConfig } from './config';
import { type JobResult, runJob } from './job';
import { buildReport } from './report';

export const taxonomyRun: PresetRun<TaxonomyConfig, JobResult> = {
  ticksPerJob: (config) => config.widths.length,
  runJob: async (config, job, tick) =>
    runJob(config, job, await scoringBatch(config.samples, job.seed), (width) =>
      tick(`${job.criterion} seed ${job.seed} n=${width}`),
    ),
  report: buildReport,
};
