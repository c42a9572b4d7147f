/**
 * `runExperiment` / `mergeExperiment` (`src/run-experiment.ts`, `shard-folder.ts`, `job-cache.ts`,
 * `report-folder.ts`): a sweep's report folder is the same, byte for byte, whether it is written by one run,
 * by merging its shards, or by a run resumed after an interruption (which recomputes only the jobs it had
 * not finished); report and shard folders follow core's output rule.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTPUT_MARKER } from '@graphon-pai/core';
import { folderSnapshot } from '@graphon-pai/test-utils';
import { ensureBackend } from '@graphon-pai/testkit';
import { mergeExperiment, parseShard, presetConfig, runExperiment, writeReportFolder } from '../src';
import { writeShardFolder } from '../src/shard-folder';
import { TEST_PROVENANCE } from './helpers';

jest.setTimeout(120_000);

/** Every file below `folder` (relative path → bytes as latin1), the output marker left out. */
const filesOf = (folder: string) => folderSnapshot(folder, [OUTPUT_MARKER]);

describe('runExperiment and mergeExperiment', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gp-run-experiment-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const config = presetConfig({
    preset: 'uat',
    widths: [40],
    densities: [0.2, 0.5],
    criteria: ['random', 'snip'],
    seeds: [0, 1],
  });
  const base = { provenance: () => TEST_PROVENANCE, setup: () => ensureBackend('cpu') };

  it('one run, the merge of its shards and a run resumed after an interruption write the same report', async () => {
    const ticks: number[] = [];
    const single = await runExperiment(config, {
      ...base,
      out: join(dir, 'single'),
      progress: (total) => {
        ticks.push(total);
        return () => {};
      },
    });
    expect(single).toMatchObject({ preset: 'uat', jobs: 4, report: `${join(dir, 'single')}/report.md` });
    const expected = filesOf(join(dir, 'single'));
    expect([...expected.keys()].filter((f) => f.startsWith('jobs/'))).toHaveLength(4);
    expect(expected.has('report.md') && expected.has('results.json')).toBe(true);

    const shards = [0, 1].map((i) => join(dir, `shard${i}`));
    for (const [i, out] of shards.entries()) {
      const outcome = await runExperiment(config, { ...base, out, shard: parseShard(`${i}/2`) });
      expect(outcome).toMatchObject({ jobs: 2, report: null, lines: [] });
    }
    const merged = await mergeExperiment(shards, { ...base, out: join(dir, 'merged') });
    expect(merged).toEqual({
      ...single,
      out: join(dir, 'merged'),
      report: `${join(dir, 'merged')}/report.md`,
    });
    expect(filesOf(join(dir, 'merged'))).toEqual(expected);

    // Interrupted in its third job: the two finished jobs are kept in the job cache next to the folder.
    const out = join(dir, 'resumed');
    let done = 0;
    const perJob = ticks[0] / 4;
    const interrupted = runExperiment(config, {
      ...base,
      out,
      resume: true,
      progress: () => () => {
        if (++done === 2 * perJob + 1) throw new Error('interrupted');
      },
    });
    await expect(interrupted).rejects.toThrow('interrupted');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(dir, '.resumed.jobs')).sort()).toEqual([
      'random-s0.json',
      'random-s1.json',
      'settings.json',
    ]);
    const left: number[] = [];
    const record = (total: number) => {
      left.push(total);
      return () => {};
    };
    await runExperiment(config, {
      ...base,
      out,
      resume: true,
      progress: record,
    });
    expect(left).toEqual([2 * perJob]);
    expect(filesOf(out)).toEqual(expected);
    expect(existsSync(join(dir, '.resumed.jobs'))).toBe(false);
    // Resuming a complete folder recomputes nothing and rewrites the same files.
    await runExperiment(config, {
      ...base,
      out,
      resume: true,
      progress: record,
    });
    expect(left).toEqual([2 * perJob, 0]);
    expect(filesOf(out)).toEqual(expected);
  });

  it('the README example: two shards, then their report', async () => {
    const setup = () => ensureBackend('cpu');
    const provenance = () => TEST_PROVENANCE;
    const at = (name: string) => join(dir, name);
    for (const i of [0, 1])
      await runExperiment(config, {
        out: at(`uat-shard${i}`),
        shard: parseShard(`${i}/2`),
        setup,
        provenance,
      });
    const outcome = await mergeExperiment([at('uat-shard0'), at('uat-shard1')], {
      out: at('uat-report'),
      provenance,
    });
    expect([outcome.report, outcome.jobs]).toEqual([`${at('uat-report')}/report.md`, 4]);
    expect(filesOf(at('uat-report'))).toEqual(filesOf(join(dir, 'single')));
  });

  it('figures are rendered by the renderer given, beside their Vega-Lite specs', async () => {
    const out = join(dir, 'figures');
    const report = { text: new Map([['report.md', '# r\n']]), figures: new Map([['f', { mark: 'point' }]]) };
    await writeReportFolder(out, report, async (spec) => ({
      svg: `<svg>${JSON.stringify(spec)}</svg>`,
      png: Uint8Array.from([137, 80]),
    }));
    expect(filesOf(out)).toEqual(
      new Map([
        ['report.md', '# r\n'],
        ['figures/f.vl.json', '{\n "mark": "point"\n}\n'],
        ['figures/f.svg', '<svg>{"mark":"point"}</svg>'],
        ['figures/f.png', '\x89P'],
      ]),
    );
  });

  it('a report into a folder of the user is refused; with force the user files are kept', async () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'important.csv'), 'a,b\n1,2\n');
    const report = { text: new Map([['report.md', '# r\n']]), figures: new Map() };
    await expect(writeReportFolder(data, report)).rejects.toThrow(/did not write/);
    await expect(runExperiment(config, { ...base, out: data })).rejects.toThrow(/did not write/);
    expect(readdirSync(data)).toEqual(['important.csv']);
    await writeReportFolder(data, report, undefined, { force: true });
    expect(readFileSync(join(data, 'important.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(readFileSync(join(data, 'report.md'), 'utf8')).toBe('# r\n');
  });

  it('a merge into one of its shards is refused (an input, and another kind of output), leaving it as it was', async () => {
    const shard = join(dir, 's1');
    await writeShardFolder(shard, { preset: 'x' }, { index: 1, count: 2 }, []);
    const before = filesOf(shard);
    const report = { text: new Map([['results.csv', 'x\n']]), figures: new Map() };
    await expect(writeReportFolder(shard, report)).rejects.toThrow(/another kind of output/);
    await expect(
      writeReportFolder(shard, report, undefined, { force: true, inputs: [shard] }),
    ).rejects.toThrow(/not one of the inputs/);
    await expect(mergeExperiment([shard], { ...base, out: shard, force: true })).rejects.toThrow(
      /not one of the inputs/,
    );
    expect(filesOf(shard)).toEqual(before);
  });
});
