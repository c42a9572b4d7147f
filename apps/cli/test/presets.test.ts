/**
 * `graphon-pai experiment --preset ntk | uat` on tiny sweeps: report folders, numbers recomputed with direct
 * library calls, shard + merge equality, bad input, and (through the real binary) the rendered figures.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generalisationBound,
  graphonNtk,
  kernelTargetAlignment,
  spectralSummary,
  universalApproximationCheck,
} from '@graphon-pai/bounds';
import { BitMatrix, Rng, registry } from '@graphon-pai/core';
import { blockHistogram, canonicalOrder } from '@graphon-pai/graphon';
import { maskFromScores } from '@graphon-pai/masks';
import { makeBatch, Mlp, mnistSubset } from '@graphon-pai/nets';
import type { CriterionContext } from '@graphon-pai/saliency';
import { cli, cliRoot, filesOf, tsxLoader } from './helpers';
import { NTK_SWEEP, uatSweep } from './experiment-sweeps';

jest.setTimeout(120_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gp-presets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

describe('experiment --preset ntk', () => {
  it('writes the report; a cell recomputed with the library has the same numbers', async () => {
    const out = join(dir, 'ntk');
    const r = await cli('experiment', ...NTK_SWEEP, '--no-figures', '--json', '--out', out);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ out, jobs: 2, preset: 'ntk', report: `${out}/report.md` });
    for (const f of ['report.md', 'results.csv', 'results.json', 'figures/ntk.vl.json', 'jobs/snip-s0.json'])
      expect(existsSync(join(out, f))).toBe(true);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2 * 2);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/### snip\n\n\| n \| density \| active inputs \| tr K\/m \| alignment \| λ_min/);
    expect(report).toMatch(
      /graphon-pai experiment --preset ntk --criteria random,snip --widths 24 --densities 0\.1,0\.5 --samples 30/,
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
    const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const cell = saved.jobs
      .find((j: { job: { criterion: string } }) => j.job.criterion === 'snip')
      .cells.find((c: { density: number }) => c.density === 0.1);
    expect(cell.kept).toBe(mask.nnz());
    expect(cell.ntk.alignment).toBeCloseTo(kernelTargetAlignment(k, y), 10);
    expect(cell.ntk.lambdaMin).toBeCloseTo(spectralSummary(k).lambdaMin, 10);
    expect(cell.ntk.bound.quadraticForm / bound.quadraticForm).toBeCloseTo(1, 8);
    expect(cell.ntk.bound.bound).toBeCloseTo(bound.bound, 8);
    expect(saved.config).toMatchObject({ preset: 'ntk', classes: [3, 5], layers: 'both', ridge: 0 });
  });
});

describe('experiment --preset uat', () => {
  it('writes the report; a cell recomputed with the library has the same verdict; shards merge to the same report', async () => {
    const out = join(dir, 'uat');
    const r = await cli('experiment', ...uatSweep(), '--no-figures', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .* \(uat preset, 4 jobs\)\nreport: /);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2 * 2 * 2);
    const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
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
    const cell = saved.jobs
      .find(
        (j: { job: { criterion: string; seed: number } }) => j.job.criterion === 'snip' && j.job.seed === 1,
      )
      .cells.find((c: { density: number }) => c.density === 0.2);
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
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(
      /\| n \| density \| active inputs \| S \| q \| α \| predicted α·n·q\^k/,
    );

    const shards = [0, 1, 2].map((i) => join(dir, `uat-shard${i}`));
    for (const [i, s] of shards.entries())
      expect((await cli('experiment', ...uatSweep(), '--shard', `${i}/3`, '--out', s)).code).toBe(0);
    const merged = join(dir, 'uat-merged');
    const m = await cli('experiment', 'merge', ...shards, '--no-figures', '--out', merged);
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    const names = filesOf(out).sort();
    expect(filesOf(merged).sort()).toEqual(names);
    const digest = (folder: string, f: string) =>
      createHash('sha256')
        .update(readFileSync(join(folder, f)))
        .digest('hex');
    for (const f of names) expect([f, digest(merged, f)]).toEqual([f, digest(out, f)]);
  });

  it.each([
    [['--preset', 'ntk', '--bootstrap', '9'], /--bootstrap must be absent with --preset ntk/],
    [['--preset', 'uat', '--classes', '3,5'], /--classes must be absent with --preset uat/],
    [['--preset', 'ntk', '--densities', '0.1,1.5'], /--densities must be kept fractions in \(0, 1\]/],
    [['--preset', 'ntk', '--classes', '3,12'], /--classes must be two distinct MNIST digits/],
    [['--preset', 'uat', '--k', '0'], /--k must be an integer in \[1, 784\]/],
    [['--preset', 'uat', '--criteria', 'snipp'], /unknown criterion "snipp"/],
    [['--densities', '0.1'], /--densities must be absent with --preset taxonomy/],
    [['--preset', 'ntk', '--samples', '1'], /--samples must be an integer in \[2, 1726\]/],
    [['--seed', '5'], /--seed must be absent with experiment: each job’s seed in --seeds drives/],
    [['--preset', 'uat', '--seeds', '0,0'], /--seeds must be distinct integers/],
  ])('bad input %j exits 2 with one line and writes no folder', async (args, message) => {
    const out = join(dir, 'never');
    const r = await cli('experiment', ...args, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('--help lists the presets and their flags', async () => {
    const h = await cli('experiment', '--help');
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/choices: "taxonomy",\s+"ntk",\s+"uat"/);
    for (const flag of ['--densities <list>', '--classes <a,b>', '--ridge <λ>', '--k <k>', '--no-figures'])
      expect(h.stdout).toContain(flag);
  });
});

describe('preset figures (a child process: vega is ESM-only)', () => {
  it('the ntk and uat figure specs written by the runs above render to SVG and PNG', () => {
    const specs = [
      join(dir, 'ntk', 'figures', 'ntk.vl.json'),
      join(dir, 'uat', 'figures', 'active-coordinates.vl.json'),
    ];
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        tsxLoader,
        '--conditions=source',
        join(__dirname, 'fixtures', 'render-specs.ts'),
        dir,
        ...specs,
      ],
      {
        encoding: 'utf8',
        cwd: cliRoot,
      },
    );
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    for (const name of ['ntk', 'active-coordinates']) {
      expect(readFileSync(join(dir, `${name}.svg`), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      expect(
        readFileSync(join(dir, `${name}.png`))
          .subarray(1, 4)
          .toString('latin1'),
      ).toBe('PNG');
    }
  });
});
