/**
 * Running, sharding and merging the experiment.
 *
 * A full run executes every job and writes the report folder. `--shard i/N` executes one slice and writes a
 * shard folder (`experiment.json` with the configuration, and `jobs/*.json`); `experiment merge` checks
 * that the shard folders share one configuration and together hold every job exactly once, then writes the
 * same report a single run gives (the report is a pure function of configuration and job results, and the
 * recorded command is the canonical command of the configuration, not the shard's argv).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, InvalidArgumentError, registry } from '@graphon-pai/core';
import { type Batch, mnistSubset } from '@graphon-pai/nets';
import * as tf from '@tensorflow/tfjs-core';
import { setupEngine } from '../engine';
import type { CliIo } from '../io';
import { withOutputFolder } from '../output-folder';
import { Progress } from '../progress';
import { renderVegaLite } from '../render';
import { version } from '../version';
import { DEFAULT_CONFIG, type ExperimentConfig, resolveConfig } from './config';
import { type JobResult, runJob } from './job';
import { buildReport, type Provenance } from './report';
import type { CriterionSummary } from './summary';
import { jobId, type Shard, shardJobs, sweepJobs } from './sweep';

/** The command that reproduces a configuration (flags that differ from the defaults). */
export function canonicalCommand(config: ExperimentConfig): string {
  const flags: string[] = [];
  const d = DEFAULT_CONFIG;
  const list = (x: readonly (string | number)[]) => x.join(',');
  if (config.preset !== d.preset) flags.push(`--preset ${config.preset}`);
  if (list(config.criteria) !== list(d.criteria)) flags.push(`--criteria ${list(config.criteria)}`);
  if (list(config.widths) !== list(d.widths)) flags.push(`--widths ${list(config.widths)}`);
  if (list(config.seeds) !== list(d.seeds)) flags.push(`--seeds ${list(config.seeds)}`);
  for (const [key, flag] of [
    ['density', '--density'],
    ['loss', '--loss'],
    ['samples', '--samples'],
    ['rowBlocks', '--row-blocks'],
    ['colBlocks', '--col-blocks'],
    ['bootstrap', '--bootstrap'],
    ['alpha', '--alpha'],
  ] as const) {
    if (config[key] !== d[key]) flags.push(`${flag} ${config[key]}`);
  }
  return ['graphon-pai experiment', ...flags].join(' ');
}

async function provenance(config: ExperimentConfig): Promise<Provenance> {
  const engine = await setupEngine();
  return {
    command: canonicalCommand(config),
    versions: { '@graphon-pai/cli': version, '@tensorflow/tfjs-core': tf.version_core },
    engine,
    node: process.versions.node,
  };
}

async function executeJobs(config: ExperimentConfig, shard: Shard | undefined, io: CliIo): Promise<JobResult[]> {
  for (const c of config.criteria) registry.criterion(c); // unknown ids fail before any work
  await setupEngine();
  const all = sweepJobs(config.criteria, config.seeds);
  const jobs = shard ? shardJobs(all, shard) : all;
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
  const report = buildReport(config, results, await provenance(config));
  const rendered = new Map<string, Awaited<ReturnType<typeof renderVegaLite>>>();
  for (const [name, spec] of report.figures) rendered.set(name, await renderVegaLite(spec));
  await withOutputFolder(out, (folder) => {
    for (const [path, text] of report.text) folder.write(path, text);
    for (const [name, fig] of rendered) {
      folder.write(`figures/${name}.svg`, fig.svg);
      folder.write(`figures/${name}.png`, fig.png);
      folder.write(`figures/${name}.vl.json`, `${JSON.stringify(report.figures.get(name), null, 1)}\n`);
    }
  });
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
    const shard = options.shard;
    await withOutputFolder(options.out, (folder) => {
      folder.write('experiment.json', `${JSON.stringify({ config, shard }, null, 1)}\n`);
      for (const r of results) folder.write(`jobs/${jobId(r.job)}.json`, `${JSON.stringify(r)}\n`);
    });
    return { out: options.out, jobs: results.length, summary: null };
  }
  return { out: options.out, jobs: results.length, summary: await writeReport(options.out, config, results) };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FormatError(`cannot read JSON (${(error as Error).message})`, {
      source: file,
      fix: 'pass folders written by `graphon-pai experiment --shard i/N`',
    });
  }
}

/** Joins shard folders into the report a single run gives. */
export async function mergeExperiment(folders: readonly string[], out: string): Promise<RunOutcome> {
  if (folders.length === 0) throw new InvalidArgumentError('folders', folders, 'at least one shard folder');
  let config: ExperimentConfig | undefined;
  const results = new Map<string, JobResult>();
  for (const folder of folders) {
    const meta = join(folder, 'experiment.json');
    if (!existsSync(meta)) {
      throw new FormatError('not a shard folder (no experiment.json)', {
        source: folder,
        fix: 'pass the --out folders of `graphon-pai experiment --shard i/N` runs',
      });
    }
    const c = resolveConfig((readJson(meta) as { config: ExperimentConfig }).config);
    if (config && JSON.stringify(config) !== JSON.stringify(c)) {
      throw new FormatError('shard configurations differ', { source: folder, fix: 'merge shards of one sweep only' });
    }
    config = c;
    const jobsDir = join(folder, 'jobs');
    for (const file of existsSync(jobsDir) ? readdirSync(jobsDir).sort() : []) {
      const r = readJson(join(jobsDir, file)) as JobResult;
      const id = jobId(r.job);
      if (results.has(id)) throw new FormatError(`job ${id} appears in two shards`, { source: folder, fix: 'merge each shard once' });
      results.set(id, r);
    }
  }
  const expected = sweepJobs(config!.criteria, config!.seeds).map(jobId);
  const missing = expected.filter((id) => !results.has(id));
  if (missing.length > 0) {
    throw new FormatError(`shards are incomplete: missing jobs ${missing.join(', ')}`, {
      fix: 'run the missing shards (every i in 0..N-1) and merge all of them',
    });
  }
  const summary = await writeReport(out, config!, [...results.values()]);
  return { out, jobs: results.size, summary };
}
