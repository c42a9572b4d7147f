/**
 * Fitted convergence rates of the `joint` preset: for a criterion and a metric, the least-squares slope of
 * log δ on log n over every (seed, width) cell (`logLogSlope`), with its standard error from the residuals.
 * The `full` metric uses the upper bound of the aligned distance. A rate n^(−1/2) shows as −0.5.
 */
import { logLogSlope, type SlopeFit } from '../../stats';
import type { JointCell, JointResult } from './run';

export type JointMetric = 'block' | 'pixel' | 'full';

export const JOINT_METRICS: readonly JointMetric[] = ['block', 'pixel', 'full'];

/** The value a metric reports for a cell (full: the upper bound; null when there is none). */
export function metricValue(cell: JointCell, metric: JointMetric): number | null {
  if (metric === 'block') return cell.block;
  if (metric === 'pixel') return cell.pixel;
  return cell.full.upperBound;
}

/** The slope of log δ on log n over every cell of `criterion` (undefined with fewer than two positive values). */
export function fittedRate(
  results: readonly JointResult[],
  criterion: string,
  metric: JointMetric,
): SlopeFit | undefined {
  const x: number[] = [];
  const y: number[] = [];
  for (const r of results) {
    if (r.job.criterion !== criterion) continue;
    for (const c of r.cells) {
      const v = metricValue(c, metric);
      if (v !== null && v > 0) {
        x.push(c.width);
        y.push(v);
      }
    }
  }
  return new Set(x).size >= 2 ? logLogSlope(x, y) : undefined;
}
