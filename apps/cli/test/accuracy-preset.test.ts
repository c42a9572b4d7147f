/**
 * `graphon-pai experiment --preset accuracy` on a tiny sweep: report files, one cell recomputed through
 * `graphon-pai train` on the same initialisation and mask, the theory numbers checked against `graphonNtkReport` (including
 * the claim that K / (tr K / m) is the kernel at σ_w² = m / tr K), and Spearman's ρ against scipy.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { graphonNtkReport } from '@graphon-pai/bounds';
import { registry } from '@graphon-pai/core';
import { rowBlockGraphon } from '@graphon-pai/graphon';
import { saveMask } from '@graphon-pai/masks';
import { saveMlpSafetensors } from '@graphon-pai/nets';
import { type CriterionContext, registerBuiltinCriteria } from '@graphon-pai/saliency';
import { setupEngine } from '../src/engine';
import { averageRanks, spearman } from '../src/experiment/presets/accuracy/rank-correlation';
import type { AccuracyResult } from '../src/experiment/presets/accuracy/run';
import { criterionContext, experimentMlp, scoringBatch, studiedMask } from '../src/experiment/scoring';
import { loadBinaryTask } from '../src/task-input';
import { cli, runBin } from './helpers';

jest.setTimeout(300_000);

let dir: string;
beforeAll(async () => {
  await setupEngine();
  dir = mkdtempSync(join(tmpdir(), 'gp-accuracy-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("Spearman's ρ", () => {
  test('average ranks for ties; ρ equals scipy.stats.spearmanr', () => {
    expect(averageRanks([3, 1, 3, 2])).toEqual([3.5, 1, 3.5, 2]);
    const x = [0.5, 2, 2, 7, 1, 3, 3, 3, 9, -1];
    const y = [1, 0.2, 0.3, 4, 4, 2, 1, 0, 5, 0];
    const scipy = Number(
      execFileSync(
        'python3',
        [
          '-c',
          `from scipy.stats import spearmanr; print(repr(float(spearmanr(${JSON.stringify(x)}, ${JSON.stringify(y)}).statistic)))`,
        ],
        { encoding: 'utf8' },
      ),
    );
    expect(spearman(x, y)).toBeCloseTo(scipy, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});

describe('experiment --preset accuracy', () => {
  const sweep = ['--criteria', 'random,snip', '--widths', '16', '--densities', '0.05,0.3', '--samples', '30'];

  // Training runs in child processes: in jest's sandbox tfjs copies typed arrays from another realm slowly.
  test('writes the report; a cell equals graphon-pai train on the same mask; theory numbers match graphonNtkReport', async () => {
    const out = join(dir, 'acc');
    const r = runBin(['experiment', '--preset', 'accuracy', ...sweep, '--out', out], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/ρ\(bound, test error\) = -?[0-9.]+ over 4 networks/);
    for (const f of [
      'report.md',
      'results.csv',
      'results.json',
      'figures/accuracy.svg',
      'jobs/random-s0.json',
    ])
      expect(existsSync(join(out, f))).toBe(true);
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
    const net = experimentMlp(16, 10, 0);
    const scores = await spec.score(
      criterionContext(spec, net, await scoringBatch(30, 0), 'cross-entropy', 0),
    );
    const mask = studiedMask(scores, 0.3, 'random');
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
