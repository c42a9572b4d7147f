/**
 * `graphon-pai experiment --preset joint` on a tiny sweep: the report folder, the tidy distances, a cell
 * recomputed with direct library calls, and bad input.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, registry } from '@graphon-pai/core';
import { blockDistance, cutDistance, pixelDistance } from '@graphon-pai/cut-distance';
import { maskFromScores } from '@graphon-pai/masks';
import { Mlp, mirroredRegressionTask } from '@graphon-pai/nets';
import { type CriterionContext, pairedZeroOutput } from '@graphon-pai/saliency';
import { jointLimit, limitGrid, pixelReference } from '../src/experiment/presets/joint/limit';
import { JOINT_PROFILE } from '../src/experiment/presets/joint/run';
import { cli } from './helpers';

jest.setTimeout(120_000);

const JOINT = [
  '--preset',
  'joint',
  '--widths',
  '128,256',
  '--criteria',
  'random,snip',
  '--seeds',
  '0',
  '--samples',
  '16',
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gp-joint-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('experiment --preset joint', () => {
  it('writes the report; a cell recomputed with the library has the same distances', async () => {
    const out = join(dir, 'joint');
    const r = await cli('experiment', ...JOINT, '--no-figures', '--out', out);
    expect(r.code).toBe(0);
    for (const f of [
      'report.md',
      'results.csv',
      'distances.csv',
      'results.json',
      'figures/joint-convergence.vl.json',
    ])
      expect(existsSync(join(out, f))).toBe(true);
    const tidy = readFileSync(join(out, 'distances.csv'), 'utf8').trim().split('\n');
    expect(tidy[0]).toBe('criterion,seed,width,reference,metric,value,kind');
    expect(tidy).toHaveLength(1 + 2 * 2 * 4);
    expect(tidy[1]).toMatch(/^random,0,128,constant,block,[0-9.e-]+,exact$/);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(
      /\| criterion \| block \| pixel \| full \(upper bound\) \|\n\|---\|---\|---\|---\|\n\| random \| -?\d/,
    );
    expect(report).toMatch(
      /graphon-pai experiment --preset joint --criteria random,snip --widths 128,256 --seeds 0 --samples 16/,
    );

    // SNIP at n = 256, d = 128, recomputed.
    const network = pairedZeroOutput(Mlp.create({ widths: [128, 256, 1], init: 'kaiming-normal', seed: 0 }));
    const task = mirroredRegressionTask({ pairs: 8, features: 128, profile: JOINT_PROFILE, seed: 0 });
    const spec = registry.criterion<CriterionContext>('snip').spec;
    const scores = await spec.score({ network, data: task.batch, loss: 'mse', rng: new Rng(0) });
    network.dispose();
    const mask = maskFromScores(scores, { density: 0.1, allocation: 'uniform' }).get('0.weight')!;
    const limit = jointLimit('snip', 0.1, JOINT_PROFILE);
    const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const cell = saved.jobs
      .find((j: { job: { criterion: string } }) => j.job.criterion === 'snip')
      .cells.find((c: { width: number }) => c.width === 256);
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
    const random = saved.jobs.find((j: { job: { criterion: string } }) => j.job.criterion === 'random')
      .cells[0];
    expect(random.floor).toBeCloseTo(0.5 * Math.sqrt(2 / Math.PI) * Math.sqrt((0.1 * 0.9) / 64), 14);
  });

  it.each([
    [
      ['--criteria', 'grasp'],
      /--criteria must be one of random, magnitude, synflow, snip with --preset joint/,
    ],
    [['--widths', '64,128'], /--widths must be widths ≥ 128/],
    [['--widths', '256,257'], /increasing even integers/],
    [['--samples', '15'], /--samples must be an even number/],
    [['--row-blocks', '25'], /--row-blocks must be an integer in \[1, 24\]/],
  ])('refuses %j with exit code 2', async (flags, message) => {
    const r = await cli('experiment', '--preset', 'joint', ...flags, '--out', join(dir, 'bad'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });
});
