import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
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
const binSource = join(cliRoot, 'src', 'bin.ts');

/** Every file below `folder`, as paths relative to it. */
export function filesOf(folder: string, sub = ''): string[] {
  return readdirSync(join(folder, sub), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesOf(folder, join(sub, e.name)) : [join(sub, e.name)],
  );
}
