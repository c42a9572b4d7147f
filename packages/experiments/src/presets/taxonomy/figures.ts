/**
 * Vega-Lite specs of the experiment report:
 *
 * - `heatmapGrid`: canonical graphon heatmaps, one row per criterion, one column per width, then the FSM
 *   predicted limit and the plug-in limit (both at the largest width) side by side; u (neurons) down, v
 *   (inputs) across, both in canonical degree order; the first seed's masks.
 * - `convergencePlot`: δ against width on log–log axes, one panel per criterion (rows) and metric (columns:
 *   `block`, `pixel`, `full` upper bound), one line per reference limit with its own colour and marker (mean
 *   over seeds), an n^(−1/2) guide through the plug-in curve, and in the `full` panels the fixed-d floor
 *   ½·√(2/π)·√(p(1−p)/784) as a grey rule.
 * - `connectivityMaps`: each input pixel's kept fraction at the largest width (mean over seeds) as a 28 × 28
 *   image per criterion: implicit feature selection made visible.
 */
import { cellPosition, facetHeader, figure, graphonHeatmapPanel, logAxis } from '../figure-spec';
import type { TaxonomyConfig } from './config';
import { convergenceLayers, convergenceRows } from './convergence-lines';
import { PIXEL_ROW_BLOCKS } from './distances';
import type { JobResult } from './job';
import { type CriterionSummary, fullFloor } from './summary';

type Spec = Record<string, unknown>;

export function heatmapGrid(config: TaxonomyConfig, results: readonly JobResult[]): Spec {
  const k = config.rowBlocks;
  const l = config.colBlocks;
  const values: Record<string, unknown>[] = [];
  const panels = [...config.widths.map((w) => `n = ${w}`), 'FSM limit', 'plug-in limit'];
  for (const criterion of config.criteria) {
    const job = results.find((r) => r.job.criterion === criterion && r.job.seed === config.seeds[0]);
    if (!job) continue;
    const add = (panel: string, h: number[]) => {
      for (let a = 0; a < k; a++)
        for (let b = 0; b < l; b++) values.push({ criterion, panel, u: a, v: b, W: h[a * l + b] });
    };
    for (const w of job.widths) add(`n = ${w.width}`, w.histogram);
    const widest = job.widths[job.widths.length - 1];
    add('FSM limit', widest.limitHistogram);
    if (widest.pluginHistogram) add('plug-in limit', widest.pluginHistogram);
  }
  return figure('Canonical mask graphons of the first layer, the FSM-predicted limit and the plug-in limit', {
    data: { values },
    facet: { row: facetHeader('criterion', config.criteria), column: facetHeader('panel', panels) },
    spacing: 6,
    spec: graphonHeatmapPanel(config.density),
  });
}

const METRIC_TITLES: Record<string, string> = {
  block: 'block (16 × 16, exact)',
  pixel: `pixel (${PIXEL_ROW_BLOCKS} × 784, exact)`,
  full: 'full (upper bound)',
};

export function convergencePlot(config: TaxonomyConfig, summary: readonly CriterionSummary[]): Spec {
  const values: Record<string, unknown>[] = [];
  const floor = fullFloor(config);
  for (const s of summary) {
    for (const c of s.curves) {
      if (c.kind === 'lower') continue;
      const guide = c.reference === 'plugin' ? { name: 'n^(−1/2)', at: config.widths } : undefined;
      values.push(
        ...convergenceRows(
          { criterion: s.criterion, metric: METRIC_TITLES[c.metric] },
          c.reference,
          'width',
          c,
          guide,
        ),
      );
    }
    for (const w of config.widths)
      values.push({
        criterion: s.criterion,
        metric: METRIC_TITLES.full,
        floor: 'fixed-d floor',
        width: w,
        delta: floor,
      });
  }
  const x = logAxis('width', 'hidden width n');
  const y = logAxis('delta', 'δ', { padding: 8 });
  return figure(
    'Distance of the masks to each reference limit against width',
    {
      data: { values },
      facet: {
        row: facetHeader('criterion', config.criteria),
        column: facetHeader('metric', Object.values(METRIC_TITLES)),
      },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 180,
        height: 130,
        layer: [
          ...convergenceLayers(x, y, ['fsm', 'plugin', 'constant', 'previous']),
          {
            transform: [{ filter: 'isValid(datum.floor)' }],
            mark: { type: 'line', color: '#555', strokeWidth: 1.5, strokeDash: [6, 3] },
            encoding: { x, y },
          },
        ],
      },
    },
    `mean over seeds; dotted: n^(−1/2) through the plug-in curve; dashed grey: the fixed-d floor ${floor.toPrecision(2)} of the full distance to p`,
  );
}

export function connectivityMaps(config: TaxonomyConfig, results: readonly JobResult[]): Spec {
  const widest = config.widths[config.widths.length - 1];
  const values: Record<string, unknown>[] = [];
  for (const criterion of config.criteria) {
    const rows = results
      .filter((r) => r.job.criterion === criterion)
      .map((r) => r.widths.find((w) => w.width === widest))
      .filter((w) => w !== undefined);
    if (rows.length === 0) continue;
    const cols = rows[0].columnDensity.length;
    const side = Math.round(Math.sqrt(cols));
    for (let i = 0; i < cols; i++) {
      let s = 0;
      for (const r of rows) s += r.columnDensity[i];
      values.push({ criterion, x: i % side, y: Math.floor(i / side), density: s / rows.length });
    }
  }
  return figure(`Kept fraction of each input pixel (first layer, n = ${widest}, mean over seeds)`, {
    data: { values },
    facet: { column: { field: 'criterion', type: 'nominal', sort: config.criteria, title: null } },
    spec: {
      width: 140,
      height: 140,
      mark: 'rect',
      encoding: {
        ...cellPosition('x', 'y'),
        color: {
          field: 'density',
          type: 'quantitative',
          scale: { scheme: 'inferno' },
          title: 'kept fraction',
        },
      },
    },
  });
}
