/**
 * The `accuracy` preset's figure: test accuracy against density (log axis) at the largest width, one line per
 * criterion (mean over seeds), with the dense network's accuracy as a dashed rule — the compression plot of
 * Synaptic-Flow.
 */
import { meanSd } from '../../stats';
import { cellsAt } from '../density-sweep';
import { FONT } from '../figure-style';
import type { AccuracyConfig } from './config';
import type { AccuracyResult } from './run';

export function accuracyFigure(
  config: AccuracyConfig,
  results: readonly AccuracyResult[],
): Record<string, unknown> {
  const width = config.widths[config.widths.length - 1];
  const values: Record<string, unknown>[] = [];
  for (const criterion of config.criteria) {
    for (const density of config.densities) {
      const cs = cellsAt(results, criterion, width, density);
      if (cs.length > 0)
        values.push({ criterion, density, accuracy: meanSd(cs.map((c) => 100 * c.testAccuracy)).mean });
    }
  }
  const dense = results.flatMap((r) =>
    r.dense.filter((d) => d.width === width).map((d) => 100 * d.testAccuracy),
  );
  const layers: Record<string, unknown>[] = [
    {
      data: { values },
      mark: { type: 'line', point: true },
      encoding: {
        x: {
          field: 'density',
          type: 'quantitative',
          scale: { type: 'log', nice: false },
          title: 'density (kept fraction of the first layer)',
        },
        y: { field: 'accuracy', type: 'quantitative', scale: { zero: false }, title: 'test accuracy (%)' },
        color: { field: 'criterion', type: 'nominal', sort: config.criteria },
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
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {
      text: `MNIST test accuracy after ${config.epochs} epoch(s), 784 → ${width} → 10 (dashed: dense)`,
      fontSize: 14,
    },
    width: 420,
    height: 280,
    layer: layers,
    ...FONT,
  };
}
