/**
 * The experiment sweep: a grid of cells (criterion × width × seed) with a deterministic order, and the
 * `--shard i/N` split of that grid into independent jobs for an existing batch scheduler (Slurm array jobs,
 * Kubernetes indexed Jobs, a CI matrix).
 *
 * Cell order is criteria-major, then width, then seed, exactly as the configuration lists them. Shard i of N
 * takes the cells whose index is ≡ i (mod N): round-robin keeps the expensive wide cells spread over the
 * shards. Every cell is a pure function of (configuration, cell), so shards never talk to each other and
 * `experiment merge` can rebuild the single-run report from the union of their cell files.
 */
import { InvalidArgumentError } from '@graphon-pai/core';

export interface Cell {
  readonly criterion: string;
  readonly width: number;
  readonly seed: number;
}

export interface Shard {
  /** 0-based shard index. */
  readonly index: number;
  readonly count: number;
}

/** Every cell of the grid, in the canonical order. */
export function sweepCells(criteria: readonly string[], widths: readonly number[], seeds: readonly number[]): Cell[] {
  const cells: Cell[] = [];
  for (const criterion of criteria) {
    for (const width of widths) for (const seed of seeds) cells.push({ criterion, width, seed });
  }
  return cells;
}

/** The cells of one shard. */
export function shardCells(cells: readonly Cell[], shard: Shard): Cell[] {
  return cells.filter((_, i) => i % shard.count === shard.index);
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

/** A stable file-name-safe id of a cell, e.g. `snip-w512-s1`. */
export function cellId(cell: Cell): string {
  return `${cell.criterion.replace(/[^A-Za-z0-9_-]+/g, '_')}-w${cell.width}-s${cell.seed}`;
}
