/**
 * Vega-Lite specs of the conv study's report:
 *
 * - `convHeatmapGrid`: the canonical histograms of the studied layer's kernel and channel graphs (first
 *   seed), one row per criterion and graph, one column per multiplier, then the FSM prediction (widest
 *   multiplier) and the wide mask; out-channels down, columns across, both in canonical degree order.
 * - `convConvergencePlot`: δ_block against the channel multiplier on log–log axes, one panel per criterion
 *   (rows) and graph (columns), one line per reference (mean over seeds), an m^(−1/2) guide through the
 *   wide-mask curve.
 */
import { facetHeader, figure, graphonHeatmapPanel, logAxis } from '../figure-spec';
import type { TaxonomyConfig } from './config';
import type { ConvJobResult } from './conv-job';
import { CONV_GRAPHS, type ConvStudy } from './conv-study';
import type { ConvCriterionSummary } from './conv-summary';
import { convergenceLayers, convergenceRows } from './convergence-lines';

type Spec = Record<string, unknown>;

export function convHeatmapGrid(
  config: TaxonomyConfig,
  study: ConvStudy,
  results: readonly ConvJobResult[],
): Spec {
  const values: Record<string, unknown>[] = [];
  const panels = [...config.widths.map((m) => `×${m}`), 'FSM model', `wide mask ×${study.wideMultiplier}`];
  const rows: string[] = [];
  for (const criterion of config.criteria) {
    const job = results.find((r) => r.job.criterion === criterion && r.job.seed === config.seeds[0]);
    if (!job) continue;
    for (const graph of CONV_GRAPHS) {
      const row = `${criterion} · ${graph}`;
      rows.push(row);
      const l = study.histogramGrid[graph].colBlocks;
      const add = (panel: string, h: readonly number[]) => {
        for (const [q, W] of h.entries()) values.push({ row, panel, u: Math.floor(q / l), v: q % l, W });
      };
      for (const w of job.widths) add(`×${w.width}`, w.graphs[graph].histogram);
      add('FSM model', job.widths[job.widths.length - 1].graphs[graph].limitHistogram);
      add(`wide mask ×${study.wideMultiplier}`, job.conv.wideHistogram[graph]);
    }
  }
  return figure(
    `Canonical graphs of ${study.layer} (kernel: out × in·kh·kw; channel: out × in) across channel multipliers`,
    {
      data: { values },
      facet: { row: facetHeader('row', rows), column: facetHeader('panel', panels) },
      resolve: { scale: { x: 'independent', y: 'independent' } },
      spacing: 6,
      spec: graphonHeatmapPanel(config.density),
    },
  );
}

export function convConvergencePlot(
  config: TaxonomyConfig,
  study: ConvStudy,
  summary: readonly ConvCriterionSummary[],
): Spec {
  const values: Record<string, unknown>[] = [];
  for (const s of summary) {
    for (const g of s.graphs) {
      for (const c of g.curves) {
        const guide = c.reference === 'wide-mask' ? { name: 'm^(−1/2)', at: config.widths } : undefined;
        values.push(
          ...convergenceRows({ criterion: s.criterion, graph: g.graph }, c.reference, 'multiplier', c, guide),
        );
      }
    }
  }
  const x = logAxis('multiplier', 'channel multiplier m');
  const y = logAxis('delta', 'δ_block', { padding: 8 });
  const references = ['wide-mask', 'fsm', 'constant', 'previous'];
  return figure(
    `Block distance of ${study.layer}'s graphs to each reference against the channel multiplier`,
    {
      data: { values },
      facet: {
        row: facetHeader('criterion', config.criteria),
        column: facetHeader('graph', [...CONV_GRAPHS]),
      },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 180,
        height: 130,
        layer: convergenceLayers(x, y, references),
      },
    },
    'mean over seeds; dotted: m^(−1/2) through the wide-mask curve',
  );
}
