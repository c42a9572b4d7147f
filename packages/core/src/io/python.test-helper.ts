/** Test-only helper: runs a python3 + numpy script and parses the JSON it prints. Not part of the package. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function runPython(script: string, args: string[] = []): unknown {
  const out = execFileSync('python3', ['-c', script, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(out);
}

/** A fresh temporary directory, removed by the returned cleanup function. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'graphon-pai-io-'));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export const FIXTURES = path.join(__dirname, '..', '..', 'test', 'fixtures', 'tensor-files');
