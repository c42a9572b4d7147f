/** Shared set-up of the CLI tests: running the CLI (in process or as the binary), command lines, temporary folders. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../src/cli';
import type { CliIo } from '../src/io';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output. */
export async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY: false,
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

/** `cli()` with the result fields of `runBin` (`status` is the exit code), for checks that need no child process. */
export async function cliStatus(
  ...argv: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  const r = await cli(...argv);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
}

/** Absolute `--import` URL of tsx, so the binary can run from source in any working directory. */
export const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

/** Runs the real binary from source (tsx) as a child process. */
export function runBin(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, ['--import', tsxLoader, '--conditions=source', binSource, ...args], {
    encoding: 'utf8',
    cwd,
    env,
  });
}

export const cliRoot = join(__dirname, '..');

/**
 * `@graphon-pai/core`'s fixture of a `torch.nn.utils.prune` state_dict (`X_orig` weights and float `X_mask`
 * buffers, written with numpy by its `make.py`): `mlp.safetensors` and the `expected.json` it was made from.
 */
export const pruneStateDictFixtures = join(
  cliRoot,
  '..',
  '..',
  'packages',
  'core',
  'test',
  'fixtures',
  'prune-state-dict',
);
const binSource = join(cliRoot, 'src', 'bin.ts');

/** Every file below `folder`, as paths relative to it. */
export function filesOf(folder: string, sub = ''): string[] {
  return readdirSync(join(folder, sub), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesOf(folder, join(sub, e.name)) : [join(sub, e.name)],
  );
}

/**
 * A command line written as one template: the literal text is split at whitespace (line breaks included),
 * and every `${value}` joins the word it stands in, whole even when it holds spaces.
 *
 * @example
 * await cli(...argv`prune --net ${spec} --criterion snip --density 0.1 --out ${dir}/m.safetensors`);
 */
export function argv(strings: TemplateStringsArray, ...values: unknown[]): string[] {
  const words: string[] = [];
  let word: string | undefined;
  strings.forEach((text, i) => {
    text.split(/\s+/).forEach((part, k) => {
      if (k > 0 && word !== undefined) {
        words.push(word);
        word = undefined;
      }
      if (part !== '') word = (word ?? '') + part;
    });
    if (i < values.length) word = (word ?? '') + String(values[i]);
  });
  if (word !== undefined) words.push(word);
  return words;
}

/** A fresh temporary folder, removed once the file's tests have run (call at the top of a file or a describe). */
export function tempFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Expects a refused run: exit code 2, and on stderr one line matching `message` besides progress lines
 * (`<command> 1/3 …`) and commander's usage hint.
 */
export function expectRefused(r: CliResult, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  const lines = r.stderr
    .split('\n')
    .filter((l) => l && !/^[a-z]+ \d+\/\d+ /.test(l) && !l.startsWith('(run with --help'));
  expect(lines).toHaveLength(1);
}

/** The paths of `names` that do not exist below `folder` (expect `[]`: a failure then names them). */
export function missingFiles(folder: string, names: readonly string[]): string[] {
  return names.filter((f) => !existsSync(join(folder, f)));
}

/** Expects a refusal (exit 2, exactly one stderr line, matching `message`) that left `out` unwritten. */
export function expectRefusedWithoutOutput(r: CliResult, out: string, message: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(existsSync(out)).toBe(false);
}

/** Expects `graphon-pai <command> --help` to succeed and show every one of `texts`. */
export async function expectHelpShows(command: string, texts: readonly (string | RegExp)[]): Promise<void> {
  const h = await cli(command, '--help');
  expect(h.code).toBe(0);
  for (const t of texts) expect(h.stdout).toMatch(t);
}
