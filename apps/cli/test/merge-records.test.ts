/**
 * `experiment merge` validates every record it reads (`@graphon-pai/experiments`' `checkJobRecord`): tampered numbers,
 * renamed or misplaced job files and damaged `experiment.json` are one-line errors (exit 2); stray files are
 * not jobs; duplicate seeds are refused before any work.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, cliRoot, filesOf, tsxLoader } from './helpers';
import { uatSweep } from './experiment-sweeps';

const UAT_SWEEP = uatSweep({ criteria: 'random' });

jest.setTimeout(120_000);

let dir: string;
let shards: string[];
let single: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gp-merge-'));
  single = join(dir, 'single');
  expect((await cli('experiment', ...UAT_SWEEP, '--no-figures', '--out', single)).code).toBe(0);
  shards = [0, 1].map((i) => join(dir, `shard${i}`));
  for (const [i, s] of shards.entries())
    expect((await cli('experiment', ...UAT_SWEEP, '--shard', `${i}/2`, '--out', s)).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Copies of the shards, `edit` applied to the copies, then merged. */
async function mergeEdited(edit: (copies: string[]) => void) {
  const copies = shards.map((_, i) => join(dir, `case${n}-${i}`));
  for (const [i, s] of shards.entries()) cpSync(s, copies[i], { recursive: true });
  edit(copies);
  return cli('experiment', 'merge', ...copies, '--no-figures', '--out', join(dir, `merged${n++}`));
}

/** The fields of a uat job record the cases below change. */
interface JobRecord {
  job: { seed: unknown };
  cells: { density: unknown; kept: unknown; seed: unknown; uat: { alpha: unknown } }[];
}

const editJson = <T>(file: string, change: (record: T) => void) => {
  const record = JSON.parse(readFileSync(file, 'utf8'));
  change(record);
  writeFileSync(file, JSON.stringify(record));
};

describe('experiment merge validates its records', () => {
  it('untouched shards merge, with stray files ignored, into the single-run report', async () => {
    const r = await mergeEdited((copies) => {
      writeFileSync(join(copies[0], 'jobs', 'notes.txt'), 'my notes');
      writeFileSync(join(copies[1], 'jobs', 'summary.json'), '{"not": "a job"}');
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const merged = join(dir, `merged${n - 1}`);
    expect(readFileSync(join(merged, 'results.csv'), 'utf8')).toBe(
      readFileSync(join(single, 'results.csv'), 'utf8'),
    );
    expect(filesOf(merged).sort()).toEqual(filesOf(single).sort());
  });

  it.each([
    ['a negative density', (r: JobRecord) => (r.cells[0].density = -5), /cells\.0\.density/],
    [
      'a string for a count',
      (r: JobRecord) => (r.cells[1].kept = 'abc'),
      /cells\.1\.kept: Expected number, received string/,
    ],
    ['a fractional seed', (r: JobRecord) => (r.job.seed = 0.5), /job\.seed/],
    ['a string for a report number', (r: JobRecord) => (r.cells[0].uat.alpha = 'x'), /cells\.0\.uat\.alpha/],
    ['a missing cell', (r: JobRecord) => r.cells.pop(), /not the configured widths × densities/],
    ['a cell of another job', (r: JobRecord) => (r.cells[0].seed = 1), /a cell names another job/],
  ])('%s in a job file is refused (exit 2, one line)', async (_what, change, message) => {
    const r = await mergeEdited((copies) => editJson(join(copies[0], 'jobs', 'random-s0.json'), change));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a job file under another name, in the wrong shard, or outside the sweep is refused', async () => {
    const renamed = await mergeEdited((copies) => {
      cpSync(join(copies[0], 'jobs', 'random-s0.json'), join(copies[0], 'jobs', 'random-s7.json'));
    });
    expect(renamed.stderr).toMatch(/holds job random-s0, not the one its name says/);
    const moved = await mergeEdited((copies) => {
      cpSync(join(copies[0], 'jobs', 'random-s0.json'), join(copies[1], 'jobs', 'random-s0.json'));
    });
    expect(moved.stderr).toMatch(/does not belong to shard 1\/2/);
    const outside = await mergeEdited((copies) => {
      const file = join(copies[0], 'jobs', 'random-s9.json');
      cpSync(join(copies[0], 'jobs', 'random-s0.json'), file);
      editJson<JobRecord>(file, (r) => {
        r.job.seed = 9;
        for (const c of r.cells) c.seed = 9;
      });
    });
    expect(outside.stderr).toMatch(/random-s9 is not in the configured sweep/);
    for (const r of [renamed, moved, outside]) expect(r.code).toBe(2);
  });

  it('a damaged experiment.json is refused', async () => {
    const r = await mergeEdited((copies) =>
      editJson<{ shard: unknown }>(join(copies[1], 'experiment.json'), (m) => {
        m.shard = { index: 3, count: 2 };
      }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /experiment\.json: invalid record \(shard: shard index must be below the shard count\)/,
    );
  });

  it('--seeds 0,0 is refused before any work', async () => {
    const r = await cli(
      'experiment',
      ...uatSweep({ criteria: 'random', seeds: '0,0' }),
      '--out',
      join(dir, 'dup'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--seeds must be distinct/);
  });

  it('merge --out onto one of its shards is refused; the shard is kept', async () => {
    const before = filesOf(shards[1]).map((f) => readFileSync(join(shards[1], f), 'latin1'));
    const r = await cli('experiment', 'merge', ...shards, '--no-figures', '--out', shards[1]);
    expect(r.code).toBe(2);
    expect(filesOf(shards[1]).map((f) => readFileSync(join(shards[1], f), 'latin1'))).toEqual(before);
  });
});

describe('experiment --resume', () => {
  it('reuses the job records of an earlier run: only new seeds run, and the report equals a fresh run', async () => {
    const out = join(dir, 'resumed');
    const one = uatSweep({ criteria: 'random', seeds: '0' });
    expect((await cli('experiment', ...one, '--no-figures', '--out', out)).code).toBe(0);
    const seed0 = readFileSync(join(out, 'jobs', 'random-s0.json'), 'utf8');
    const r = await cli('experiment', ...UAT_SWEEP, '--no-figures', '--resume', '--out', out);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/seed 0/); // progress lines name only the jobs that ran
    expect(r.stderr).toMatch(/seed 1/);
    expect(readFileSync(join(out, 'jobs', 'random-s0.json'), 'utf8')).toBe(seed0);
    for (const f of ['results.csv', 'results.json', 'report.md']) {
      expect([f, readFileSync(join(out, f), 'utf8')]).toEqual([f, readFileSync(join(single, f), 'utf8')]);
    }
  });

  it('refuses a folder of other settings, or one it did not write', async () => {
    const other = uatSweep({ criteria: 'random', densities: '0.3' });
    const r = await cli('experiment', ...other, '--no-figures', '--resume', '--out', single);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--resume: the folder holds a run with other settings/);
    const theirs = join(dir, 'theirs');
    cpSync(join(single, 'jobs'), join(theirs, 'jobs'), { recursive: true });
    const t = await cli('experiment', ...UAT_SWEEP, '--no-figures', '--resume', '--force', '--out', theirs);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/--resume: not a report folder/);
  });

  it('after a killed run, --resume reuses the jobs it finished (the job cache) and then removes the cache', async () => {
    const args = [
      ...uatSweep({ criteria: 'random', seeds: '0,1,2,3,4,5,6,7' }),
      '--widths',
      '400',
      '--no-figures',
    ];
    const out = join(dir, 'killed');
    const cache = join(dir, '.killed.jobs');
    const child = spawn(
      process.execPath,
      [
        '--import',
        tsxLoader,
        '--conditions=source',
        join(cliRoot, 'src/bin.ts'),
        'experiment',
        ...args,
        '--resume',
        '--out',
        out,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const jobsIn = () => (existsSync(cache) ? readdirSync(cache).filter((f) => /-s\d+\.json$/.test(f)) : []);
    while (jobsIn().length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGKILL');
    await exited;
    const done = jobsIn();
    expect(done.length).toBeGreaterThan(0);
    expect(done.length).toBeLessThan(8);
    expect(existsSync(out)).toBe(false); // the report folder is still all-or-nothing
    const r = await cli('experiment', ...args, '--resume', '--out', out);
    expect(r.code).toBe(0);
    for (const file of done) expect(r.stderr).not.toMatch(new RegExp(`seed ${file.match(/-s(\d+)/)?.[1]} `));
    expect(existsSync(cache)).toBe(false);
    const fresh = join(dir, 'fresh');
    expect((await cli('experiment', ...args, '--out', fresh)).code).toBe(0);
    for (const f of ['results.csv', 'results.json']) {
      expect([f, readFileSync(join(out, f), 'utf8')]).toEqual([f, readFileSync(join(fresh, f), 'utf8')]);
    }
  });
});
