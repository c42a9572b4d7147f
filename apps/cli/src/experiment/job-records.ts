/**
 * Schemas (zod) of the files `experiment merge` reads back: a shard folder's `experiment.json` and its job
 * records `jobs/<id>.json`. A merged report copies these numbers into `results.csv`, so each record is
 * validated before merging — types, ranges (a density in (0, 1], counts non-negative integers, p-values
 * in [0, 1]) and its place in the sweep: the job is one of the configuration's criteria × seeds, its file is
 * named by its id, it belongs to the shard that holds it, and its cells cover the configured widths (and
 * densities) exactly once, in order.
 *
 * Report numbers that JSON cannot hold when they are not finite (`Infinity` is written as `null`) are
 * `number | null`; everything a record is keyed by is strict.
 */
import { FormatError } from '@graphon-pai/core';
import { z } from 'zod';
import { type Job, jobId, type Shard } from './sweep';

const count = z.number().int().nonnegative();
const positive = z.number().int().positive();
const probability = z.number().min(0).max(1);
const value = z.number().nullable();
const density = z.number().gt(0).max(1);

export const shardMetaSchema = z.object({
  config: z
    .object({ preset: z.string(), criteria: z.array(z.string()), seeds: z.array(count) })
    .passthrough(),
  shard: z
    .object({ index: count, count: positive })
    .refine((s) => s.index < s.count, 'shard index must be below the shard count'),
});

const jobSchema = z.object({ criterion: z.string().min(1), seed: count });

const distance = z
  .object({
    upperBound: value,
    upperBoundKind: z.string().nullable(),
    alignedLowerBound: z.number().nonnegative(),
    alignment: z.string(),
    method: z.string(),
  })
  .passthrough();

const taxonomyWidth = z
  .object({
    width: positive,
    rows: positive,
    cols: positive,
    kept: count,
    density: probability,
    limit: z
      .object({ method: z.string(), tau: value, achievedDensity: probability, noise: z.string() })
      .passthrough(),
    toLimit: distance,
    toPrevious: distance.and(z.object({ previousWidth: positive })).nullable(),
    homogeneity: z
      .object({
        cut: value,
        dispersion: value,
        pCut: probability,
        pDispersion: probability,
        pValue: probability,
        replicates: count,
        verdict: z.enum(['homogeneous', 'heterogeneous']),
      })
      .passthrough(),
    activeInputs: count,
    histogram: z.array(value),
    limitHistogram: z.array(value),
    columnDensity: z.array(probability),
  })
  .passthrough()
  .refine((w) => w.kept <= w.rows * w.cols, 'kept exceeds rows × cols');

const sweepCell = z.object({
  criterion: z.string(),
  seed: count,
  width: positive,
  density,
  kept: count,
  activeInputs: count,
});

const ntkReport = z
  .object({
    traceOverM: value,
    alignment: value,
    effectiveRank: value,
    lambdaMin: value,
    lambdaMax: value,
    conditionNumber: value,
    topKEnergy: value,
    bound: z
      .object({
        delta: probability,
        ridge: z.number().nonnegative(),
        quadraticForm: value,
        leadingTerm: value,
        confidenceTerm: value,
        bound: value,
      })
      .passthrough(),
  })
  .passthrough();

const uatReport = z
  .object({
    holds: z.boolean(),
    activeCoordinates: count,
    k: count,
    coordinates: z.array(count),
    q: value,
    alpha: value,
    perNeuronLowerBound: value,
    predictedCount: value,
    expectedCount: value,
    requiredWidth: value,
    observedCount: value,
    observedZScore: value,
  })
  .passthrough();

/** The record schema of each preset's job result. */
const RESULTS: Record<string, z.ZodTypeAny> = {
  taxonomy: z.object({ job: jobSchema, widths: z.array(taxonomyWidth) }).passthrough(),
  ntk: z
    .object({
      job: jobSchema,
      cells: z.array(sweepCell.extend({ ntk: ntkReport }).passthrough()),
      dense: ntkReport,
    })
    .passthrough(),
  uat: z
    .object({
      job: jobSchema,
      cells: z.array(sweepCell.extend({ uat: uatReport, columnDensity: z.array(probability) }).passthrough()),
    })
    .passthrough(),
};

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
  const schema = RESULTS[context.config.preset] ?? z.object({ job: jobSchema }).passthrough();
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
