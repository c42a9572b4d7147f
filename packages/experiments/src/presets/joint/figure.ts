/**
 * The `joint` preset's figure: δ against the width on log–log axes, one panel per criterion, one colour per
 * metric (block, pixel, full upper bound; mean over seeds, every seed as a point), the fixed-d floor
 * ½·√(2/π)·√(p(1−p)/d) with d = n/2 dashed where the limit is the constant, and an n^(−1/2) guide (dotted)
 * through each panel's block metric at the smallest width.
 */
import { meanSd } from '../../stats';
import { figure, logAxis } from '../figure-spec';
import type { JointConfig } from './config';
import { JOINT_METRICS, metricValue } from './rates';
import type { JointResult } from './run';

export function convergenceFigure(
  config: JointConfig,
  results: readonly JointResult[],
): Record<string, unknown> {
  const points: Record<string, unknown>[] = [];
  const means: Record<string, unknown>[] = [];
  const floors: Record<string, unknown>[] = [];
  const guides: Record<string, unknown>[] = [];
  for (const criterion of config.criteria) {
    const jobs = results.filter((r) => r.job.criterion === criterion);
    for (const metric of JOINT_METRICS) {
      for (const width of config.widths) {
        const values: number[] = [];
        for (const r of jobs) {
          const c = r.cells.find((x) => x.width === width);
          const v = c ? metricValue(c, metric) : null;
          if (v !== null && v > 0) {
            values.push(v);
            points.push({ criterion, metric, width, delta: v, seed: r.job.seed });
          }
        }
        if (values.length > 0) means.push({ criterion, metric, width, delta: meanSd(values).mean });
      }
    }
    const first = jobs[0]?.cells;
    if (!first) continue;
    for (const c of first) if (c.floor !== null) floors.push({ criterion, width: c.width, delta: c.floor });
    const start = means.find(
      (m) => m.criterion === criterion && m.metric === 'block' && m.width === config.widths[0],
    );
    if (start) {
      for (const width of config.widths) {
        guides.push({
          criterion,
          width,
          delta: (start.delta as number) * Math.sqrt(config.widths[0] / width),
        });
      }
    }
  }
  const x = logAxis('width', 'hidden width n (d = n/2)');
  const y = logAxis('delta', 'distance to the limit');
  const color = { field: 'metric', type: 'nominal', sort: JOINT_METRICS, title: 'metric' };
  return figure(
    'Convergence to the closed-form limits (d grows with n)',
    {
      facet: { column: { field: 'criterion', type: 'nominal', sort: config.criteria, title: null } },
      data: {
        values: [
          ...points.map((p) => ({ ...p, layer: 'point' })),
          ...means.map((m) => ({ ...m, layer: 'mean' })),
          ...floors.map((f) => ({ ...f, layer: 'floor' })),
          ...guides.map((g) => ({ ...g, layer: 'guide' })),
        ],
      },
      spec: {
        width: 180,
        height: 180,
        layer: [
          {
            transform: [{ filter: "datum.layer === 'point'" }],
            mark: { type: 'point', opacity: 0.5 },
            encoding: { x, y, color },
          },
          { transform: [{ filter: "datum.layer === 'mean'" }], mark: 'line', encoding: { x, y, color } },
          {
            transform: [{ filter: "datum.layer === 'floor'" }],
            mark: { type: 'line', strokeDash: [6, 4], color: 'black' },
            encoding: { x, y },
          },
          {
            transform: [{ filter: "datum.layer === 'guide'" }],
            mark: { type: 'line', strokeDash: [2, 3], color: 'grey' },
            encoding: { x, y },
          },
        ],
      },
      resolve: { scale: { y: 'shared' } },
    },
    'full = upper bound (probabilistic); dashed: the fixed-d floor at d = n/2; dotted: n^(−1/2)',
  );
}
