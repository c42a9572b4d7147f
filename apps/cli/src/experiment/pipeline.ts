/**
 * The one experiment pipeline every preset runs through:
 *
 *     configuration → jobs (criteria × seeds, or one `--shard i/N` of them) → each job's result
 *       → a shard folder (`experiment.json` + `jobs/*.json`), or the report folder:
 *         the preset's files (report.md, results.csv, figures) + results.json + jobs/*.json
 *
 * `experiment merge` reads shard folders of one sweep back (`shard-folder.ts` checks that they share one
 * configuration and hold every job exactly once) and writes the same report a single run writes: the report is
 * a pure function of (configuration, job results in canonical order, provenance), and the provenance records
 * the canonical command of the configuration, not the argv.
 */
import {
  checkOutputFolder,
  InvalidArgumentError,
  type OutputFolderOptions,
  registry,
} from '@graphon-pai/core';
import {
  type Job,
  jobId,
  orderJobs,
  type PresetConfig,
  type PresetReport,
  presetNamed,
  runJobs,
  type Shard,
} from '@graphon-pai/experiments';
import { setupEngine } from '../engine';
import type { CliIo } from '../io';
import { Progress } from '../progress';
import { canonicalCommand, resolveConfig } from './config';
import { JobCache } from './job-cache';
import { runProvenance } from './provenance';
import { REPORT_FOLDER_KIND, writeReportFolder } from './report-folder';
import {
  jobFile,
  readCompletedJobs,
  readShardFolders,
  SHARD_FOLDER_KIND,
  writeShardFolder,
} from './shard-folder';

export interface RunOutcome {
  out: string;
  preset: string;
  jobs: number;
  /** The report's path, or null for a shard folder. */
  report: string | null;
  /** The preset's machine-readable summary, when it has one. */
  summary?: unknown;
  /** Human summary lines. */
  lines: string[];
}

async function executeJobs(
  config: PresetConfig,
  shard: Shard | undefined,
  io: CliIo,
  reused: ReadonlyMap<string, { job: Job }> = new Map(),
  onResult: (result: { job: Job }) => void = () => {},
): Promise<{ job: Job }[]> {
  for (const c of config.criteria) registry.criterion(c); // unknown ids fail before any work
  const run = await presetNamed(config.preset).load();
  run.check?.(config);
  await setupEngine();
  const all = runJobs(config.criteria, config.seeds, shard);
  const jobs = all.filter((job) => !reused.has(jobId(job)));
  const label = config.preset === 'taxonomy' ? 'experiment' : `experiment ${config.preset}`;
  const progress = new Progress(io, jobs.length * run.ticksPerJob(config), label);
  const results: { job: Job }[] = all.flatMap((job) => reused.get(jobId(job)) ?? []);
  for (const job of jobs) {
    const result = await run.runJob(config, job, (detail) => progress.tick(detail));
    onResult(result);
    results.push(result);
  }
  return results;
}

async function writeReport(
  out: string,
  config: PresetConfig,
  results: readonly { job: Job }[],
  figures: boolean,
  output: OutputFolderOptions = {},
): Promise<RunOutcome> {
  const run = await presetNamed(config.preset).load();
  const ordered = orderJobs(config.criteria, results);
  const provenance = await runProvenance(canonicalCommand(config));
  const report: PresetReport = run.report(config, ordered, provenance);
  const summary = report.summary === undefined ? {} : { summary: report.summary };
  report.text.set(
    'results.json',
    `${JSON.stringify({ config, provenance, ...summary, jobs: ordered }, null, 1)}\n`,
  );
  for (const r of ordered) report.text.set(...jobFile(r));
  await writeReportFolder(out, report, figures, output);
  return {
    out,
    preset: config.preset,
    jobs: ordered.length,
    report: `${out}/report.md`,
    ...summary,
    lines: report.lines,
  };
}

export interface RunOptions {
  /** The flags given (undefined = not given); `preset` chooses the preset. */
  given: Record<string, unknown>;
  out: string;
  shard?: Shard;
  /** Render SVG/PNG figures (the Vega-Lite specs are written either way). */
  figures: boolean;
  /** Write into a folder graphon-pai did not write (`output-folder.ts`; nothing else there is deleted). */
  force?: boolean;
  /** Reuse the job records already in `out` (`readCompletedJobs`). */
  resume?: boolean;
  io: CliIo;
}

/** Runs an experiment: the report folder, or one shard folder. */
export async function runExperiment(o: RunOptions): Promise<RunOutcome> {
  const config = resolveConfig(o.given);
  const kind = o.shard ? SHARD_FOLDER_KIND : REPORT_FOLDER_KIND;
  checkOutputFolder(o.out, { force: o.force, kind }); // the output rule, before any work
  // --resume: the records of the output folder, then those an interrupted run left in the job cache.
  const cache = o.resume ? new JobCache(o.out, config) : undefined;
  const reused = cache
    ? new Map([...readCompletedJobs<{ job: Job }>(o.out, config, kind), ...cache.read<{ job: Job }>()])
    : undefined;
  const results = await executeJobs(config, o.shard, o.io, reused, (r) => cache?.write(r));
  let outcome: RunOutcome;
  if (o.shard) {
    await writeShardFolder(o.out, config, o.shard, results, { force: o.force });
    outcome = { out: o.out, preset: config.preset, jobs: results.length, report: null, lines: [] };
  } else outcome = await writeReport(o.out, config, results, o.figures, { force: o.force });
  cache?.remove();
  return outcome;
}

/** Joins shard folders of one sweep into the report a single run writes. */
export async function mergeExperiment(
  folders: readonly string[],
  out: string,
  figures: boolean,
  force = false,
): Promise<RunOutcome> {
  if (folders.length === 0) throw new InvalidArgumentError('folders', folders, 'at least one shard folder');
  const output = { force, inputs: folders };
  checkOutputFolder(out, { ...output, kind: REPORT_FOLDER_KIND }); // an input shard is never an output
  const { config, results } = readShardFolders<PresetConfig, { job: Job }>(folders, {
    resolve: (raw) => resolveConfig(raw as unknown as Record<string, unknown>),
    notAShardFix: 'pass the --out folders of `graphon-pai experiment --shard i/N` runs',
  });
  return writeReport(out, config, results, figures, output);
}
