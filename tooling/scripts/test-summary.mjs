#!/usr/bin/env node
/**
 * Adds up every workspace package's `jest-results.json` (written by `jest --json --outputFile`).
 * A test suite that failed to run (syntax error, failing import) counts as one failure, so a broken
 * file can never hide behind "0 failed". Prints `{"passed": N, "failed": N}` on stdout.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let passed = 0;
let failed = 0;
for (const group of ['packages', 'apps', 'examples', 'tooling']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  const pkgs = group === 'tooling' ? ['.'] : readdirSync(dir);
  for (const pkg of pkgs) {
    const file = join(dir, pkg, 'jest-results.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    for (const suite of r.testResults ?? []) {
      if (suite.status === 'failed' && (suite.assertionResults ?? []).every((a) => a.status !== 'failed')) {
        failed += 1;
        process.stderr.write(`suite failed to run: ${suite.name}\n${suite.message ?? ''}\n`);
      }
    }
  }
}
process.stdout.write(`${JSON.stringify({ passed, failed })}\n`);
