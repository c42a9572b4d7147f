import { spawnSync } from 'node:child_process';
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
