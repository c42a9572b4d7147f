#!/usr/bin/env node
/**
 * The README's two quick-start commands, runnable on a fresh clone with only Node 20 and npm:
 *
 *   npm start   -> bootstrap, build the CLI, run `graphon-pai experiment` (extra args are passed on)
 *   npm test    -> bootstrap, build, type-check, lint, run every package's tests, print `N passed, N failed`
 *
 * Bootstrap = make pnpm available (pinned version from package.json) and install the workspace with a frozen
 * lockfile when node_modules is missing or older than the lockfile. No system package is needed: the docs
 * browser test falls back to the Chromium binary shipped in the npm package @sparticuz/chromium when
 * /usr/bin/chromium is absent (apps/docs/test/browser.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

function log(msg) {
  process.stderr.write(`[graphon-pai] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  return r.status ?? 1;
}

function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim() === pnpmVersion) return ['pnpm'];
  log(`installing pnpm@${pnpmVersion} with npm`);
  const g = spawnSync('npm', ['install', '-g', `pnpm@${pnpmVersion}`], { stdio: 'inherit' });
  if (g.status === 0) {
    const again = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
    if (again.status === 0 && again.stdout.trim() === pnpmVersion) return ['pnpm'];
  }
  return ['npx', '--yes', `pnpm@${pnpmVersion}`];
}

function bootstrap() {
  const pnpm = pnpmCommand();
  const marker = join(root, 'node_modules', '.modules.yaml');
  const lock = join(root, 'pnpm-lock.yaml');
  const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
  if (stale) {
    log('installing the workspace (pnpm install --frozen-lockfile)');
    const code = run(pnpm[0], [...pnpm.slice(1), 'install', '--frozen-lockfile']);
    if (code !== 0) process.exit(code);
  }
  return pnpm;
}

function turbo(pnpm, args) {
  return run(pnpm[0], [...pnpm.slice(1), 'exec', 'turbo', ...args]);
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'experiment') {
  const pnpm = bootstrap();
  const code = turbo(pnpm, ['run', 'build', '--filter=@graphon-pai/cli...', '--output-logs=errors-only']);
  if (code !== 0) process.exit(code);
  const args = rest.length > 0 ? rest : ['experiment'];
  process.exit(run(process.execPath, [join(root, 'apps', 'cli', 'dist', 'bin.js'), ...args]));
} else if (mode === 'test') {
  const pnpm = bootstrap();
  const steps = [];
  for (const task of ['build', 'check-types', 'lint']) {
    const code = turbo(pnpm, ['run', task, '--continue', '--output-logs=errors-only']);
    steps.push({ task, ok: code === 0 });
  }
  const testCode = turbo(pnpm, ['run', 'test', '--continue', '--concurrency=1', '--output-logs=full']);
  const summary = execFileSync(process.execPath, [join(root, 'tooling', 'scripts', 'test-summary.mjs')], {
    cwd: root,
    encoding: 'utf8',
  });
  // --- packaging check (issue 11; tooling/packaging/check.mjs): every publishable package packed, installed
  // from tarballs into a fresh npm project outside the repo, run as ESM + CommonJS, type-checked; publint,
  // attw, the CLI installed globally. One result per package × check; counted into the final line.
  const packagingJson = join(root, 'node_modules', '.cache', 'graphon-pai-packaging', 'last-run.json');
  const packagingCode = run(process.execPath, [join(root, 'tooling', 'packaging', 'check.mjs'), '--no-build', '--json', packagingJson], {
    stdio: ['ignore', 2, 2],
  });
  const packaging = existsSync(packagingJson) ? JSON.parse(readFileSync(packagingJson, 'utf8')) : { passed: 0, failed: 0 };
  if (packagingCode !== 0 && packaging.failed === 0) packaging.failed = 1;
  // --- end packaging check
  const failedSteps = steps.filter((s) => !s.ok).map((s) => s.task);
  if (failedSteps.length > 0) process.stderr.write(`failed steps: ${failedSteps.join(', ')}\n`);
  const unit = JSON.parse(summary);
  const passed = unit.passed + packaging.passed; // packaging check counted in
  const failed = unit.failed + packaging.failed; // packaging check counted in
  const totalFailed = failed + failedSteps.length + (testCode !== 0 && unit.failed === 0 ? 1 : 0);
  process.stdout.write(`${passed} passed, ${totalFailed} failed\n`);
  process.exit(totalFailed === 0 && passed > 0 ? 0 : 1);
} else {
  process.stderr.write('usage: quickstart.mjs experiment|test [args...]\n');
  process.exit(2);
}
