/**
 * The `uat` preset's figure: each pixel's column density as a 28 × 28 map per criterion and density at the
 * largest width (mean over seeds; inputs at or below the threshold grey), with S of the first seed marked.
 */
import { widestCells } from '../density-sweep';
import { cellPosition, figure } from '../figure-spec';
import type { UatConfig } from './config';
import type { UatResult } from './run';

export function activeCoordinateFigure(
  config: UatConfig,
  results: readonly UatResult[],
): Record<string, unknown> {
  const width = config.widths[config.widths.length - 1];
  const values: Record<string, unknown>[] = [];
  for (const { criterion, density, cells } of widestCells(config, results)) {
    const first = cells.find((c) => c.seed === config.seeds[0]) ?? cells[0];
    const inS = new Set(first.uat.coordinates);
    for (let i = 0; i < 784; i++) {
      let s = 0;
      for (const c of cells) s += c.columnDensity[i];
      const rho = s / cells.length;
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
  const pixel = cellPosition('x', 'y');
  return figure(
    `Active input coordinates (column density > ${config.threshold}, first layer, n = ${width}, mean over seeds)`,
    {
      data: { values },
      facet: {
        row: {
          field: 'density',
          type: 'nominal',
          sort: config.densities.map((p) => `p = ${p}`),
          title: null,
        },
        column: { field: 'criterion', type: 'nominal', sort: config.criteria, title: null },
      },
      spacing: 6,
      spec: {
        width: 112,
        height: 112,
        layer: [
          { mark: { type: 'rect', color: '#bbbbbb' }, encoding: { ...pixel } },
          {
            transform: [{ filter: 'datum.rho !== null' }],
            mark: 'rect',
            encoding: {
              ...pixel,
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
            encoding: { ...pixel },
          },
        ],
      },
    },
    `grey: inactive; white squares: S, the ${config.k} densest active inputs`,
  );
}
