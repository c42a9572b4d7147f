/**
 * The density-sweep presets (`ntk`, `uat`) in process on tiny sweeps: a cell recomputed with direct library
 * calls (an independently built task, mask and graphon) has the report's numbers.
 */
import {
  generalisationBound,
  graphonNtk,
  kernelTargetAlignment,
  spectralSummary,
  universalApproximationCheck,
} from '@graphon-pai/bounds';
import { type BitMatrix, Rng, registry } from '@graphon-pai/core';
import { blockHistogram, canonicalOrder } from '@graphon-pai/graphon';
import { maskFromScores } from '@graphon-pai/masks';
import { makeBatch, Mlp, mnistSubset } from '@graphon-pai/nets';
import type { CriterionContext } from '@graphon-pai/saliency';
import { runPreset } from './helpers';

jest.setTimeout(120_000);

/** The first layer's mask of a criterion at one cell, recomputed with the library. */
async function firstLayerMask(
  criterion: string,
  width: number,
  outputs: number,
  density: number,
  seed: number,
  data: Parameters<typeof makeBatch> | null,
) {
  const spec = registry.criterion<CriterionContext>(criterion).spec;
  const network = Mlp.create({ widths: [784, width, outputs], init: 'kaiming-normal', seed });
  try {
    const batch = data ? makeBatch(...data) : undefined;
    const scores = await spec.score({
      network,
      data: spec.needsData ? batch : undefined,
      loss: 'cross-entropy',
      rng: new Rng(seed),
    });
    return maskFromScores(scores, { density, allocation: 'uniform' }).get('0.weight') as BitMatrix;
  } finally {
    network.dispose();
  }
}

const pixelOrder = Uint32Array.from({ length: 784 }, (_, i) => i);

describe('the ntk preset', () => {
  it('a cell recomputed with the library has the same numbers', async () => {
    const { config, results, report } = await runPreset({
      preset: 'ntk',
      widths: [24],
      densities: [0.1, 0.5],
      criteria: ['random', 'snip'],
      samples: 30,
    });
    expect(config).toMatchObject({ classes: [3, 5], layers: 'both', ridge: 0 });
    expect(report.text.get('results.csv')!.trim().split('\n')).toHaveLength(1 + 2 * 2);
    expect(report.text.get('report.md')).toMatch(
      /### snip\n\n\| n \| density \| active inputs \| tr K\/m \| alignment \| λ_min/,
    );

    // Independent task: the first 30 digits of 3 and 5 in mnistSubset({count: 160, seed: 0}).
    const batch = await mnistSubset({ count: 160, seed: 0 });
    const rows: number[] = [];
    for (let q = 0; q < batch.count && rows.length < 30; q++)
      if (batch.labels![q] === 3 || batch.labels![q] === 5) rows.push(q);
    const raw = new Float32Array(30 * 784);
    const x = new Float64Array(30 * 784);
    const y = new Float64Array(30);
    const labels = new Int32Array(30);
    rows.forEach((q, k) => {
      let s = 0;
      for (let i = 0; i < 784; i++) s += batch.inputs[q * 784 + i] ** 2;
      for (let i = 0; i < 784; i++) {
        raw[k * 784 + i] = batch.inputs[q * 784 + i];
        x[k * 784 + i] = batch.inputs[q * 784 + i] * Math.sqrt(784 / s);
      }
      y[k] = batch.labels![q] === 3 ? 1 : -1;
      labels[k] = batch.labels![q] === 3 ? 0 : 1;
    });
    const mask = await firstLayerMask('snip', 24, 2, 0.1, 0, [raw, 30, 784, { labels, classes: 2 }]);
    const graphon = blockHistogram(mask, canonicalOrder(mask).rowOrder, pixelOrder, {
      rowBlocks: 24,
      colBlocks: 784,
    });
    const k = graphonNtk({ rows: 30, cols: 784, data: x }, graphon);
    const bound = generalisationBound(k, y);
    const cell = results.find((j) => j.job.criterion === 'snip')!.cells.find((c) => c.density === 0.1)!;
    expect(cell.kept).toBe(mask.nnz());
    expect(cell.ntk.alignment).toBeCloseTo(kernelTargetAlignment(k, y), 10);
    expect(cell.ntk.lambdaMin).toBeCloseTo(spectralSummary(k).lambdaMin, 10);
    expect(cell.ntk.bound.quadraticForm / bound.quadraticForm).toBeCloseTo(1, 8);
    expect(cell.ntk.bound.bound).toBeCloseTo(bound.bound, 8);
  });
});

describe('the uat preset', () => {
  it('a cell recomputed with the library has the same verdict, S and column densities', async () => {
    const { results, report } = await runPreset({
      preset: 'uat',
      widths: [40],
      densities: [0.2, 0.5],
      criteria: ['random', 'snip'],
      samples: 40,
      seeds: [0, 1],
      k: 2,
    });
    expect(report.text.get('results.csv')!.trim().split('\n')).toHaveLength(1 + 2 * 2 * 2);
    expect(report.text.get('report.md')).toMatch(
      /\| n \| density \| active inputs \| S \| q \| α \| predicted α·n·q\^k/,
    );
    const data = await mnistSubset({ count: 40, seed: 1 });
    const mask = await firstLayerMask('snip', 40, 10, 0.2, 1, [
      data.inputs,
      data.count,
      784,
      { labels: data.labels, classes: 10 },
    ]);
    const graphon = blockHistogram(mask, canonicalOrder(mask).rowOrder, pixelOrder, {
      rowBlocks: 32,
      colBlocks: 784,
    });
    const cell = results
      .find((j) => j.job.criterion === 'snip' && j.job.seed === 1)!
      .cells.find((c) => c.density === 0.2)!;
    const v = universalApproximationCheck(graphon, {
      inputs: 784,
      width: 40,
      threshold: 0.01,
      mask,
      coordinates: cell.uat.coordinates,
    });
    expect(cell.uat.k).toBe(2);
    expect(cell.uat).toMatchObject({
      q: v.rectangle.q,
      alpha: v.rectangle.alpha,
      predictedCount: v.predictedCount,
      expectedCount: v.expectedCount,
      observedCount: v.observedCount,
      holds: v.holds,
    });
    // S is the two densest active pixels of the mask.
    const degrees = mask.colDegrees();
    const best = Math.max(...degrees);
    expect(degrees[cell.uat.coordinates[0]]).toBe(best);
    expect(cell.columnDensity).toEqual(Array.from(degrees, (d) => d / 40));
  });
});
