/**
 * Shard folders (`runExperiment` with a `shard`, `graphon-pai experiment --shard i/N`), shared by every
 * preset: `experiment.json` (the configuration and the shard) and `jobs/<id>.json` (one raw job result
 * each). Reading a set of folders validates every record (`job-records.ts`), checks that they share one
 * configuration and together hold every job of the sweep exactly once: the input of `mergeExperiment`, which
 * then writes the report a single run gives. Only files named like job records (`<id>.json`) count as jobs;
 * others are ignored. Also here: the job records of an earlier run that a resumed run reuses.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError, type OutputFolderOptions, readOutputMarker, withOutputFolder } from '@graphon-pai/core';
import { checkJobRecord, parseRecord, shardMetaSchema } from './job-records';
import { type Job, jobId, type Shard, sweepJobs } from './sweep';

/** Largest record read (job records are kilobytes; anything this big is not one). */
const MAX_RECORD_BYTES = 64 << 20;

/** File names of job records: `jobId(job)` + `.json`. */
const JOB_FILE = /^[A-Za-z0-9_-]+-s\d+\.json$/;

/** The output kind of shard folders (core's output rule): a shard folder is reused only for a shard. */
export const SHARD_FOLDER_KIND = 'experiment-shard';

/** The file of one job result in a shard or report folder: `[relative path, contents]`. */
export function jobFile(result: { job: Job }): [string, string] {
  return [`jobs/${jobId(result.job)}.json`, `${JSON.stringify(result)}\n`];
}

/** Writes a shard folder (all-or-nothing). */
export async function writeShardFolder(
  out: string,
  config: unknown,
  shard: Shard,
  results: readonly { job: Job }[],
  options: Omit<OutputFolderOptions, 'kind'> = {},
): Promise<void> {
  await withOutputFolder(
    out,
    (folder) => {
      folder.write('experiment.json', `${JSON.stringify({ config, shard }, null, 1)}\n`);
      for (const r of results) folder.write(...jobFile(r));
    },
    { ...options, kind: SHARD_FOLDER_KIND },
  );
}

function readJson(file: string): unknown {
  try {
    const stats = lstatSync(file);
    if (!stats.isFile()) throw new Error('not a regular file');
    if (stats.size > MAX_RECORD_BYTES) throw new Error(`${stats.size} bytes, more than a record holds`);
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FormatError(`cannot read JSON (${(error as Error).message})`, {
      source: file,
      fix: 'pass folders written by `graphon-pai experiment --shard i/N`',
    });
  }
}

export interface ShardReading<C> {
  /** Validates the recorded configuration of `folder` (and fills its defaults). */
  resolve: (raw: C, folder: string) => C;
  /** The fix named when a folder has no `experiment.json`. */
  notAShardFix: string;
}

/** Reads shard folders of one sweep (see the file header); returns the configuration and every job result. */
export function readShardFolders<C extends { criteria: string[]; seeds: number[] }, R extends { job: Job }>(
  folders: readonly string[],
  reading: ShardReading<C>,
): { config: C; results: R[] } {
  let config: C | undefined;
  const results = new Map<string, R>();
  for (const folder of folders) {
    const meta = join(folder, 'experiment.json');
    if (!existsSync(meta)) {
      throw new FormatError('not a shard folder (no experiment.json)', {
        source: folder,
        fix: reading.notAShardFix,
      });
    }
    const recorded = parseRecord(shardMetaSchema, readJson(meta), meta, reading.notAShardFix);
    const c = reading.resolve(recorded.config as unknown as C, folder);
    if (config && JSON.stringify(config) !== JSON.stringify(c)) {
      throw new FormatError('shard configurations differ', {
        source: folder,
        fix: 'merge shards of one sweep only',
      });
    }
    config = c;
    const order = sweepJobs(c.criteria, c.seeds).map(jobId);
    const jobsDir = join(folder, 'jobs');
    for (const file of existsSync(jobsDir) ? readdirSync(jobsDir).sort() : []) {
      if (!JOB_FILE.test(file)) continue;
      const source = join(jobsDir, file);
      const r = checkJobRecord<R>(readJson(source), source, {
        config: c as unknown as Parameters<typeof checkJobRecord>[2]['config'],
        shard: recorded.shard,
        index: (job) => order.indexOf(jobId(job)),
        file,
      });
      const id = jobId(r.job);
      if (results.has(id))
        throw new FormatError(`job ${id} appears in two shards`, {
          source: folder,
          fix: 'merge each shard once',
        });
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
  return { config: config!, results: [...results.values()] };
}

/** The configuration without the keys that choose the jobs (each job is a pure function of the rest). */
export function jobSettings(config: Record<string, unknown>): string {
  const { criteria: _c, seeds: _s, ...rest } = config;
  return JSON.stringify(rest);
}

/**
 * `experiment --resume`: the job records already in `out` (a report or shard folder this tool wrote) that
 * belong to the run of `config`, by job id. Records are reused only when the folder's recorded configuration
 * equals `config` except for the criteria and seeds (which choose the jobs), and each is validated like a
 * merged record. A missing folder reuses nothing; any other folder is an error naming the fix.
 */
export function readCompletedJobs<R extends { job: Job }>(
  out: string,
  config: { preset: string; criteria: string[]; seeds: number[] },
  kind: string,
): Map<string, R> {
  const reused = new Map<string, R>();
  if (!existsSync(out)) return reused;
  const marker = readOutputMarker(out);
  const recordFile = join(out, kind === SHARD_FOLDER_KIND ? 'experiment.json' : 'results.json');
  if (marker?.kind !== kind || !existsSync(recordFile)) {
    throw new FormatError(
      `--resume: not a ${kind === SHARD_FOLDER_KIND ? 'shard' : 'report'} folder of graphon-pai experiment`,
      {
        source: out,
        fix: 'pass the --out folder of an earlier run with the same settings, or drop --resume',
      },
    );
  }
  const recorded = (readJson(recordFile) as { config?: Record<string, unknown> }).config;
  if (
    recorded === undefined ||
    jobSettings(recorded) !== jobSettings(config as unknown as Record<string, unknown>)
  ) {
    throw new FormatError(
      '--resume: the folder holds a run with other settings (only --criteria and --seeds may change)',
      {
        source: out,
        fix: 'rerun with the settings of that run, or pass another --out',
      },
    );
  }
  const order = sweepJobs(config.criteria, config.seeds).map(jobId);
  const jobsDir = join(out, 'jobs');
  for (const file of existsSync(jobsDir) ? readdirSync(jobsDir).sort() : []) {
    const id = file.replace(/\.json$/, '');
    if (!JOB_FILE.test(file) || !order.includes(id)) continue;
    const source = join(jobsDir, file);
    const r = checkJobRecord<R>(readJson(source), source, {
      config: config as unknown as Parameters<typeof checkJobRecord>[2]['config'],
      shard: { index: 0, count: 1 },
      index: (job) => order.indexOf(jobId(job)),
      file,
    });
    reused.set(id, r);
  }
  return reused;
}
