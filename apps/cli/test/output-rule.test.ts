/**
 * The output rule (`@graphon-pai/core`'s `OutputFiles` and `OutputFolder`, whose own tests cover every case
 * as library calls, including failures, SIGTERM, SIGINT and SIGKILL) end to end: every data-loss case
 * reproduced through the commands, each refused with exit code 2 (or written beside the user's files with
 * `--force`), and nothing that existed before a command is lost.
 */
import { spawnSync } from 'node:child_process';
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
import { BitMatrix, OUTPUT_MARKER, Rng, writeSafetensors } from '@graphon-pai/core';
import { saveMask } from '@graphon-pai/masks';
import { folderSnapshot } from '@graphon-pai/test-utils';
import { argv, cli, cliRoot, tempFolder, tsxLoader } from './helpers';

jest.setTimeout(60_000);

describe('output rule', () => {
  const root = tempFolder('gp-output-');
  let dir: string;
  let maskFile: string;
  let scoresFile: string;
  let n = 0;
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

  const graphon = (...args: string[]) => cli('graphon', maskFile, '--no-figure', ...args);

  it('graphon --out <a folder of the user> (the `--out .` case) is refused; --force adds files beside theirs', async () => {
    writeFileSync(join(dir, 'notes.md'), 'keep me');
    const before = folderSnapshot(dir);
    const r = await graphon('--out', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: .*--out.*did not write.*--force/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(folderSnapshot(dir)).toEqual(before);
    const forced = await graphon('--out', dir, '--force');
    expect(forced.code).toBe(0);
    const after = folderSnapshot(dir);
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
