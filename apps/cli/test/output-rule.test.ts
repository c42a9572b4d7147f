/**
 * The output rule (`src/output-files.ts`, `src/output-folder.ts`, `src/temporaries.ts`): every data-loss
 * case reproduced, each refused with exit code 2 (or written beside the user's files with
 * `--force`), and nothing that existed before a command is lost — including after failures, SIGTERM and
 * SIGKILL.
 */
import { spawn, spawnSync } from 'node:child_process';
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
import { BitMatrix, Rng, writeSafetensors } from '@graphon-pai/core';
import { saveMask } from '@graphon-pai/masks';
import { writeReportFolder } from '../src/experiment/report-folder';
import { writeShardFolder } from '../src/experiment/shard-folder';
import { MASK_FILE, OutputFiles, SCORES_FILE } from '../src/output-files';
import { OUTPUT_MARKER, OutputFolder, withOutputFolder } from '../src/output-folder';
import { argv, cli, cliRoot, filesOf, tsxLoader } from './helpers';

jest.setTimeout(60_000);

/** Snapshot of every file below `folder` (relative path → contents). */
function snapshot(folder: string): Map<string, string> {
  return new Map(filesOf(folder).map((f) => [f, readFileSync(join(folder, f), 'latin1')]));
}

describe('output rule', () => {
  let root: string;
  let dir: string;
  let maskFile: string;
  let scoresFile: string;
  let n = 0;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'gp-output-'));
  });
  beforeEach(() => {
    dir = join(root, `case-${n++}`);
    mkdirSync(dir);
    maskFile = join(dir, 'm.safetensors');
    const rng = new Rng(1);
    saveMask(
      maskFile,
      new Map([
        [
          '0.weight',
          BitMatrix.fromDense(
            8,
            6,
            Uint8Array.from({ length: 48 }, () => (rng.uniform() < 0.4 ? 1 : 0)),
          ),
        ],
      ]),
    );
    scoresFile = join(dir, 's.safetensors');
    writeSafetensors(
      scoresFile,
      {
        '0.weight': {
          dtype: 'F32',
          shape: [8, 6],
          data: Float32Array.from({ length: 48 }, (_, i) => (i * 7) % 11),
        },
      },
      { format: 'graphon-pai/scores' },
    );
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const graphon = (...args: string[]) => cli('graphon', maskFile, '--no-figure', ...args);

  it('graphon --out <a folder of the user> (the `--out .` case) is refused; --force adds files beside theirs', async () => {
    writeFileSync(join(dir, 'notes.md'), 'keep me');
    const before = snapshot(dir);
    const r = await graphon('--out', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*--out.*did not write.*--force/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(snapshot(dir)).toEqual(before);
    const forced = await graphon('--out', dir, '--force');
    expect(forced.code).toBe(0);
    const after = snapshot(dir);
    for (const [file, contents] of before) expect(after.get(file)).toBe(contents);
    expect(after.has('graphon.npy')).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it('graphon --out <an existing file> is refused even with --force, and the file is kept', async () => {
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'my notes');
    for (const extra of [[], ['--force']]) {
      const r = await graphon('--out', notes, ...extra);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/not an existing file/);
      expect(readFileSync(notes, 'utf8')).toBe('my notes');
    }
  });

  it('graphon m.safetensors --out m.safetensors (its own input) is refused, even with --force', async () => {
    const before = readFileSync(maskFile);
    for (const extra of [[], ['--force']]) {
      const r = await graphon('--out', maskFile, ...extra);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/not one of the inputs/);
      expect(readFileSync(maskFile)).toEqual(before);
    }
  });

  it('a folder graphon wrote is reused: its files replaced, the user files in it kept', async () => {
    const out = join(dir, 'g');
    expect((await graphon('--out', out, '--blocks', '2x2')).code).toBe(0);
    expect(existsSync(join(out, OUTPUT_MARKER))).toBe(true);
    writeFileSync(join(out, 'mine.txt'), 'mine');
    const r = await graphon('--out', out, '--blocks', '3x3', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'estimate.json'), 'utf8')).rowBlocks).toBe(3);
    expect(readFileSync(join(out, 'mine.txt'), 'utf8')).toBe('mine');
    // Another command's folder is not reused without --force.
    const limit = await cli('limit', '--density', '0.2', '--grid', '2x2', '--no-figure', '--out', out);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toMatch(/another kind of output \(graphon\)/);
  });

  it('stale own files are removed when unchanged, kept when the user edited them', () => {
    const out = join(dir, 'r');
    const first = new OutputFolder(out, { kind: 'k' });
    first.write('a.txt', 'a');
    first.write('sub/b.txt', 'b');
    first.write('c.txt', 'c');
    first.commit();
    writeFileSync(join(out, 'c.txt'), 'edited by the user');
    const second = new OutputFolder(out, { kind: 'k' });
    second.write('a.txt', 'A');
    second.commit();
    expect(snapshot(out)).toEqual(
      new Map([
        [OUTPUT_MARKER, expect.any(String)],
        ['a.txt', 'A'],
        ['c.txt', 'edited by the user'],
      ]),
    );
    expect(Object.keys(JSON.parse(readFileSync(join(out, OUTPUT_MARKER), 'utf8')).files)).toEqual(['a.txt']);
  });

  it('a forged marker never deletes files outside the folder', () => {
    const out = join(dir, 'forged');
    mkdirSync(out);
    writeFileSync(join(dir, 'victim.txt'), 'x');
    writeFileSync(
      join(out, OUTPUT_MARKER),
      JSON.stringify({
        writtenBy: 'graphon-pai',
        kind: 'k',
        files: { '../victim.txt': { size: 1, mtimeMs: 0 } },
      }),
    );
    // An invalid marker is no marker: the folder is the user's.
    expect(() => new OutputFolder(out, { kind: 'k' })).toThrow(/did not write/);
    expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('x');
  });

  it('experiment --out data with data/important.csv: refused; --force keeps important.csv', async () => {
    const data = join(dir, 'data');
    mkdirSync(data);
    writeFileSync(join(data, 'important.csv'), 'a,b\n1,2\n');
    const report = { text: new Map([['report.md', '# r\n']]), figures: new Map() };
    await expect(writeReportFolder(data, report, false)).rejects.toThrow(/did not write/);
    expect(readdirSync(data)).toEqual(['important.csv']);
    await writeReportFolder(data, report, false, { force: true });
    expect(readFileSync(join(data, 'important.csv'), 'utf8')).toBe('a,b\n1,2\n');
    expect(readFileSync(join(data, 'report.md'), 'utf8')).toBe('# r\n');
  });

  it('experiment merge --out <a shard>: the shard is an input and another kind of output, so it is refused', async () => {
    const shard = join(dir, 's1');
    await writeShardFolder(shard, { preset: 'x' }, { index: 1, count: 2 }, []);
    const before = snapshot(shard);
    const report = { text: new Map([['results.csv', 'x\n']]), figures: new Map() };
    await expect(writeReportFolder(shard, report, false)).rejects.toThrow(/another kind of output/);
    await expect(writeReportFolder(shard, report, false, { force: true, inputs: [shard] })).rejects.toThrow(
      /not one of the inputs/,
    );
    expect(snapshot(shard)).toEqual(before);
  });

  it('prune --scores s --scores-out s is refused before any work; s is kept', async () => {
    const before = readFileSync(scoresFile);
    const r = await cli(
      ...argv`prune --scores ${scoresFile} --scores-out ${scoresFile} --density 0.5
      --out ${join(dir, 'no-such-folder', 'm.safetensors')}`,
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(scoresFile)).toEqual(before);
  });

  it('prune: a failure after the scores are staged loses no existing file', async () => {
    const t = join(dir, 't.safetensors');
    writeFileSync(t, readFileSync(scoresFile));
    const before = snapshot(dir);
    const outputs = new OutputFiles({ inputs: [scoresFile] });
    const scores = outputs.claim('--scores-out', t, SCORES_FILE);
    const mask = outputs.claim('--out', maskFile, MASK_FILE);
    await expect(
      outputs.write(() => {
        writeFileSync(scores.staging, 'new scores');
        writeFileSync(mask.staging, 'half a mask');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(snapshot(dir)).toEqual(before);
  });

  it('prune --out: a mask replaces a mask; another file needs --force; an input never; .npy is refused', async () => {
    const out = join(dir, 'out.safetensors');
    const args = ['prune', '--scores', scoresFile, '--density', '0.5', '--out'];
    expect((await cli(...args, out)).code).toBe(0);
    expect((await cli(...args, out)).code).toBe(0); // a mask file by a mask file
    const notes = join(dir, 'notes.safetensors');
    writeFileSync(notes, 'not a mask');
    const refused = await cli(...args, notes);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not a mask file; pass --force/);
    expect(readFileSync(notes, 'utf8')).toBe('not a mask');
    expect((await cli(...args, notes, '--force')).code).toBe(0);
    const own = await cli(...args, scoresFile, '--force');
    expect(own.code).toBe(2);
    expect(own.stderr).toMatch(/not one of the inputs/);
    const npy = await cli(...args, join(dir, 'm.npy'));
    expect(npy.code).toBe(2);
    expect(npy.stderr).toMatch(/ending in \.safetensors/);
    expect(existsSync(join(dir, 'm.npy'))).toBe(false);
    const same = await cli(...args, out, '--scores-out', out);
    expect(same.code).toBe(2);
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('withOutputFolder keeps its two-argument form (a fresh folder, then reuse by the default kind)', async () => {
    const out = join(dir, 'plain');
    await withOutputFolder(out, (f) => f.write('x.txt', '1'));
    await withOutputFolder(out, (f) => f.write('x.txt', '2'));
    expect(readFileSync(join(out, 'x.txt'), 'utf8')).toBe('2');
  });

  /** A child process that stages an output folder (and a claimed file) and waits to be killed. */
  const HOLDER = `
    const { OutputFolder } = require(${JSON.stringify(join(cliRoot, 'src/output-folder.ts'))});
    const { OutputFiles, MASK_FILE } = require(${JSON.stringify(join(cliRoot, 'src/output-files.ts'))});
    const [folder, file] = process.argv.slice(-2);
    const out = new OutputFolder(folder, { kind: 'k' });
    out.write('a.txt', 'staged');
    const files = new OutputFiles();
    const claimed = files.claim('--out', file, MASK_FILE);
    files.write(() => new Promise(() => { require('node:fs').writeFileSync(claimed.staging, 'x'); console.log('ready'); setInterval(() => {}, 1000); }));
  `;

  function holder(
    folder: string,
    file: string,
  ): Promise<{ code: number | null; signal: string | null }> & {
    child: ReturnType<typeof spawn>;
  } {
    const child = spawn(
      process.execPath,
      ['--import', tsxLoader, '--conditions=source', '-e', HOLDER, folder, file],
      { cwd: cliRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const done = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    return Object.assign(done, { child });
  }

  const ready = (child: ReturnType<typeof spawn>) =>
    new Promise<void>((resolve) => child.stdout?.on('data', (d) => String(d).includes('ready') && resolve()));

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s removes the staging folder and file of the interrupted run',
    async (signal) => {
      const run = holder(join(dir, 'out'), join(dir, 'out.safetensors'));
      await ready(run.child);
      expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toHaveLength(2);
      run.child.kill(signal);
      const { code } = await run;
      expect(code).toBe(128 + (signal === 'SIGTERM' ? 15 : 2));
      expect(readdirSync(dir).sort()).toEqual(['m.safetensors', 's.safetensors']);
    },
  );

  it('SIGKILL leaves temporaries that the next run into the same place removes', async () => {
    const run = holder(join(dir, 'out'), join(dir, 'out.safetensors'));
    await ready(run.child);
    run.child.kill('SIGKILL');
    await run;
    writeFileSync(join(dir, `.out.safetensors.${run.child.pid}.0.tmp`), 'a killed writeFileAtomic');
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toHaveLength(3);
    new OutputFolder(join(dir, 'out'), { kind: 'k' });
    new OutputFiles().claim('--out', join(dir, 'out.safetensors'), MASK_FILE);
    expect(readdirSync(dir).sort()).toEqual(['m.safetensors', 's.safetensors']);
    // A temporary of a live process (ours) is never touched.
    const live = join(dir, `.out.partial-${process.pid}`);
    mkdirSync(live);
    new OutputFiles().claim('--out', join(dir, 'out.safetensors'), MASK_FILE);
    expect(existsSync(live)).toBe(true);
    rmSync(live, { recursive: true });
  });

  it('the binary exits 2 with one line for a refused output', () => {
    writeFileSync(join(dir, 'notes.txt'), 'n');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        tsxLoader,
        '--conditions=source',
        join(cliRoot, 'src/bin.ts'),
        'graphon',
        maskFile,
        '--out',
        'notes.txt',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: --out.*notes\.txt/)]);
  });
});

describe('output folders named like files', () => {
  it('graphon --out g.npy is refused (the command writes a folder, not a .npy)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gp-output-ext-'));
    try {
      const mask = join(dir, 'm.safetensors');
      saveMask(mask, new Map([['w', BitMatrix.fromDense(2, 2, Uint8Array.from([1, 0, 0, 1]))]]));
      const r = await cli('graphon', mask, '--no-figure', '--out', join(dir, 'g.npy'));
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--out must be a folder path, not a \.npy file name/);
      expect(readdirSync(dir)).toEqual(['m.safetensors']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
