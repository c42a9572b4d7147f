/**
 * The `joint` preset's tables: `results.csv` (one row per criterion × seed × width with every number) and the
 * tidy `distances.csv` (`criterion,seed,width,reference,metric,value,kind`; reference `constant` or `fsm`,
 * the closed-form limit; kind `exact` for block and pixel, `upper` / `lower` for full).
 */
import type { JointResult } from './run';

const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function jointCsv(results: readonly JointResult[]): string {
  const lines = [
    'criterion,seed,width,inputs,kept,reference,tau,block,pixel,full_upper,full_upper_kind,full_failure_probability,full_lower,full_discretisation,full_grid,floor,score_seconds,block_seconds,pixel_seconds,full_seconds',
  ];
  for (const r of results) {
    for (const c of r.cells) {
      lines.push(
        [
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
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function distancesCsv(results: readonly JointResult[]): string {
  const lines = ['criterion,seed,width,reference,metric,value,kind'];
  for (const r of results) {
    const head = (width: number) => `${r.job.criterion},${r.job.seed},${width},${r.limit.reference}`;
    for (const c of r.cells) {
      lines.push(`${head(c.width)},block,${c.block},exact`);
      lines.push(`${head(c.width)},pixel,${c.pixel},exact`);
      if (c.full.upperBound !== null) lines.push(`${head(c.width)},full,${c.full.upperBound},upper`);
      lines.push(`${head(c.width)},full,${c.full.alignedLowerBound},lower`);
    }
  }
  return `${lines.join('\n')}\n`;
}
