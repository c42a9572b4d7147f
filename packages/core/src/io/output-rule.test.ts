/**
 * The output rule (`output-files.ts`, `output-folder.ts`, `staging.ts`): every data-loss case the CLI's
 * end-to-end tests reproduce, here as library calls — each refused with an `InvalidArgumentError` naming the
 * caller's option (or written beside the user's files with `force`), and nothing that existed before a
 * writer is lost, including after failures, SIGTERM, SIGINT and SIGKILL.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BitMatrix } from '../bit-matrix';
import { InvalidArgumentError } from '../errors';
import { Rng } from '../rng';
import { writeMaskFile } from './mask-file';
import { MASK_FILE_KIND, OutputFiles, SCORE_FILE_KIND } from './output-files';
import {
  checkOutputFolder,
  OUTPUT_MARKER,
  OutputFolder,
  readOutputMarker,
  withOutputFolder,
} from './output-folder';
import { tempDir } from './python.test-helper';
import { writeScoreFile } from './score-file';

jest.setTimeout(60_000);

/** Every file below `folder`, relative, sorted. */
function filesOf(folder: string, sub = ''): string[] {
  return readdirSync(join(folder, sub), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesOf(folder, join(sub, e.name)) : [join(sub, e.name)]))
    .sort();
}

/** Snapshot of every file below `folder` (relative path → contents). */
function snapshot(folder: string): Map<string, string> {
  return new Map(filesOf(folder).map((f) => [f, readFileSync(join(folder, f), 'latin1')]));
}

/** The error `f` throws (fails the test when it does not throw). */
function thrown(f: () => unknown): InvalidArgumentError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error('expected a refusal');
}

describe('output rule', () => {
  const { dir: root, cleanup } = tempDir();
  afterAll(cleanup);
  let dir: string;
  let maskFile: string;
  let scoresFile: string;
  let n = 0;
  beforeEach(() => {
    dir = join(root, `case-${n++}`);
    mkdirSync(dir);
    maskFile = join(dir, 'm.safetensors');
    const rng = new Rng(1);
    const bits = Uint8Array.from({ length: 48 }, () => (rng.uniform() < 0.4 ? 1 : 0));
    writeMaskFile(maskFile, new Map([['0.weight', BitMatrix.fromDense(8, 6, bits)]]));
    scoresFile = join(dir, 's.safetensors');
    const scores = Float32Array.from({ length: 48 }, (_, i) => (i * 7) % 11);
    writeScoreFile(scoresFile, new Map([['0.weight', { shape: { rows: 8, cols: 6 }, scores }]]));
  });
  const partials = () => readdirSync(dir).filter((f) => f.includes('.partial-'));

  describe('folders', () => {
    it('a folder of the user is refused, naming the option; force adds files beside theirs', async () => {
      writeFileSync(join(dir, 'notes.md'), 'keep me');
      const before = snapshot(dir);
      const error = thrown(() => checkOutputFolder(dir, { kind: 'k', option: 'out' }));
      expect(error.argument).toBe('out');
      expect(error.message).toMatch(/did not write/);
      expect(error.fix).toMatch(/--force/);
      expect(snapshot(dir)).toEqual(before);
      await withOutputFolder(dir, (f) => f.write('result.csv', 'x\n'), { kind: 'k', force: true });
      const after = snapshot(dir);
      for (const [file, contents] of before) expect(after.get(file)).toBe(contents);
      expect(after.get('result.csv')).toBe('x\n');
      expect(partials()).toEqual([]);
    });

    it('an existing file at the folder path is refused even with force, and kept', () => {
      const notes = join(dir, 'notes.txt');
      writeFileSync(notes, 'my notes');
      for (const force of [false, true]) {
        expect(thrown(() => new OutputFolder(notes, { force })).message).toMatch(/not an existing file/);
        expect(readFileSync(notes, 'utf8')).toBe('my notes');
      }
    });

    it('an input is refused as the folder, even with force (another spelling too)', () => {
      const input = join(dir, 'in');
      mkdirSync(input);
      writeFileSync(join(input, 'data.csv'), 'd');
      for (const force of [false, true]) {
        const error = thrown(() => new OutputFolder(`${input}/.`, { force, inputs: [input] }));
        expect(error.message).toMatch(/not one of the inputs/);
      }
      expect(snapshot(input)).toEqual(new Map([['data.csv', 'd']]));
    });

    it('a folder of the same kind is reused: its files replaced, the user files in it kept; another kind refused', async () => {
      const out = join(dir, 'g');
      await withOutputFolder(out, (f) => f.write('estimate.json', '1'), { kind: 'graphon' });
      expect(readOutputMarker(out)?.kind).toBe('graphon');
      writeFileSync(join(out, 'mine.txt'), 'mine');
      await withOutputFolder(out, (f) => f.write('estimate.json', '2'), { kind: 'graphon' });
      expect(readFileSync(join(out, 'estimate.json'), 'utf8')).toBe('2');
      expect(readFileSync(join(out, 'mine.txt'), 'utf8')).toBe('mine');
      expect(thrown(() => checkOutputFolder(out, { kind: 'limit' })).message).toMatch(
        /another kind of output \(graphon\)/,
      );
    });

    it('with force, a file of the user with a name the writer writes is replaced; others are kept', async () => {
      const out = join(dir, 'f');
      mkdirSync(out);
      writeFileSync(join(out, 'a.txt'), 'theirs');
      writeFileSync(join(out, 'b.txt'), 'theirs');
      await withOutputFolder(out, (f) => f.write('a.txt', 'ours'), { kind: 'k', force: true });
      expect(snapshot(out).get('a.txt')).toBe('ours');
      expect(snapshot(out).get('b.txt')).toBe('theirs');
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
      expect(Object.keys(readOutputMarker(out)?.files ?? {})).toEqual(['a.txt']);
    });

    it('a forged marker never deletes files outside the folder', () => {
      const out = join(dir, 'forged');
      mkdirSync(out);
      writeFileSync(join(dir, 'victim.txt'), 'x');
      const forged = {
        writtenBy: 'graphon-pai',
        kind: 'k',
        files: { '../victim.txt': { size: 1, sha256: 'x' } },
      };
      writeFileSync(join(out, OUTPUT_MARKER), JSON.stringify(forged));
      // An invalid marker is no marker: the folder is the user's.
      expect(readOutputMarker(out)).toBeUndefined();
      expect(thrown(() => new OutputFolder(out, { kind: 'k' })).message).toMatch(/did not write/);
      expect(readFileSync(join(dir, 'victim.txt'), 'utf8')).toBe('x');
    });

    it('a failing writer leaves the folder as it was and no staging folder', async () => {
      const out = join(dir, 'w');
      await withOutputFolder(out, (f) => f.write('a.txt', 'a'), { kind: 'k' });
      const before = snapshot(out);
      await expect(
        withOutputFolder(
          out,
          (f) => {
            f.write('a.txt', 'half');
            throw new Error('disk full');
          },
          { kind: 'k' },
        ),
      ).rejects.toThrow('disk full');
      expect(snapshot(out)).toEqual(before);
      expect(partials()).toEqual([]);
    });

    it('a folder named like a file is refused; relative paths may not leave the folder', () => {
      expect(thrown(() => checkOutputFolder(join(dir, 'g.npy'))).message).toMatch(
        /a folder path, not a \.npy file name/,
      );
      const folder = new OutputFolder(join(dir, 'x'));
      for (const bad of ['../y.txt', '/abs.txt', 'a/./b', ''])
        expect(thrown(() => folder.write(bad, 'x')).argument).toBe('relative');
      folder.discard();
      expect(readdirSync(dir).sort()).toEqual(['m.safetensors', 's.safetensors']);
    });

    it('withOutputFolder keeps its two-argument form (a fresh folder, then reuse by the default kind)', async () => {
      const out = join(dir, 'plain');
      await withOutputFolder(out, (f) => f.write('x.txt', '1'));
      await withOutputFolder(out, (f) => f.write('x.txt', '2'));
      expect(readFileSync(join(out, 'x.txt'), 'utf8')).toBe('2');
    });
  });

  it('the README example: a folder written, reused for its kind, and the user folder refused naming the option', async () => {
    const study = join(dir, 'study');
    await withOutputFolder(study, (folder) => folder.write('summary.csv', 'width,kept\n64,409\n'), {
      kind: 'my-study',
    });
    await withOutputFolder(study, (folder) => folder.write('summary.csv', 'width,kept\n128,1638\n'), {
      kind: 'my-study',
    });
    expect(readFileSync(join(study, 'summary.csv'), 'utf8')).toBe('width,kept\n128,1638\n');
    const refusal = withOutputFolder(dir, (folder) => folder.write('summary.csv', ''), {
      kind: 'my-study',
      option: 'out',
    });
    await expect(refusal).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(refusal).rejects.toMatchObject({ argument: 'out' });
    expect(existsSync(join(dir, 'summary.csv'))).toBe(false);
  });

  describe('files', () => {
    it('an input as an output is refused before any work, even with force; the input is kept', () => {
      const before = readFileSync(scoresFile);
      for (const force of [false, true]) {
        const outputs = new OutputFiles({ force, inputs: [scoresFile] });
        const error = thrown(() => outputs.claim('--scores-out', scoresFile, SCORE_FILE_KIND));
        expect(error.argument).toBe('--scores-out');
        expect(error.message).toMatch(/not one of the inputs/);
      }
      expect(readFileSync(scoresFile)).toEqual(before);
    });

    it('a failure after the files are staged loses no existing file', async () => {
      const t = join(dir, 't.safetensors');
      writeFileSync(t, readFileSync(scoresFile));
      const before = snapshot(dir);
      const outputs = new OutputFiles({ inputs: [scoresFile] });
      const scores = outputs.claim('--scores-out', t, SCORE_FILE_KIND);
      const mask = outputs.claim('--out', maskFile, MASK_FILE_KIND);
      await expect(
        outputs.write(() => {
          writeFileSync(scores.staging, 'new scores');
          writeFileSync(mask.staging, 'half a mask');
          throw new Error('disk full');
        }),
      ).rejects.toThrow('disk full');
      expect(snapshot(dir)).toEqual(before);
    });

    it('a mask replaces a mask; another file needs force; .npy, a missing folder and one path twice are refused', async () => {
      const out = join(dir, 'out.safetensors');
      const mask = new Map([['w', BitMatrix.fromDense(2, 2, Uint8Array.from([1, 0, 0, 1]))]]);
      for (let i = 0; i < 2; i++) {
        const outputs = new OutputFiles();
        const claimed = outputs.claim('out', out, MASK_FILE_KIND);
        await outputs.write(() => writeMaskFile(claimed.staging, mask));
      }
      expect(MASK_FILE_KIND.recognise(out)).toBe(true);
      const notes = join(dir, 'notes.safetensors');
      writeFileSync(notes, 'not a mask');
      const refused = thrown(() => new OutputFiles().claim('out', notes, MASK_FILE_KIND));
      expect(refused.fix).toMatch(/not a mask file; pass --force/);
      expect(readFileSync(notes, 'utf8')).toBe('not a mask');
      expect(new OutputFiles({ force: true }).claim('out', notes, MASK_FILE_KIND).target).toBe(notes);
      expect(
        thrown(() => new OutputFiles().claim('out', join(dir, 'm.npy'), MASK_FILE_KIND)).message,
      ).toMatch(/ending in \.safetensors/);
      expect(
        thrown(() => new OutputFiles().claim('out', join(dir, 'nowhere', 'm.safetensors'), MASK_FILE_KIND))
          .message,
      ).toMatch(/in an existing folder/);
      const twice = new OutputFiles();
      twice.claim('out', out, MASK_FILE_KIND);
      expect(thrown(() => twice.claim('scores-out', out, MASK_FILE_KIND)).message).toMatch(
        /other than the one of out/,
      );
      expect(existsSync(join(dir, 'm.npy'))).toBe(false);
      expect(partials()).toEqual([]);
    });

    it('a target replaced by a file of the user while the writer ran is refused at the end and kept', async () => {
      const out = join(dir, 'late.safetensors');
      const outputs = new OutputFiles();
      const claimed = outputs.claim('out', out, MASK_FILE_KIND);
      await expect(
        outputs.write(() => {
          writeFileSync(claimed.staging, 'new');
          writeFileSync(out, 'written meanwhile by the user');
        }),
      ).rejects.toThrow(/not a mask file/);
      expect(readFileSync(out, 'utf8')).toBe('written meanwhile by the user');
      expect(partials()).toEqual([]);
    });
  });

  /** A child process that stages an output folder (and a claimed file) and waits to be killed. */
  const HOLDER = `
    const { OutputFolder } = require(${JSON.stringify(join(__dirname, 'output-folder.ts'))});
    const { OutputFiles, MASK_FILE_KIND } = require(${JSON.stringify(join(__dirname, 'output-files.ts'))});
    const [folder, file] = process.argv.slice(-2);
    const out = new OutputFolder(folder, { kind: 'k' });
    out.write('a.txt', 'staged');
    const files = new OutputFiles();
    const claimed = files.claim('--out', file, MASK_FILE_KIND);
    files.write(() => new Promise(() => { require('node:fs').writeFileSync(claimed.staging, 'x'); console.log('ready'); setInterval(() => {}, 1000); }));
  `;
  const tsxLoader = require('node:url').pathToFileURL(require.resolve('tsx')).href as string;

  function holder(folder: string, file: string) {
    const child = spawn(process.execPath, ['--import', tsxLoader, '-e', HOLDER, folder, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const done = new Promise<{ code: number | null }>((resolve) =>
      child.on('exit', (code) => resolve({ code })),
    );
    const ready = new Promise<void>((resolve) =>
      child.stdout?.on('data', (d) => String(d).includes('ready') && resolve()),
    );
    return { child, done, ready };
  }

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s removes the staging folder and file of the interrupted writer',
    async (signal) => {
      const run = holder(join(dir, 'out'), join(dir, 'out.safetensors'));
      await run.ready;
      expect(partials()).toHaveLength(2);
      run.child.kill(signal);
      const { code } = await run.done;
      expect(code).toBe(128 + (signal === 'SIGTERM' ? 15 : 2));
      expect(readdirSync(dir).sort()).toEqual(['m.safetensors', 's.safetensors']);
    },
  );

  it('SIGKILL leaves temporaries that the next writer into the same place removes', async () => {
    const run = holder(join(dir, 'out'), join(dir, 'out.safetensors'));
    await run.ready;
    run.child.kill('SIGKILL');
    await run.done;
    writeFileSync(join(dir, `.out.safetensors.${run.child.pid}.0.tmp`), 'a killed writeFileAtomic');
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toHaveLength(3);
    new OutputFolder(join(dir, 'out'), { kind: 'k' });
    new OutputFiles().claim('--out', join(dir, 'out.safetensors'), MASK_FILE_KIND);
    expect(readdirSync(dir).sort()).toEqual(['m.safetensors', 's.safetensors']);
    // A temporary of a live process (ours) is never touched.
    const live = join(dir, `.out.partial-${process.pid}`);
    mkdirSync(live);
    new OutputFiles().claim('--out', join(dir, 'out.safetensors'), MASK_FILE_KIND);
    expect(existsSync(live)).toBe(true);
    rmSync(live, { recursive: true });
  });
});
