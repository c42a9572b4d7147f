/**
 * The `uat` preset's figure: each pixel's column density as a 28 × 28 map per criterion and density at the
 * largest width (mean over seeds; inputs at or below the threshold grey), with S of the first seed marked.
 */
import { FONT } from '../figure-style';
import { cellsAt } from '../density-sweep';
import type { UatConfig } from './config';
import type { UatResult } from './run';

export function activeCoordinateFigure(
  config: UatConfig,
  results: readonly UatResult[],
): Record<string, unknown> {
  const width = config.widths[config.widths.length - 1];
  const values: Record<string, unknown>[] = [];
  for (const criterion of config.criteria) {
    for (const density of config.densities) {
      const cs = cellsAt(results, criterion, width, density);
      if (cs.length === 0) continue;
      const first = cs.find((c) => c.seed === config.seeds[0]) ?? cs[0];
      const inS = new Set(first.uat.coordinates);
      for (let i = 0; i < 784; i++) {
        let s = 0;
        for (const c of cs) s += c.columnDensity[i];
        const rho = s / cs.length;
        values.push({
          criterion,
          density: `p = ${density}`,
          x: i % 28,
          y: Math.floor(i / 28),
          rho: rho > config.threshold ? rho : null,
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
