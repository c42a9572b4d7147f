/**
 * Schemas (zod) of the files `experiment merge` reads back: a shard folder's `experiment.json` and its job
 * records `jobs/<id>.json`. A merged report copies these numbers into `results.csv`, so each record is
 * validated before merging — types, ranges (a density in (0, 1], counts non-negative integers, p-values
 * in [0, 1]) and its place in the sweep: the job is one of the configuration's criteria × seeds, its file is
 * named by its id, it belongs to the shard that holds it, and its cells cover the configured widths (and
 * densities) exactly once, in order. Each preset's record schema lives beside it (`presets/<name>/record.ts`,
 * built from `record-schema.ts`); a preset without one is checked for its `job` only.
 *
 * Report numbers that JSON cannot hold when they are not finite (`Infinity` is written as `null`) are
 * `number | null`; everything a record is keyed by is strict.
 */
import { FormatError } from '@graphon-pai/core';
import { z } from 'zod';
import { presetNamed } from './presets';
import { jobSchema, count, positive } from './record-schema';
import { type Job, jobId, type Shard } from './sweep';

export const shardMetaSchema = z.object({
  config: z
    .object({ preset: z.string(), criteria: z.array(z.string()), seeds: z.array(count) })
    .passthrough(),
  shard: z
    .object({ index: count, count: positive })
    .refine((s) => s.index < s.count, 'shard index must be below the shard count'),
});

/** The first issue of a failed parse, as `path: message`. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`;
}

/**
 * Validates `raw` with `schema`, throwing a FormatError naming `source` and the first issue. Returns `raw`
 * itself, not zod's rebuilt copy, so a record's key order (hence a merged report's bytes) is unchanged.
 */
export function parseRecord<T>(schema: z.ZodType<T>, raw: unknown, source: string, fix: string): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new FormatError(`invalid record (${firstIssue(parsed.error)})`, { source, fix });
  return raw as T;
}

const FIX = 'the file was changed or damaged after the shard was written; run that shard again';

/** What a job record is checked against besides its schema. */
export interface RecordContext {
  config: {
    preset: string;
    criteria: readonly string[];
    seeds: readonly number[];
    widths?: unknown;
    densities?: unknown;
  };
  shard: Shard;
  /** The record's position in the sweep (criteria-major, then seeds), or -1 when it is not in the sweep. */
  index: (job: Job) => number;
  /** The file's name inside `jobs/`. */
  file: string;
}

/** Validates one job record (see the file header) and returns it. */
export function checkJobRecord<R extends { job: Job }>(
  raw: unknown,
  source: string,
  context: RecordContext,
): R {
  const schema = presetNamed(context.config.preset).record ?? z.object({ job: jobSchema }).passthrough();
  const record = parseRecord(schema, raw, source, FIX) as R & {
    widths?: { width: number }[];
    cells?: SweepCellRecord[];
  };
  const { job } = record;
  const fail = (what: string): never => {
    throw new FormatError(what, { source, fix: FIX });
  };
  if (context.file !== `${jobId(job)}.json`) fail(`holds job ${jobId(job)}, not the one its name says`);
  const index = context.index(job);
  if (index < 0) fail(`job ${jobId(job)} is not in the configured sweep (criteria × seeds)`);
  if (index % context.shard.count !== context.shard.index) {
    fail(`job ${jobId(job)} does not belong to shard ${context.shard.index}/${context.shard.count}`);
  }
  const widths = context.config.widths as number[] | undefined;
  if (record.widths && widths && record.widths.map((w) => w.width).join() !== widths.join()) {
    fail(`has widths ${record.widths.map((w) => w.width).join(',')}, not the configured ${widths.join(',')}`);
  }
  const densities = context.config.densities as number[] | undefined;
  if (record.cells && widths && densities) {
    const expected = widths.flatMap((w) => densities.map((p) => `${w}@${p}`)).join();
    const got = record.cells.map((c) => `${c.width}@${c.density}`).join();
    if (got !== expected) fail('its cells are not the configured widths × densities, each once');
    if (record.cells.some((c) => c.criterion !== job.criterion || c.seed !== job.seed)) {
      fail(`a cell names another job than ${jobId(job)}`);
    }
  }
  return record;
}

interface SweepCellRecord {
  criterion: string;
  seed: number;
  width: number;
  density: number;
}
