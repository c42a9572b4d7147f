/**
 * The experiment sweep: a grid of jobs (criterion × seed; each job runs every width in increasing order, so
 * the cut distance between consecutive widths is measured on the real masks) with a deterministic order,
 * and the `--shard i/N` split of that grid for an existing batch scheduler (Slurm array jobs, Kubernetes
 * indexed Jobs, a CI matrix).
 *
 * Job order is criteria-major, then seed, exactly as the configuration lists them. Shard i of N takes the
 * jobs whose index is ≡ i (mod N). Every job is a pure function of (configuration, job), so shards never talk
 * to each other and `experiment merge` rebuilds the single-run report from the union of their job files.
 */
import { InvalidArgumentError } from '@graphon-pai/core';

export interface Job {
  readonly criterion: string;
  readonly seed: number;
}

export interface Shard {
  /** 0-based shard index. */
  readonly index: number;
  readonly count: number;
}

/** Every job of the grid, in the canonical order. */
export function sweepJobs(criteria: readonly string[], seeds: readonly number[]): Job[] {
  return criteria.flatMap((criterion) => seeds.map((seed) => ({ criterion, seed })));
}

/** The jobs of one shard. */
export function shardJobs(jobs: readonly Job[], shard: Shard): Job[] {
  return jobs.filter((_, i) => i % shard.count === shard.index);
}

/** Parses `i/N` with 0 ≤ i < N (shard indices are 0-based, like Slurm's `$SLURM_ARRAY_TASK_ID` from 0). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : Number.NaN;
  const count = m ? Number(m[2]) : Number.NaN;
  if (!(count >= 1 && index >= 0 && index < count)) {
    throw new InvalidArgumentError('--shard', text, 'i/N with 0 ≤ i < N, e.g. 0/4', {
      fix: 'number shards from 0, e.g. --shard $SLURM_ARRAY_TASK_ID/4',
    });
  }
  return { index, count };
}

/** A stable file-name-safe id of a job, e.g. `snip-s1` (`acme/x` → `acme_x-s0`). */
export function jobId(job: Job): string {
  return `${job.criterion.replace(/[^A-Za-z0-9_-]+/g, '_')}-s${job.seed}`;
}

/** The jobs a run executes: the whole grid, or one shard of it. */
export function runJobs(criteria: readonly string[], seeds: readonly number[], shard?: Shard): Job[] {
  const all = sweepJobs(criteria, seeds);
  return shard ? shardJobs(all, shard) : all;
}

/** Job results in the canonical order (criteria as configured, then seed), whatever order they came in. */
export function orderJobs<R extends { job: Job }>(criteria: readonly string[], results: readonly R[]): R[] {
  return [...results].sort(
    (a, b) =>
      criteria.indexOf(a.job.criterion) - criteria.indexOf(b.job.criterion) || a.job.seed - b.job.seed,
  );
}

/** A built-in criterion's bare id (`graphon-pai/snip` → `snip`); other ids unchanged. */
export function bareId(criterion: string): string {
  return criterion.startsWith('graphon-pai/') ? criterion.slice('graphon-pai/'.length) : criterion;
}
