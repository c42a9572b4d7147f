/**
 * End-to-end tests of `graphon-pai experiment` through the real binary on a small sweep (two widths, two
 * seeds, two criteria), plus the library-level recomputation of one cell.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { registry } from '@graphon-pai/core';
import { presets, type TaxonomyConfig, type TaxonomyMlpResult } from '@graphon-pai/experiments';
import { registerBuiltinCriteria } from '@graphon-pai/saliency';
import { ensureBackend } from '@graphon-pai/testkit';
import { resolveConfig } from '../src/experiment/config';
import {
  cli,
  cliStatus,
  expectRefusedWithoutOutput,
  filesOf,
  missingFiles,
  runBin,
  tempFolder,
} from './helpers';
import { TAXONOMY_SWEEP } from './experiment-sweeps';

const dir = tempFolder('gp-exp-');

describe('graphon-pai experiment', () => {
  it('writes the report folder, and the merge of its shards is the same report', async () => {
    const full = join(dir, 'full');
    const r = runBin(['experiment', ...TAXONOMY_SWEEP, '--out', full], dir);
    expect({ status: r.status, error: r.stderr.split('\n').filter((l) => /error/i.test(l)) }).toEqual({
      status: 0,
      error: [],
    });
    expect(r.stdout).toMatch(/report: .*report\.md/);
    expect(
      missingFiles(full, [
        'report.md',
        'results.csv',
        'results.json',
        'figures/heatmaps.svg',
        'figures/heatmaps.png',
        'figures/convergence.svg',
        'figures/connectivity.png',
      ]),
    ).toEqual([]);
    const report = readFileSync(join(full, 'report.md'), 'utf8');
    expect(report).toMatch(/\| random \| homogeneous \| homogeneous \| yes \|/);
    expect(report).toMatch(/\| snip \| heterogeneous \| heterogeneous \| yes \|/);
    expect(readFileSync(join(full, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2 * 2 * 2);
    // distances.csv: tidy rows; per (criterion, seed) the exact block and pixel rows of fsm, plugin and
    // constant at both widths and of previous at the second: 2 × 3 × 2 + 2 = 14 per job.
    const distances = readFileSync(join(full, 'distances.csv'), 'utf8').trim().split('\n');
    expect(distances[0]).toBe('criterion,seed,width,reference,metric,value,kind');
    const rows = distances.slice(1).map((line) => line.split(','));
    expect(rows.filter((r) => r[4] !== 'full')).toHaveLength(2 * 2 * (2 * 3 * 2 + 2));
    for (const [, , , reference, metric, value, kind] of rows) {
      expect(['fsm', 'plugin', 'constant', 'previous']).toContain(reference);
      expect(metric === 'full' ? ['upper', 'lower'] : ['exact']).toContain(kind);
      expect(Number(value)).toBeGreaterThanOrEqual(0);
    }
    expect(report).toMatch(/## Convergence/);
    expect(report).toMatch(/\| random \| plugin \|/);
    expect(
      readFileSync(join(full, 'figures', 'heatmaps.png'))
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');

    const shards = [0, 1, 2].map((i) => join(dir, `shard${i}`));
    // Shards render no figures: they run in process (the full run and the merge use the real binary).
    for (const [i, out] of shards.entries()) {
      const s = await cliStatus('experiment', ...TAXONOMY_SWEEP, '--shard', `${i}/3`, '--out', out);
      expect(s.status).toBe(0);
    }
    const merged = join(dir, 'merged');
    const m = runBin(['experiment', 'merge', ...shards, '--out', merged], dir);
    expect(m.status).toBe(0);
    const names = filesOf(full).sort();
    expect(filesOf(merged).sort()).toEqual(names);
    const digest = (folder: string, f: string) =>
      createHash('sha256')
        .update(readFileSync(join(folder, f)))
        .digest('hex');
    for (const f of names.filter((n) => !n.endsWith('.png')))
      expect([f, digest(merged, f)]).toEqual([f, digest(full, f)]);
    // An incomplete set of shards is refused, and nothing is written.
    const partial = join(dir, 'partial');
    const bad = await cliStatus('experiment', 'merge', shards[0], shards[1], '--out', partial);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/shards are incomplete: missing jobs/);
    expect(existsSync(partial)).toBe(false);
  });

  it.each([
    [['--density', '1.5'], /--density must be a number in \(0, 1\]/],
    [['--widths', '256,128'], /--widths must be at least two increasing integers/],
    [['--criteria', 'snipp'], /unknown criterion "snipp"\. Did you mean "snip"\?/],
    [['--shard', '3/3'], /--shard must be i\/N with 0 ≤ i < N/],
    [['--samples', 'many'], /--samples must be a number; got "many"/],
    [['--widths', '16,64'], /--widths must be widths of at least 32/],
    [
      ['--reference-width', '100'],
      /--reference-width must be 0 \(= 8 × the widest width\) or an integer ≥ the widest width 128/,
    ],
    [['--reference-width', '9999999'], /--reference-width must be a reference width of at most 4194304/],
    [
      ['--output-at-init', 'zero', '--widths', '64,129'],
      /--widths must be even widths with --output-at-init zero/,
    ],
  ])('bad input %j exits 2 with one line and leaves no output folder', async (args, message) => {
    const out = join(dir, 'never');
    const r = await cli('experiment', ...TAXONOMY_SWEEP, ...args, '--out', out);
    expectRefusedWithoutOutput(r, out, message);
  });
});

describe('report numbers equal the library calls', () => {
  it('recomputes one job in process and finds the numbers of results.json', async () => {
    await ensureBackend('cpu');
    registerBuiltinCriteria(registry);
    const folder = join(dir, 'full');
    const saved = JSON.parse(readFileSync(join(folder, 'results.json'), 'utf8'));
    const config = resolveConfig(saved.config) as TaxonomyConfig;
    const run = await presets.taxonomy.load();
    const fresh = (await run.runJob(config, { criterion: 'snip', seed: 1 }, () => {})) as TaxonomyMlpResult;
    const stored = saved.jobs.find(
      (j: { job: { criterion: string; seed: number } }) => j.job.criterion === 'snip' && j.job.seed === 1,
    );
    for (let i = 0; i < fresh.widths.length; i++) {
      const a = fresh.widths[i];
      const b = stored.widths[i];
      expect(a.kept).toBe(b.kept);
      expect(a.histogram).toEqual(b.histogram);
      expect(a.columnDensity).toEqual(b.columnDensity);
      // The binary runs on wasm with the fast GEMM kernel, this test on cpu: scores agree to float rounding,
      // so masks agree exactly here, and cut-norm values to the solvers' tolerance.
      expect(a.toLimit.alignedLowerBound).toBeCloseTo(b.toLimit.alignedLowerBound, 4);
      expect(a.homogeneity.verdict).toBe(b.homogeneity.verdict);
    }
  });
});
