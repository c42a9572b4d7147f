/**
 * The `accuracy` preset's figure: test accuracy against density (log axis) at the largest width, one line per
 * criterion (mean over seeds), with the dense network's accuracy as a dashed rule — the compression plot of
 * Synaptic-Flow.
 */
import { meanSd } from '../../stats';
import { widestCells } from '../density-sweep';
import { criterionColor, figure, logAxis } from '../figure-spec';
import type { AccuracyConfig } from './config';
import type { AccuracyResult } from './run';

export function accuracyFigure(
  config: AccuracyConfig,
  results: readonly AccuracyResult[],
): Record<string, unknown> {
  const width = config.widths[config.widths.length - 1];
  const values = widestCells(config, results).map(({ criterion, density, cells }) => ({
    criterion,
    density,
    accuracy: meanSd(cells.map((c) => 100 * c.testAccuracy)).mean,
  }));
  const dense = results.flatMap((r) =>
    r.dense.filter((d) => d.width === width).map((d) => 100 * d.testAccuracy),
  );
  const layers: Record<string, unknown>[] = [
    {
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: logAxis('density', 'density (kept fraction of the first layer)'),
        y: { field: 'accuracy', type: 'quantitative', scale: { zero: false }, title: 'test accuracy (%)' },
        color: criterionColor(config.criteria),
      },
    },
  ];
  if (dense.length > 0) {
    layers.push({
      data: { values: [{ accuracy: meanSd(dense).mean, label: 'dense' }] },
      mark: { type: 'rule', strokeDash: [6, 4], color: 'black' },
      encoding: { y: { field: 'accuracy', type: 'quantitative' } },
    });
  }
  return figure(`MNIST test accuracy after ${config.epochs} epoch(s), 784 → ${width} → 10 (dashed: dense)`, {
    width: 420,
    height: 280,
    layer: layers,
  });
}
