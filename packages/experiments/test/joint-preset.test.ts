/**
 * The `joint` preset in process on a tiny sweep: the report's files, the tidy distances, and a cell
 * recomputed with direct library calls.
 */
import { Rng, registry } from '@graphon-pai/core';
import { blockDistance, cutDistance, pixelDistance } from '@graphon-pai/cut-distance';
import { maskFromScores } from '@graphon-pai/masks';
import { Mlp, mirroredRegressionTask } from '@graphon-pai/nets';
import { type CriterionContext, pairedZeroOutput } from '@graphon-pai/saliency';
import { jointLimit, limitGrid, pixelReference } from '../src/presets/joint/limit';
import { JOINT_PROFILE } from '../src/presets/joint/run';
import { runPreset } from './helpers';

jest.setTimeout(120_000);

describe('the joint preset', () => {
  it('reports every cell; a cell recomputed with the library has the same distances', async () => {
    const { results, report } = await runPreset({
      preset: 'joint',
      widths: [128, 256],
      criteria: ['random', 'snip'],
      seeds: [0],
      samples: 16,
    });
    expect([...report.text.keys()]).toEqual(['report.md', 'results.csv', 'distances.csv']);
    expect([...report.figures.keys()]).toEqual(['joint-convergence']);
    const tidy = report.text.get('distances.csv')!.trim().split('\n');
    expect(tidy[0]).toBe('criterion,seed,width,reference,metric,value,kind');
    expect(tidy).toHaveLength(1 + 2 * 2 * 4);
    expect(tidy[1]).toMatch(/^random,0,128,constant,block,[0-9.e-]+,exact$/);
    expect(report.text.get('report.md')).toMatch(
      /\| criterion \| block \| pixel \| full \(upper bound\) \|\n\|---\|---\|---\|---\|\n\| random \| -?\d/,
    );

    // SNIP at n = 256, d = 128, recomputed.
    const network = pairedZeroOutput(Mlp.create({ widths: [128, 256, 1], init: 'kaiming-normal', seed: 0 }));
    const task = mirroredRegressionTask({ pairs: 8, features: 128, profile: JOINT_PROFILE, seed: 0 });
    const spec = registry.criterion<CriterionContext>('snip').spec;
    const scores = await spec.score({ network, data: task.batch, loss: 'mse', rng: new Rng(0) });
    network.dispose();
    const mask = maskFromScores(scores, { density: 0.1, allocation: 'uniform' }).get('0.weight')!;
    const limit = jointLimit('snip', 0.1, JOINT_PROFILE);
    const cell = results.find((j) => j.job.criterion === 'snip')!.cells.find((c) => c.width === 256)!;
    expect(cell.kept).toBe(mask.nnz());
    expect(cell.block).toBeCloseTo(blockDistance(mask, limit).value, 12);
    expect(cell.pixel).toBeCloseTo(
      pixelDistance(mask, pixelReference('snip', limit, task.inputFactors, 16)).value,
      12,
    );
    const grid = limitGrid('snip', limit, 256, 128);
    const full = cutDistance(mask, grid.kernel, { alignment: 'canonical', seed: 0 });
    expect(cell.full.upperBound).toBeCloseTo(full.upperBound!, 12);
    expect(cell.full.discretisation).toBeCloseTo(grid.discretisation, 14);
    expect(cell.floor).toBeNull();
    const random = results.find((j) => j.job.criterion === 'random')!.cells[0];
    expect(random.floor).toBeCloseTo(0.5 * Math.sqrt(2 / Math.PI) * Math.sqrt((0.1 * 0.9) / 64), 14);
  });
});
