/**
 * The check that a committed generated file is current: `node <script> --check` (a generator that compares
 * what it would write, e.g. a WebAssembly binary compiled from its `.wat`, with the committed file) must
 * print nothing on stderr and exit 0.
 */
import { spawnSync } from 'node:child_process';

/** Runs `node script --check` and expects an empty stderr and exit status 0. */
export function expectGeneratorCheck(script: string): void {
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
}
