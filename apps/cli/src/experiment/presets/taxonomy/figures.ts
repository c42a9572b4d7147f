/**
 * Vega-Lite specs of the experiment report:
 *
 * - `heatmapGrid`: canonical graphon heatmaps, one row per criterion, one column per width, with the FSM
 *   predicted limit (at the largest width) in the last column; u (neurons) down, v (inputs) across, both in
 *   canonical degree order; seed 0's masks.
 * - `convergencePlot`: δ_□ upper bounds against width on log–log axes: to the predicted limit (solid) and
 *   between consecutive widths (dashed), with an n^{-1/2} reference line.
 * - `connectivityMaps`: each input pixel's kept fraction at the largest width (mean over seeds) as a 28 × 28
 *   image per criterion: implicit feature selection made visible.
 */
import { FONT } from '../figure-style';
import type { TaxonomyConfig } from './config';
import type { JobResult } from './job';
import type { CriterionSummary } from './summary';

type Spec = Record<string, unknown>;


export function heatmapGrid(config: TaxonomyConfig, results: readonly JobResult[]): Spec {
  const k = config.rowBlocks;
  const l = config.colBlocks;
  const values: Record<string, unknown>[] = [];
  const panels = [...config.widths.map((w) => `n = ${w}`), 'FSM limit'];
  for (const criterion of config.criteria) {
    const job = results.find((r) => r.job.criterion === criterion && r.job.seed === config.seeds[0]);
    if (!job) continue;
    const add = (panel: string, h: number[]) => {
      for (let a = 0; a < k; a++) for (let b = 0; b < l; b++) values.push({ criterion, panel, u: a, v: b, W: h[a * l + b] });
    };
    for (const w of job.widths) add(`n = ${w.width}`, w.histogram);
    add('FSM limit', job.widths[job.widths.length - 1].limitHistogram);
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: 'Canonical mask graphons of the first layer and the FSM-predicted limit', fontSize: 14 },
    data: { values },
    facet: {
      row: { field: 'criterion', type: 'nominal', sort: config.criteria, header: { labelFontSize: 12, title: null } },
      column: { field: 'panel', type: 'nominal', sort: panels, header: { labelFontSize: 12, title: null } },
    },
    spacing: 6,
    spec: {
      width: 110,
      height: 110,
      mark: 'rect',
      encoding: {
        x: { field: 'v', type: 'ordinal', axis: null },
        y: { field: 'u', type: 'ordinal', axis: null },
        color: {
          field: 'W',
          type: 'quantitative',
          scale: { scheme: 'viridis', domain: [0, Math.min(1, Math.max(0.3, 3 * config.density))], clamp: true },
          title: 'W(u, v)',
        },
      },
    },
    ...FONT,
  };
}

export function convergencePlot(config: TaxonomyConfig, summary: readonly CriterionSummary[]): Spec {
  const values: Record<string, unknown>[] = [];
  for (const s of summary) {
    for (const c of s.cells) {
      values.push({ criterion: s.criterion, width: c.width, delta: c.toLimitUpper.mean, kind: 'to FSM limit' });
      if (c.toPreviousUpper) {
        values.push({ criterion: s.criterion, width: c.width, delta: c.toPreviousUpper.mean, kind: 'to previous width' });
      }
    }
  }
  const n0 = config.widths[0];
  const first = Math.max(...summary.map((s) => s.cells[0].toLimitUpper.mean).filter(Number.isFinite));
  const reference = config.widths.map((w) => ({ width: w, delta: first * Math.sqrt(n0 / w) }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: 'Cut distance (certified upper bound) against width',
      subtitle: 'grey dotted: n^(-1/2) reference',
      fontSize: 14,
    },
    width: 420,
    height: 300,
    layer: [
      {
        data: { values: reference },
        mark: { type: 'line', color: '#999', strokeDash: [2, 2] },
        encoding: {
          x: { field: 'width', type: 'quantitative', scale: { type: 'log', nice: false } },
          y: { field: 'delta', type: 'quantitative', scale: { type: 'log', nice: false } },
        },
      },
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'width', type: 'quantitative', scale: { type: 'log', nice: false }, title: 'hidden width n' },
          y: { field: 'delta', type: 'quantitative', scale: { type: 'log', nice: false }, title: 'δ□ upper bound' },
          color: { field: 'criterion', type: 'nominal', sort: config.criteria },
          strokeDash: { field: 'kind', type: 'nominal', title: null },
        },
      },
    ],
    ...FONT,
  };
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
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Kept fraction of each input pixel (first layer, n = ${widest}, mean over seeds)`, fontSize: 14 },
    data: { values },
    facet: { column: { field: 'criterion', type: 'nominal', sort: config.criteria, title: null } },
    spec: {
      width: 140,
      height: 140,
      mark: 'rect',
      encoding: {
        x: { field: 'x', type: 'ordinal', axis: null },
        y: { field: 'y', type: 'ordinal', axis: null },
        color: { field: 'density', type: 'quantitative', scale: { scheme: 'inferno' }, title: 'kept fraction' },
      },
    },
    ...FONT,
  };
}
