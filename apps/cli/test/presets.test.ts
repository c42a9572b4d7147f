/**
 * `graphon-pai experiment --preset ntk | uat` on tiny sweeps: report folders, shard + merge equality, bad
 * input, and (through the real binary) the rendered figures. The presets' numbers are checked against direct
 * library calls in `@graphon-pai/experiments`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  cli,
  cliRoot,
  expectRefusedWithoutOutput,
  filesOf,
  missingFiles,
  tempFolder,
  tsxLoader,
} from './helpers';
import { NTK_SWEEP, uatSweep } from './experiment-sweeps';

jest.setTimeout(120_000);

const dir = tempFolder('gp-presets-');

describe('experiment --preset ntk', () => {
  it('writes the report folder and the --json outcome; the configuration is recorded', async () => {
    const out = join(dir, 'ntk');
    const r = await cli('experiment', ...NTK_SWEEP, '--no-figures', '--json', '--out', out);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ out, jobs: 2, preset: 'ntk', report: `${out}/report.md` });
    expect(
      missingFiles(out, [
        'report.md',
        'results.csv',
        'results.json',
        'figures/ntk.vl.json',
        'jobs/snip-s0.json',
      ]),
    ).toEqual([]);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2 * 2);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/### snip\n\n\| n \| density \| active inputs \| tr K\/m \| alignment \| λ_min/);
    expect(report).toMatch(
      /graphon-pai experiment --preset ntk --criteria random,snip --widths 24 --densities 0\.1,0\.5 --samples 30/,
    );
    const saved = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(saved.config).toMatchObject({ preset: 'ntk', classes: [3, 5], layers: 'both', ridge: 0 });
  });
});

describe('experiment --preset uat', () => {
  it('writes the report; shards merge to the same report', async () => {
    const out = join(dir, 'uat');
    const r = await cli('experiment', ...uatSweep(), '--no-figures', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/wrote .* \(uat preset, 4 jobs\)\nreport: /);
    expect(readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 2 * 2 * 2);
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
    expectRefusedWithoutOutput(r, out, message);
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
