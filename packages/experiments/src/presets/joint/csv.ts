/**
 * The `joint` preset's tables: `results.csv` (one row per criterion × seed × width with every number) and the
 * tidy `distances.csv` (`criterion,seed,width,reference,metric,value,kind`; reference `constant` or `fsm`,
 * the closed-form limit; kind `exact` for block and pixel, `upper` / `lower` for full).
 */
import { csvTable } from '../../csv';
import type { JointResult } from './run';

export function jointCsv(results: readonly JointResult[]): string {
  const header =
    'criterion,seed,width,inputs,kept,reference,tau,block,pixel,full_upper,full_upper_kind,full_failure_probability,full_lower,full_discretisation,full_grid,floor,score_seconds,block_seconds,pixel_seconds,full_seconds'.split(
      ',',
    );
  const rows = results.flatMap((r) =>
    r.cells.map((c) => [
      r.job.criterion,
      r.job.seed,
      c.width,
      c.inputs,
      c.kept,
      r.limit.reference,
      r.limit.tau,
      c.block,
      c.pixel,
      c.full.upperBound,
      c.full.upperBoundKind,
      c.full.failureProbability,
      c.full.alignedLowerBound,
      c.full.discretisation,
      `${c.full.gridRows}x${c.full.gridCols}`,
      c.floor,
      c.seconds.score,
      c.seconds.block,
      c.seconds.pixel,
      c.seconds.full,
    ]),
  );
  return csvTable(header, rows);
}

export function distancesCsv(results: readonly JointResult[]): string {
  const rows = results.flatMap((r) =>
    r.cells.flatMap((c) => {
      const head = [r.job.criterion, r.job.seed, c.width, r.limit.reference];
      return [
        [...head, 'block', c.block, 'exact'],
        [...head, 'pixel', c.pixel, 'exact'],
        ...(c.full.upperBound !== null ? [[...head, 'full', c.full.upperBound, 'upper']] : []),
        [...head, 'full', c.full.alignedLowerBound, 'lower'],
      ];
    }),
  );
  return csvTable(['criterion', 'seed', 'width', 'reference', 'metric', 'value', 'kind'], rows);
}
