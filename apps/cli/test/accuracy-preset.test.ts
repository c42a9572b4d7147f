/**
 * `graphon-pai experiment --preset accuracy` on a tiny sweep: report files, one cell recomputed through
 * `graphon-pai train` on the same initialisation and mask, the theory numbers checked against `graphonNtkReport` (including
 * the claim that K / (tr K / m) is the kernel at σ_w² = m / tr K), and shards merged into the same report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { graphonNtkReport } from '@graphon-pai/bounds';
import { BitMatrix, Rng, registry } from '@graphon-pai/core';
import type { AccuracyResult } from '@graphon-pai/experiments';
import { rowBlockGraphon } from '@graphon-pai/graphon';
import { maskFromScores, saveMask } from '@graphon-pai/masks';
import { Mlp, mnistSubset, saveMlpSafetensors } from '@graphon-pai/nets';
import { type CriterionContext, registerBuiltinCriteria } from '@graphon-pai/saliency';
import { setupEngine } from '../src/engine';
import { loadBinaryTask } from '../src/task-input';
import { cli, missingFiles, runBin, tempFolder } from './helpers';

jest.setTimeout(300_000);

const dir = tempFolder('gp-accuracy-');
beforeAll(async () => {
  await setupEngine();
});

describe('experiment --preset accuracy', () => {
  const sweep = ['--criteria', 'random,snip', '--widths', '16', '--densities', '0.05,0.3', '--samples', '30'];

  // Training runs in child processes: in jest's sandbox tfjs copies typed arrays from another realm slowly.
  test('writes the report; a cell equals graphon-pai train on the same mask; theory numbers match graphonNtkReport', async () => {
    const out = join(dir, 'acc');
    const r = runBin(['experiment', '--preset', 'accuracy', ...sweep, '--out', out], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ρ\(bound, test error\) = -?[0-9.]+ over 4 networks/);
    expect(
      missingFiles(out, [
        'report.md',
        'results.csv',
        'results.json',
        'figures/accuracy.svg',
        'jobs/random-s0.json',
      ]),
    ).toEqual([]);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/## Test accuracy against density/);
    expect(report).toMatch(/\| 1 \(dense\) \|/);
    expect(report).toMatch(/## Does the theory predict the test error\?/);
    expect(report).toMatch(
      /graphon-pai experiment --preset accuracy --criteria random,snip --widths 16 --densities 0\.05,0\.3 --samples 30/,
    );
    const saved = JSON.parse(readFileSync(join(out, 'jobs', 'random-s0.json'), 'utf8'));
    const result: AccuracyResult = saved.result ?? saved;
    const cell = result.cells.find((c) => c.density === 0.3)!;
    expect(result.dense).toHaveLength(1);
    const snip: AccuracyResult = ((s) => s.result ?? s)(
      JSON.parse(readFileSync(join(out, 'jobs', 'snip-s0.json'), 'utf8')),
    );
    expect(snip.dense).toHaveLength(0); // the dense baseline is trained once per seed

    // The same network, mask and recipe through `graphon-pai train`: the same test accuracy, bit for bit.
    registerBuiltinCriteria(registry);
    const spec = registry.criterion<CriterionContext>('random').spec;
    // The preset's network and mask, by direct library calls: 784 → 16 → 10 Kaiming-normal with the job's
    // seed, scored on the class-balanced batch of 30 digits, a layer-wise mask keeping 30 % of every layer.
    const net = Mlp.create({ widths: [784, 16, 10], init: 'kaiming-normal', seed: 0 });
    const batch = await mnistSubset({ count: 30, seed: 0 });
    const scores = await spec.score({
      network: net,
      data: spec.needsData ? batch : undefined,
      loss: 'cross-entropy',
      rng: new Rng(0),
    });
    const mask = maskFromScores(scores, { density: 0.3, allocation: 'uniform' }).get('0.weight') as BitMatrix;
    expect(mask).toBeInstanceOf(BitMatrix);
    saveMlpSafetensors(net, join(dir, 'init.safetensors'));
    net.dispose();
    saveMask(join(dir, 'mask.safetensors'), new Map([['0.weight', mask]]));
    const trained = runBin(
      [
        'train',
        '--weights',
        'init.safetensors',
        '--mask',
        'mask.safetensors',
        '--lr',
        '0.1',
        '--epochs',
        '1',
        '--seed',
        '0',
        '--json',
      ],
      dir,
    );
    expect(trained.status).toBe(0);
    expect(JSON.parse(trained.stdout).testAccuracy).toBe(cell.testAccuracy);
    expect(cell.testAccuracy).toBeGreaterThan(0.8);

    const task = await loadBinaryTask({
      data: 'mnist',
      classes: [3, 5],
      samples: 30,
      features: 784,
      seed: 0,
      normalize: true,
    });
    const graphon = rowBlockGraphon(mask, 32);
    const options = { layers: 'both' as const, sigmaW2: 1, delta: 0.05, ridge: 0, topK: 10 };
    const asComputed = graphonNtkReport(graphon, task, options);
    expect(cell.theory.traceOverM).toBeCloseTo(asComputed.traceOverM, 10);
    expect(cell.theory.alignment).toBeCloseTo(asComputed.alignment, 10);
    expect(cell.theory.bound! / asComputed.bound.bound).toBeCloseTo(1, 8);
    // K / (tr K/m) is the kernel at σ_w² = m / tr K: its trace is m and its bound the normalised one.
    const rescaled = graphonNtkReport(graphon, task, { ...options, sigmaW2: 1 / asComputed.traceOverM });
    expect(rescaled.traceOverM).toBeCloseTo(1, 10);
    expect(cell.theory.normalizedBound! / rescaled.bound.bound).toBeCloseTo(1, 8);

    // Shards (one job each) merge into the same report.
    const shards = [0, 1].map((i) => join(dir, `shard${i}`));
    for (const [i, shard] of shards.entries()) {
      expect(
        runBin(['experiment', '--preset', 'accuracy', ...sweep, '--shard', `${i}/2`, '--out', shard], dir)
          .status,
      ).toBe(0);
    }
    const merged = join(dir, 'merged');
    expect(runBin(['experiment', 'merge', ...shards, '--out', merged], dir).status).toBe(0);
    for (const f of ['report.md', 'results.csv', 'figures/accuracy.svg']) {
      expect([f, readFileSync(join(merged, f), 'utf8')]).toEqual([f, readFileSync(join(out, f), 'utf8')]);
    }
  });

  test('bad flags are refused', async () => {
    for (const [args, message] of [
      [['--epochs', '0'], /--epochs must be an integer in \[1, 1000\]/],
      [['--lr', '0'], /--lr/],
      [['--classes', '3,3'], /--classes must be two distinct/],
    ] as const) {
      const r = await cli('experiment', '--preset', 'accuracy', ...sweep, ...args, '--out', join(dir, 'bad'));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const ntk = await cli('experiment', '--preset', 'ntk', '--epochs', '2', '--out', join(dir, 'bad'));
    expect(ntk.code).toBe(2);
    expect(ntk.stderr).toMatch(/--epochs must be absent with --preset ntk/);
  });
});
