/**
 * Running, sharding and merging the experiment.
 *
 * A full run executes every job and writes the report folder. `--shard i/N` executes one slice and writes a
 * shard folder (`experiment.json` with the configuration, and `jobs/*.json`); `experiment merge` checks
 * that the shard folders share one configuration and together hold every job exactly once, then writes the
 * same report a single run gives (the report is a pure function of configuration and job results, and the
 * recorded command is the canonical command of the configuration, not the shard's argv).
 */
import { InvalidArgumentError, registry } from '@graphon-pai/core';
import { type Batch, mnistSubset } from '@graphon-pai/nets';
import { setupEngine } from '../engine';
import type { CliIo } from '../io';
import { Progress } from '../progress';
import { reproducingCommand } from './command-line';
import { DEFAULT_CONFIG, type ExperimentConfig, resolveConfig } from './config';
import { type JobResult, runJob } from './job';
import { runProvenance } from './provenance';
import { buildReport } from './report';
import { writeReportFolder } from './report-folder';
import { readShardFolders, writeShardFolder } from './shard-folder';
import type { CriterionSummary } from './summary';
import { runJobs, type Shard } from './sweep';

/** The command that reproduces a configuration (flags that differ from the defaults). */
export function canonicalCommand(config: ExperimentConfig): string {
  return reproducingCommand(config, DEFAULT_CONFIG, [
    ['preset', '--preset'],
    ['criteria', '--criteria'],
    ['widths', '--widths'],
    ['seeds', '--seeds'],
    ['density', '--density'],
    ['loss', '--loss'],
    ['samples', '--samples'],
    ['rowBlocks', '--row-blocks'],
    ['colBlocks', '--col-blocks'],
    ['bootstrap', '--bootstrap'],
    ['alpha', '--alpha'],
  ]);
}

async function executeJobs(config: ExperimentConfig, shard: Shard | undefined, io: CliIo): Promise<JobResult[]> {
  for (const c of config.criteria) registry.criterion(c); // unknown ids fail before any work
  await setupEngine();
  const jobs = runJobs(config.criteria, config.seeds, shard);
  const progress = new Progress(io, jobs.length * config.widths.length, 'experiment');
  const data = new Map<number, Batch>();
  const results: JobResult[] = [];
  for (const job of jobs) {
    if (!data.has(job.seed)) data.set(job.seed, await mnistSubset({ count: config.samples, seed: job.seed }));
    results.push(
      await runJob(config, job, data.get(job.seed)!, (width) => progress.tick(`${job.criterion} seed ${job.seed} n=${width}`)),
    );
  }
  return results;
}

async function writeReport(out: string, config: ExperimentConfig, results: JobResult[]): Promise<CriterionSummary[]> {
  const report = buildReport(config, results, await runProvenance(canonicalCommand(config)));
  await writeReportFolder(out, report, true);
  return report.summary;
}

export interface RunOptions {
  config: Partial<ExperimentConfig>;
  out: string;
  shard?: Shard;
  io: CliIo;
}

export interface RunOutcome {
  out: string;
  jobs: number;
  summary: CriterionSummary[] | null;
}

export async function runExperiment(options: RunOptions): Promise<RunOutcome> {
  const config = resolveConfig(options.config);
  const results = await executeJobs(config, options.shard, options.io);
  if (options.shard) {
    await writeShardFolder(options.out, config, options.shard, results);
    return { out: options.out, jobs: results.length, summary: null };
  }
  return { out: options.out, jobs: results.length, summary: await writeReport(options.out, config, results) };
}

/** Joins shard folders into the report a single run gives. */
export async function mergeExperiment(folders: readonly string[], out: string): Promise<RunOutcome> {
  if (folders.length === 0) throw new InvalidArgumentError('folders', folders, 'at least one shard folder');
  const { config, results } = readShardFolders<ExperimentConfig, JobResult>(folders, {
    resolve: (raw) => resolveConfig(raw),
    notAShardFix: 'pass the --out folders of `graphon-pai experiment --shard i/N` runs',
  });
  const summary = await writeReport(out, config, results);
  return { out, jobs: results.length, summary };
}
