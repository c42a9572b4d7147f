/**
 * The one experiment pipeline every preset runs through, writing folders:
 *
 *     configuration → jobs (criteria × seeds, or one shard i/N of them) → each job's result
 *       → a shard folder (`experiment.json` + `jobs/*.json`), or the report folder:
 *         the preset's files (report.md, results.csv, figures) + results.json + jobs/*.json
 *
 * {@link mergeExperiment} reads shard folders of one sweep back (`shard-folder.ts` checks that they share one
 * configuration and hold every job exactly once) and writes the same report a single run writes: the report
 * is a pure function of (configuration, job results in canonical order, provenance), so the provenance
 * should record what reproduces the configuration (the CLI records its canonical command, not the argv).
 *
 * Folders follow core's output rule (`withOutputFolder`): checked before any work, written all-or-nothing,
 * refusals naming `--out` / `--force` as the CLI spells them. With `resume`, the job records already in
 * `out` and those a job cache next to it kept from an interrupted run (`job-cache.ts`) are reused.
 * The caller chooses the tfjs backend (`setup`, called before the first job) and records the provenance.
 */
import {
  checkOutputFolder,
  InvalidArgumentError,
  type OutputFolderOptions,
  registry,
} from '@graphon-pai/core';
import { JobCache } from './job-cache';
import type { PresetConfig, PresetReport } from './preset';
import { presetConfig, presetNamed } from './presets/index';
import type { Provenance } from './provenance';
import { type FigureRenderer, REPORT_FOLDER_KIND, writeReportFolder } from './report-folder';
import {
  jobFile,
  readCompletedJobs,
  readShardFolders,
  SHARD_FOLDER_KIND,
  writeShardFolder,
} from './shard-folder';
import { type Job, jobId, orderJobs, runJobs, type Shard } from './sweep';

/** What a run or merge wrote. */
export interface ExperimentOutcome {
  out: string;
  preset: string;
  jobs: number;
  /** The report's path (`<out>/report.md`), or null for a shard folder. */
  report: string | null;
  /** The preset's machine-readable summary, when it has one. */
  summary?: unknown;
  /** The preset's human summary lines (none for a shard folder). */
  lines: string[];
}

/** Options of {@link runExperiment} and {@link mergeExperiment}. */
export interface ExperimentOutput {
  /** The folder to write (the report folder, or the shard folder with `shard`). */
  out: string;
  /** The provenance the report records, asked for when the report is written. */
  provenance: (config: PresetConfig) => Provenance | Promise<Provenance>;
  /** Draws the figures as SVG and PNG (their Vega-Lite specs are written either way). */
  render?: FigureRenderer;
  /** Write into a folder graphon-pai did not write, replacing only the files it writes (core's output rule). */
  force?: boolean;
}

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions extends ExperimentOutput {
  /** Run only shard i/N of the jobs (`parseShard('0/4')`) and write a shard folder. */
  shard?: Shard;
  /** Reuse the job records already in `out`, and those an interrupted run left in the job cache. */
  resume?: boolean;
  /** Sets up the engine (e.g. `tf.setBackend('wasm')`); called once the configuration passed its checks. */
  setup?: () => Promise<unknown> | unknown;
  /** Called with the number of progress ticks to come; returns the tick callback (one call per unit of work). */
  progress?: (total: number) => (detail: string) => void;
}

/** Options of {@link mergeExperiment}. */
export interface MergeExperimentOptions extends ExperimentOutput {
  /** Checks a shard's recorded configuration and fills its defaults (default {@link presetConfig}). */
  resolve?: (recorded: Record<string, unknown>) => PresetConfig;
}

async function executeJobs(
  config: PresetConfig,
  o: RunExperimentOptions,
  reused: ReadonlyMap<string, { job: Job }> = new Map(),
  onResult: (result: { job: Job }) => void = () => {},
): Promise<{ job: Job }[]> {
  const { registerBuiltinCriteria } = await import('@graphon-pai/saliency'); // idempotent
  registerBuiltinCriteria(registry);
  for (const c of config.criteria) registry.criterion(c); // unknown ids fail before any work
  const run = await presetNamed(config.preset).load();
  run.check?.(config);
  await o.setup?.();
  const all = runJobs(config.criteria, config.seeds, o.shard);
  const jobs = all.filter((job) => !reused.has(jobId(job)));
  const tick = o.progress?.(jobs.length * run.ticksPerJob(config)) ?? (() => {});
  const results: { job: Job }[] = all.flatMap((job) => reused.get(jobId(job)) ?? []);
  for (const job of jobs) {
    const result = await run.runJob(config, job, tick);
    onResult(result);
    results.push(result);
  }
  return results;
}

async function writeReport(
  config: PresetConfig,
  results: readonly { job: Job }[],
  o: ExperimentOutput,
  output: Omit<OutputFolderOptions, 'kind'>,
): Promise<ExperimentOutcome> {
  const run = await presetNamed(config.preset).load();
  const ordered = orderJobs(config.criteria, results);
  const provenance = await o.provenance(config);
  const report: PresetReport = run.report(config, ordered, provenance);
  const summary = report.summary === undefined ? {} : { summary: report.summary };
  report.text.set(
    'results.json',
    `${JSON.stringify({ config, provenance, ...summary, jobs: ordered }, null, 1)}\n`,
  );
  for (const r of ordered) report.text.set(...jobFile(r));
  await writeReportFolder(o.out, report, o.render, output);
  return {
    out: o.out,
    preset: config.preset,
    jobs: ordered.length,
    report: `${o.out}/report.md`,
    ...summary,
    lines: report.lines,
  };
}

/**
 * Runs the experiment of a checked configuration (`presetConfig`): every job, or one shard of them, into the
 * report folder or shard folder `out`.
 */
export async function runExperiment(
  config: PresetConfig,
  options: RunExperimentOptions,
): Promise<ExperimentOutcome> {
  const { out, shard, force, resume } = options;
  const kind = shard ? SHARD_FOLDER_KIND : REPORT_FOLDER_KIND;
  checkOutputFolder(out, { force, kind }); // the output rule, before any work
  const cache = resume ? new JobCache(out, config) : undefined;
  const reused = cache
    ? new Map([...readCompletedJobs<{ job: Job }>(out, config, kind), ...cache.read<{ job: Job }>()])
    : undefined;
  const results = await executeJobs(config, options, reused, (r) => cache?.write(r));
  let outcome: ExperimentOutcome;
  if (shard) {
    await writeShardFolder(out, config, shard, results, { force });
    outcome = { out, preset: config.preset, jobs: results.length, report: null, lines: [] };
  } else outcome = await writeReport(config, results, options, { force });
  cache?.remove();
  return outcome;
}

/** Joins the shard folders of one sweep into the report folder `options.out` that a single run writes. */
export async function mergeExperiment(
  folders: readonly string[],
  options: MergeExperimentOptions,
): Promise<ExperimentOutcome> {
  if (folders.length === 0) throw new InvalidArgumentError('folders', folders, 'at least one shard folder');
  const output = { force: options.force ?? false, inputs: folders };
  checkOutputFolder(options.out, { ...output, kind: REPORT_FOLDER_KIND }); // an input shard is never an output
  const resolve = options.resolve ?? presetConfig;
  const { config, results } = readShardFolders<PresetConfig, { job: Job }>(folders, {
    resolve: (raw) => resolve(raw as unknown as Record<string, unknown>),
    notAShardFix: 'pass the --out folders of `graphon-pai experiment --shard i/N` runs',
  });
  return writeReport(config, results, options, output);
}
