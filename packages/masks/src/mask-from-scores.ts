/**
 * Scores → an exact-density network mask under a scope or allocation (the one-shot step of pruning).
 *
 * `global`: `k = round(d · N)` over all layers (`selectTopK`); any other allocation: exact per-layer counts
 * from `allocateCounts`, then per-layer top-k (`selectLayerCounts`). The tie-break is the one of
 * `select.ts`: larger score first, then lower global flat index (layer order, row-major).
 *
 * @example
 * const mask = maskFromScores(scores, { density: 0.05, allocation: 'erk' });
 */
import { InvalidArgumentError, type NetworkMask, type ScoreMap } from '@graphon-pai/core';
import { type Allocation, allocateCounts, normalizeAllocation } from './allocation';
import { checkDensity, keptCount } from './density';
import { type SelectOptions, selectLayerCounts, selectTopK } from './select';
import { scoreShapes } from './shapes';

export interface MaskFromScoresOptions extends SelectOptions {
  /** Kept fraction in (0, 1]. */
  density: number;
  /** Scope or allocation (default `'global'`). */
  allocation?: Allocation;
}

export function maskFromScores(scores: ScoreMap, options: MaskFromScoresOptions): NetworkMask {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('options', options, 'an object { density, allocation? }');
  }
  checkDensity(options.density);
  const allocation = normalizeAllocation(options.allocation ?? 'global');
  const shapes = scoreShapes(scores);
  if (allocation.kind === 'global') {
    let total = 0;
    for (const s of shapes.values()) total += s.rows * s.cols;
    // Inside an existing mask (`within`) the density still refers to the whole network: selectTopK
    // rejects a k above the eligible count.
    return selectTopK(scores, keptCount(options.density, total), options);
  }
  return selectLayerCounts(scores, allocateCounts(shapes, options.density, allocation), options);
}
