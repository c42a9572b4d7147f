/**
 * The distances of the taxonomy preset: every (criterion, seed, width) mask against every reference limit,
 * in three metrics (`@graphon-pai/cut-distance`), as tidy rows.
 *
 * References (`reference`): `fsm` — the Factorised Saliency Model's predicted limit (a model of the limit, its
 * bias measured against `plugin`); `plugin` — the plug-in limit of the criterion's own score mechanism
 * (`references.ts`); `constant` — the constant graphon p; `previous` — the mask at the previous width.
 *
 * Metrics (`metric`) and what each number is (`kind`):
 * - `block`: exact cut distance of the canonical 16 × 16 block histograms (`blockDistance`), `exact`;
 * - `pixel`: exact cut distance of {@link PIXEL_ROW_BLOCKS} degree-sorted row blocks × the 784 pixels, input
 *   identity kept (`pixelDistance`), `exact`; 12 row blocks keep its exact enumeration at 2^12 row subsets
 *   (16 would cost 2^16 · 784 steps, about 0.1 s per distance, most of a default run);
 * - `full`: the full-resolution cut distance under the canonical alignment (`cutDistance`): its
 *   upper bound on δ□ (`upper`) and the aligned lower bound (`lower`: the value of an explicit cut of the
 *   aligned difference, a lower bound on that aligned cut norm). At fixed d = 784 it cannot fall below the
 *   floor ½·√(2/π)·√(p(1−p)/d) (`fixedDimensionFloor`) however wide the layer: a plateau there is the floor,
 *   not a failure to converge. Computed against `fsm`, `constant` and `previous`; against `plugin` (an
 *   N_ref × 784 mask) it is not computed: it carries the same floor and costs a full-resolution cut norm of
 *   a matrix N_ref / n times taller.
 *
 * `distancesCsv` writes `distances.csv`: `criterion,seed,width,reference,metric,value,kind`.
 */
import type { BitMatrix } from '@graphon-pai/core';
import {
  blockSummary,
  type CutDistanceResult,
  type DenseMatrix,
  gridDistance,
  pixelSummary,
} from '@graphon-pai/cut-distance';
import { csvTable } from '../../csv';
import type { JobResult } from './job';

export type ReferenceName = 'fsm' | 'plugin' | 'constant' | 'previous';
export type MetricName = 'block' | 'pixel' | 'full';
export type DistanceKind = 'exact' | 'estimate' | 'upper' | 'lower';

/** Row blocks of the `pixel` metric in this preset. */
export const PIXEL_ROW_BLOCKS = 12;

export const REFERENCES: readonly ReferenceName[] = ['fsm', 'plugin', 'constant', 'previous'];
export const METRICS: readonly MetricName[] = ['block', 'pixel', 'full'];

export interface DistanceRow {
  reference: ReferenceName;
  metric: MetricName;
  value: number;
  kind: DistanceKind;
}

/** A kernel's summaries for the `block` and `pixel` metrics. */
export interface Summaries {
  block: DenseMatrix;
  pixel: DenseMatrix;
}

/**
 * Fewest mask rows per block (16 blocks: widths from 32). The metrics stay exact with two rows per block;
 * they are only noisier at such widths.
 */
export const MIN_ROWS_PER_BLOCK = 2;

export function maskSummaries(mask: BitMatrix): Summaries {
  return {
    block: blockSummary(mask, { minBlockSize: MIN_ROWS_PER_BLOCK }),
    pixel: pixelSummary(mask, { rowBlocks: PIXEL_ROW_BLOCKS, minBlockSize: MIN_ROWS_PER_BLOCK }),
  };
}

/** Summaries of the constant graphon p on the grids of `like`. */
export function constantSummaries(density: number, like: Summaries): Summaries {
  const fill = (m: DenseMatrix) => ({
    rows: m.rows,
    cols: m.cols,
    data: new Float64Array(m.rows * m.cols).fill(density),
  });
  return { block: fill(like.block), pixel: fill(like.pixel) };
}

/** The exact `block` and `pixel` rows of a mask against a reference. */
export function gridRows(reference: ReferenceName, mask: Summaries, limit: Summaries): DistanceRow[] {
  return [
    { reference, metric: 'block', value: gridDistance(mask.block, limit.block).value, kind: 'exact' },
    { reference, metric: 'pixel', value: gridDistance(mask.pixel, limit.pixel).value, kind: 'exact' },
  ];
}

/** The `full` rows of a canonical-alignment cut distance (upper bound when certified, aligned lower bound). */
export function fullRows(reference: ReferenceName, d: CutDistanceResult): DistanceRow[] {
  const rows: DistanceRow[] = [{ reference, metric: 'full', value: d.alignedLowerBound, kind: 'lower' }];
  if (d.upperBound !== undefined && d.upperBound !== null) {
    rows.unshift({ reference, metric: 'full', value: d.upperBound, kind: 'upper' });
  }
  return rows;
}

/** `distances.csv`, one row per (criterion, seed, width, reference, metric, kind), in job and width order. */
export function distancesCsv(results: readonly JobResult[]): string {
  const rows = results.flatMap((r) =>
    r.widths.flatMap((w) =>
      w.distances.map((d) => [r.job.criterion, r.job.seed, w.width, d.reference, d.metric, d.value, d.kind]),
    ),
  );
  return csvTable(['criterion', 'seed', 'width', 'reference', 'metric', 'value', 'kind'], rows);
}
