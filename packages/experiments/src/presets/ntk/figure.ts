/**
 * The `ntk` preset's figure: kernel–target alignment and the bound's leading term against density (log axis)
 * at the largest width, one line per criterion, mean over seeds.
 */
import { meanSd } from '../../stats';
import { widestCells } from '../density-sweep';
import { criterionColor, figure, logAxis } from '../figure-spec';
import type { NtkConfig } from './config';
import type { NtkResult } from './run';

export function ntkFigure(config: NtkConfig, results: readonly NtkResult[]): Record<string, unknown> {
  const values: Record<string, unknown>[] = [];
  const width = config.widths[config.widths.length - 1];
  for (const { criterion, density, cells } of widestCells(config, results)) {
    values.push({
      criterion,
      density,
      metric: 'kernel–target alignment',
      value: meanSd(cells.map((c) => c.ntk.alignment)).mean,
    });
    values.push({
      criterion,
      density,
      metric: 'bound: leading term √(2yᵀK⁻¹y/m)',
      value: meanSd(cells.map((c) => c.ntk.bound.leadingTerm)).mean,
    });
  }
  return figure(
    `Graphon-NTK on MNIST ${config.classes[0]} vs ${config.classes[1]} (m = ${config.samples}, n = ${width})`,
    {
      data: { values },
      facet: { column: { field: 'metric', type: 'nominal', title: null, header: { labelFontSize: 12 } } },
      resolve: { scale: { y: 'independent' } },
      spec: {
        width: 300,
        height: 240,
        mark: { type: 'line', point: true },
        encoding: {
          x: logAxis('density', 'density (kept fraction)'),
          y: { field: 'value', type: 'quantitative', scale: { zero: false }, title: null },
          color: criterionColor(config.criteria),
        },
      },
    },
  );
}
