/**
 * Vega-Lite specs of the `ntk` and `uat` presets (at the largest width):
 *
 * - `ntkFigure`: kernel–target alignment and the bound's leading term against density (log axis), one
 *   line per criterion, mean over seeds.
 * - `activeCoordinateFigure`: each pixel's column density as a 28 × 28 map per criterion and density (mean
 *   over seeds; inputs at or below the threshold grey), with S of the first seed marked.
 */
import { FONT } from '../figures';
import { meanSd } from '../stats';
import type { PresetConfig } from './config';
import { cellsAt, type PresetJobResult } from './jobs';

export function ntkFigure(
  config: PresetConfig,
  results: readonly PresetJobResult[],
): Record<string, unknown> {
  const values: Record<string, unknown>[] = [];
  const width = config.widths[config.widths.length - 1];
  for (const criterion of config.criteria) {
    for (const density of config.densities) {
      const cs = cellsAt(results, criterion, width, density);
      if (cs.length === 0) continue;
      values.push({
        criterion,
        density,
        metric: 'kernel–target alignment',
        value: meanSd(cs.map((c) => c.ntk!.alignment)).mean,
      });
      values.push({
        criterion,
        density,
        metric: 'bound: leading term √(2yᵀK⁻¹y/m)',
        value: meanSd(cs.map((c) => c.ntk!.bound.leadingTerm)).mean,
      });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `Graphon-NTK on MNIST ${config.classes![0]} vs ${config.classes![1]} (m = ${config.samples}, n = ${width})`,
      fontSize: 14,
    },
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', title: null, header: { labelFontSize: 12 } } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 300,
      height: 240,
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'density',
          type: 'quantitative',
          scale: { type: 'log', nice: false },
          title: 'density (kept fraction)',
        },
        y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
        color: { field: 'criterion', type: 'nominal', sort: config.criteria },
      },
    },
    ...FONT,
  };
}

export function activeCoordinateFigure(
  config: PresetConfig,
  results: readonly PresetJobResult[],
): Record<string, unknown> {
  const width = config.widths[config.widths.length - 1];
  const values: Record<string, unknown>[] = [];
  for (const criterion of config.criteria) {
    for (const density of config.densities) {
      const cs = cellsAt(results, criterion, width, density);
      if (cs.length === 0) continue;
      const first = cs.find((c) => c.seed === config.seeds[0]) ?? cs[0];
      const inS = new Set(first.uat!.coordinates);
      for (let i = 0; i < 784; i++) {
        let s = 0;
        for (const c of cs) s += c.columnDensity![i];
        const rho = s / cs.length;
        values.push({
          criterion,
          density: `p = ${density}`,
          x: i % 28,
          y: Math.floor(i / 28),
          rho: rho > config.threshold! ? rho : null,
          S: inS.has(i),
        });
      }
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `Active input coordinates (column density > ${config.threshold}, first layer, n = ${width}, mean over seeds)`,
      subtitle: `grey: inactive; white squares: S, the ${config.k} densest active inputs`,
      fontSize: 14,
    },
    data: { values },
    facet: {
      row: { field: 'density', type: 'nominal', sort: config.densities.map((p) => `p = ${p}`), title: null },
      column: { field: 'criterion', type: 'nominal', sort: config.criteria, title: null },
    },
    spacing: 6,
    spec: {
      width: 112,
      height: 112,
      layer: [
        {
          mark: { type: 'rect', color: '#bbbbbb' },
          encoding: {
            x: { field: 'x', type: 'ordinal', axis: null },
            y: { field: 'y', type: 'ordinal', axis: null },
          },
        },
        {
          transform: [{ filter: 'datum.rho !== null' }],
          mark: 'rect',
          encoding: {
            x: { field: 'x', type: 'ordinal', axis: null },
            y: { field: 'y', type: 'ordinal', axis: null },
            color: {
              field: 'rho',
              type: 'quantitative',
              scale: { scheme: 'inferno' },
              title: 'column density',
            },
          },
        },
        {
          transform: [{ filter: 'datum.S' }],
          mark: { type: 'square', color: 'white', size: 30, filled: false, strokeWidth: 1.5 },
          encoding: {
            x: { field: 'x', type: 'ordinal', axis: null },
            y: { field: 'y', type: 'ordinal', axis: null },
          },
        },
      ],
    },
    ...FONT,
  };
}
