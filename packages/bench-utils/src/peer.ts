/**
 * Running the numpy peer of a benchmark: `python3 <script> <args…>` on the same machine in the same run. The
 * peer inherits this process's environment (the allocator thresholds the `bench` scripts set) except
 * `OPENBLAS_CORETYPE`, `OPENBLAS_L2_SIZE` and `OPENBLAS_THREAD_TIMEOUT`, which `@graphon-pai/linalg` sets
 * for the system OpenBLAS but numpy's own OpenBLAS must not be given (the peer runs with its best kernel and
 * its default threading): they are removed for the peer command alone.
 */
import { spawnSync } from 'node:child_process';

/** This process's environment without the OpenBLAS overrides, plus `extra`. */
export function peerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  delete env.OPENBLAS_THREAD_TIMEOUT;
  return env;
}

/** Runs the peer and returns its standard output; throws with its standard error when it fails. */
export function runPython(
  script: string,
  args: readonly (string | number)[] = [],
  options: { env?: Record<string, string> } = {},
): string {
  const r = spawnSync('python3', [script, ...args.map(String)], {
    env: peerEnv(options.env),
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status}): ${r.stderr || r.error?.message}`);
  if (r.stderr) process.stderr.write(r.stderr);
  return r.stdout;
}
