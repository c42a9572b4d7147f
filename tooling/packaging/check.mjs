#!/usr/bin/env node
/**
 * Packaging check: every publishable package installs and works on its own, outside this workspace.
 *
 * For each publishable workspace package (`packages/*`, `apps/*`, not `private`):
 *   1. `pnpm pack` it (after `turbo run build`; pass --no-build when dist/ is already built);
 *   2. lint the tarball: `publint` (errors and warnings fail) and `@arethetypeswrong/cli` (any problem
 *      fails), plus a contents rule (no tests, fixtures, benchmarks or sources in the tarball; every bare
 *      import of the built files declared); lint the README's top section (before its first `## `): an
 *      install line, an example, a documentation link;
 *   3. the consumer is **the README's example**: the first ```ts/```js block of its top section, in a fresh
 *      project under os.tmpdir() holding exactly what the README's `npm i …` line installs (internal
 *      `@graphon-pai/*` packages from their tarballs, never the workspace or the registry: npm
 *      `overrides` pin every internal name to its `file:` tarball; third-party packages from the npm
 *      cache / registry). Every package the example imports must be on the install line. One
 *      `npm install --prefer-offline --omit=optional` per project (linalg's keeps the optional native
 *      dependencies, onnxruntime-node and koffi, checks they were installed and that the onnxruntime
 *      GEMM provider loads);
 *   4. run the example as ESM (`consumer.mjs`) and as CommonJS (`consumer.cjs`: imports rewritten to
 *      `require`, body wrapped in an async function): exit code 0, and stdout must equal the
 *      `console.log(…); // value` comments of the example (`// e.g. …` matches any one line);
 *   5. type-check it as `consumer.mts` and `consumer.cts` with `tsc --noEmit` (strict, nodenext: the
 *      published index.d.ts and index.d.cts respectively);
 *   6. the same example in fresh pnpm and yarn classic projects for the packages of OTHER_MANAGERS
 *      (pnpm's isolated node_modules catches undeclared dependencies that npm's hoisting hides);
 *   7. for packages with a `bin`: install globally from the tarballs into a temporary prefix (optional
 *      dependencies included) and, from an empty folder outside the repository, run `<bin> --help`,
 *      `<bin> plugins list --json` and the commands of the README's first ```sh block, as written.
 *
 * A package whose README has no JavaScript example (the CLI) uses tooling/packaging/consumers/<name>.mjs.
 *
 * Results that are already proven (same tarballs of the package and its internal dependencies, same
 * consumer, same check script, same Node) are reused from node_modules/.cache/graphon-pai-packaging;
 * --fresh ignores that cache.
 *
 * Usage: node tooling/packaging/check.mjs [--no-build] [--fresh] [--keep] [--only core,masks]
 *                                          [--json <file>] [--jobs N]
 * Prints one line per test and a final `N passed, N failed`; exits non-zero on any failure. Writes
 * tooling/packaging/sizes.md (tarball sizes) on every full run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import {
  consumerFiles,
  expectedOutput,
  firstReadmeExample,
  firstReadmeShell,
  importedPackages,
  outputMatches,
  readmeInstall,
  readmeTop,
} from './lib/consumer-source.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const SCOPE = '@graphon-pai/';
/** Tensor engine installed next to packages that use tensors (their peer dependency). */
const TFJS = {
  '@tensorflow/tfjs-core': '4.22.0',
  '@tensorflow/tfjs-backend-cpu': '4.22.0',
  '@tensorflow/tfjs-backend-wasm': '4.22.0',
};
/**
 * Consumer projects install with `--omit=optional` (no onnxruntime-node / koffi / resvg binaries to unpack)
 * except these, which prove the optional native dependencies install and load (the CLI's global install
 * keeps them too).
 */
const WITH_OPTIONAL = new Set(['@graphon-pai/linalg']);
/**
 * pnpm and yarn classic consumers (npm does every package): representative packages whose README
 * example runs in a fresh project of that package manager. cut-distance pulls core, linalg and graphon.
 */
const OTHER_MANAGERS = { pnpm: ['cut-distance', 'cli'], yarn: ['cut-distance'] };
const YARN = 'yarn@1.22.22';
const RUN_TIMEOUT_MS = 180_000;

// ---------------------------------------------------------------------------------------------------
// arguments

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const opts = {
  build: !flag('--no-build'),
  fresh: flag('--fresh'),
  keep: flag('--keep'),
  only: option('--only')
    ?.split(',')
    .map((s) => s.trim()),
  json: option('--json'),
  jobs: Number(option('--jobs') ?? 2),
};

if (opts.json) {
  // never leave a previous run's results behind for a caller to read
  rmSync(opts.json, { force: true });
  mkdirSync(dirname(opts.json), { recursive: true });
}

const t0 = Date.now();
const log = (msg) => process.stderr.write(`[packaging] ${msg}\n`);
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

// ---------------------------------------------------------------------------------------------------
// helpers

/** Runs a command; resolves { code, stdout, stderr, ms }. Never rejects. */
function exec(cmd, args, { cwd, env, timeout = RUN_TIMEOUT_MS } = {}) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeout} ms)`;
      child.kill('SIGKILL');
    }, timeout);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 127, stdout, stderr: `${stderr}${error.message}`, ms: Date.now() - started });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr, ms: Date.now() - started });
    });
  });
}

async function pool(items, jobs, fn) {
  const out = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return out;
}

const sha = (data) => createHash('sha256').update(data).digest('hex');
const tail = (text, n = 25) => text.trim().split('\n').slice(-n).join('\n');
const shortName = (name) => name.replace(SCOPE, '');
/** Whether a `major.minor.patch` version is older than `[major, minor]`. */
const olderThan = (version, [major, minor]) => {
  const [a, b] = version.split('.').map(Number);
  return a < major || (a === major && b < minor);
};

/** Files of a .tgz: [{ path, size }] (ustar; enough for npm/pnpm tarballs). */
function tarEntries(buf) {
  const data = gunzipSync(buf);
  const entries = [];
  let off = 0;
  let longName;
  while (off + 512 <= data.length) {
    const header = data.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const str = (a, b) => header.subarray(a, b).toString('utf8').replace(/\0.*$/s, '');
    let name = str(0, 100);
    const prefix = str(345, 500);
    if (prefix) name = `${prefix}/${name}`;
    const size = Number.parseInt(str(124, 136).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const body = data.subarray(off + 512, off + 512 + size);
    if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
    else if (type === '0' || type === '\0') {
      entries.push({ path: (longName ?? name).replace(/^package\//, ''), size, body });
      longName = undefined;
    } else longName = undefined;
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

// ---------------------------------------------------------------------------------------------------
// workspace packages

function workspacePackages() {
  const out = [];
  for (const group of ['packages', 'apps']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const manifestPath = join(dir, name, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
      if (manifest.private) continue;
      out.push({ dir: join(dir, name), rel: `${group}/${name}`, manifest, name: manifest.name });
    }
  }
  return out;
}

/** Internal dependencies (dependencies, optional and peer) of a manifest. */
function internalDeps(manifest) {
  const names = new Set();
  for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
    for (const dep of Object.keys(manifest[field] ?? {})) if (dep.startsWith(SCOPE)) names.add(dep);
  }
  return [...names];
}

function closure(name, byName) {
  const seen = new Set();
  const visit = (n) => {
    if (seen.has(n)) return;
    seen.add(n);
    const pkg = byName.get(n);
    if (!pkg) throw new Error(`${name} depends on ${n}, which is not a publishable workspace package`);
    for (const d of internalDeps(pkg.manifest)) visit(d);
  };
  visit(name);
  return [...seen];
}

// ---------------------------------------------------------------------------------------------------
// results and the proven-results cache

const results = [];
function record(pkg, kind, ok, detail = '', extra = {}) {
  results.push({ package: pkg, kind, ok, detail, ...extra });
  const mark = ok ? 'PASS' : 'FAIL';
  const cached = extra.cached ? ' (proven earlier, same tarballs)' : '';
  process.stdout.write(`${mark} ${pkg} ${kind}${cached}${ok || !detail ? '' : `\n${indent(detail)}`}\n`);
}
const indent = (s) =>
  s
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');

const cacheDir = join(root, 'node_modules', '.cache', 'graphon-pai-packaging');
const cacheFile = join(cacheDir, 'proven.json');
const proven = !opts.fresh && existsSync(cacheFile) ? JSON.parse(readFileSync(cacheFile, 'utf8')) : {};
const scriptHash = sha(
  [
    readFileSync(fileURLToPath(import.meta.url)),
    readFileSync(join(here, 'lib', 'consumer-source.mjs')),
    process.version,
  ].join('\0'),
);
function saveProven() {
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(cacheFile, `${JSON.stringify(proven, null, 2)}\n`);
}

// ---------------------------------------------------------------------------------------------------
// main

async function main() {
  const all = workspacePackages();
  const byName = new Map(all.map((p) => [p.name, p]));
  const selected = opts.only ? all.filter((p) => opts.only.includes(shortName(p.name))) : all;
  if (selected.length === 0) throw new Error('no publishable packages selected');

  const pnpmProbe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  const pnpm =
    pnpmProbe.status === 0
      ? ['pnpm']
      : [
          'npx',
          '--yes',
          `pnpm@${JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1]}`,
        ];

  // Everything the selected packages need, packed.
  const needed = new Set(selected.flatMap((p) => closure(p.name, byName)));
  const toPack = all.filter((p) => needed.has(p.name));

  if (opts.build) {
    log(`building ${toPack.length} packages (turbo run build)`);
    const r = spawnSync(
      pnpm[0],
      [
        ...pnpm.slice(1),
        'exec',
        'turbo',
        'run',
        'build',
        ...toPack.map((p) => `--filter=${p.name}`),
        '--output-logs=errors-only',
      ],
      { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (r.status !== 0) log('build failed; packing what exists (failures will follow)');
  }

  const work = mkdtempSync(join(tmpdir(), 'graphon-pai-packaging-'));
  const tarDir = join(work, 'tarballs');
  mkdirSync(tarDir);
  log(`packing ${toPack.length} packages into ${tarDir}`);
  const packed = new Map();
  // one pnpm process for all packages (pnpm rewrites workspace: ranges and applies publishConfig)
  const packRun = await exec(
    pnpm[0],
    [
      ...pnpm.slice(1),
      '-r',
      ...toPack.flatMap((p) => ['--filter', p.name]),
      'pack',
      '--pack-destination',
      tarDir,
    ],
    { cwd: root },
  );
  for (const p of toPack) {
    const file = `${p.name.replace('@', '').replace('/', '-')}-${p.manifest.version}.tgz`;
    const path = join(tarDir, file);
    if (!existsSync(path)) {
      packed.set(p.name, {
        error: `pnpm pack produced no ${file} (exit ${packRun.code}):\n${tail(packRun.stderr || packRun.stdout)}`,
      });
      continue;
    }
    const buf = readFileSync(path);
    const entries = tarEntries(buf);
    packed.set(p.name, {
      path,
      file,
      hash: sha(entries.map((e) => `${e.path}\0${sha(e.body)}`).join('\n')),
      size: buf.length,
      unpacked: entries.reduce((sum, e) => sum + e.size, 0),
      entries,
    });
  }
  log(`packed (${elapsed()})`);

  // Lint every selected tarball (publint, attw, contents); cheap, and in parallel with nothing else.
  for (const p of selected) {
    const t = packed.get(p.name);
    if (t.error) {
      record(shortName(p.name), 'pack', false, t.error);
      continue;
    }
    lintContents(p, t);
    lintReadme(p);
  }
  await pool(
    selected.filter((p) => !packed.get(p.name).error),
    opts.jobs,
    async (p) => {
      await runPublint(p, packed.get(p.name));
      await runAttw(p, packed.get(p.name));
    },
  );
  log(`lint done (${elapsed()})`);

  // Consumer projects.
  const consumable = selected.filter((p) =>
    closure(p.name, byName).every((n) => packed.get(n) && !packed.get(n).error),
  );
  for (const p of selected) {
    if (!consumable.includes(p) && !packed.get(p.name).error) {
      const missing = closure(p.name, byName).filter((n) => packed.get(n)?.error);
      record(
        shortName(p.name),
        'install',
        false,
        `internal dependencies failed to pack: ${missing.join(', ')}`,
      );
    }
  }
  // npm projects for every package, the CLI's global install and the pnpm / yarn projects, in one pool
  // (largest first, so the two job slots stay busy to the end)
  const tasks = [
    ...consumable.filter((p) => p.manifest.bin).map((p) => () => globalInstall(p, byName, packed, work)),
    ...Object.entries(OTHER_MANAGERS).flatMap(([manager, shorts]) =>
      consumable
        .filter((p) => shorts.includes(shortName(p.name)))
        .map((p) => () => otherManagerProject(p, manager, byName, packed, work, pnpm)),
    ),
    ...consumable.map((p) => () => consumerProject(p, byName, packed, work)),
  ];
  await pool(tasks, opts.jobs, (task) => task());
  log(`consumers done (${elapsed()})`);

  if (!opts.only) writeSizes(selected, packed);
  saveProven();
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
  else log(`kept ${work}`);
}

// ---------------------------------------------------------------------------------------------------
// lint

const FORBIDDEN = [
  [/(^|\/)(test|tests|__tests__|fixtures|bench|benchmarks?)\//, 'test, fixture or benchmark directory'],
  [/\.(test|spec)\.[cm]?[jt]sx?$/, 'test file'],
  [/(^|\/)src\/.*\.ts$/, 'TypeScript source'],
  [
    /(^|\/)jest-results\.json$|(^|\/)jest\.config\.|(^|\/)tsconfig\.json$|(^|\/)tsup\.config\./,
    'build or test config',
  ],
  [/\.(npy|safetensors|py)$/, 'data file or script'],
];

function lintContents(p, t) {
  const bad = [];
  for (const e of t.entries) {
    for (const [re, why] of FORBIDDEN) if (re.test(e.path)) bad.push(`${e.path} (${why})`);
  }
  // every bare module the built files load must be declared (dependencies, optional or peer), or pnpm
  // and yarn PnP users get "cannot find module" (npm's hoisting hides it)
  const m = p.manifest;
  const declared = new Set(
    Object.keys({ ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies }),
  );
  const builtins = new Set(builtinModules);
  const undeclared = new Set();
  for (const e of t.entries) {
    if (!/\.(c|m)?js$/.test(e.path)) continue;
    const text = e.body.toString('utf8');
    const patterns = [
      /^\s*(?:import|export)\s[^'";]*?\bfrom\s*(['"])([^'"\n]+)\1/gm,
      /^\s*import\s*(['"])([^'"\n]+)\1/gm,
      /\bimport\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
      /\brequire\s*\(\s*(['"])([^'"\n]+)\1\s*\)/g,
    ];
    for (const hit of patterns.flatMap((re) => [...text.matchAll(re)])) {
      const spec = hit[2];
      if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(\/.*)?$/i.test(spec)) continue;
      if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || spec.startsWith('#'))
        continue;
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      if (builtins.has(name) || name === m.name || declared.has(name)) continue;
      undeclared.add(
        `${name} (loaded by ${e.path}; declare it in dependencies, or as an optional peer dependency)`,
      );
    }
  }
  bad.push(...undeclared);
  const hasReadme = t.entries.some((e) => /^readme\.md$/i.test(e.path));
  if (!hasReadme) bad.push('README.md missing from the tarball');
  record(shortName(p.name), 'contents', bad.length === 0, bad.slice(0, 20).join('\n'), {
    files: t.entries.length,
  });
}

/**
 * The README opens (before its first `## ` heading) with an install command for the package, an example
 * (a ```ts/```js block, or for a CLI a shell block of commands) and a link to the documentation.
 */
function lintReadme(p) {
  const path = join(p.dir, 'README.md');
  const readme = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const top = readmeTop(readme);
  const bad = [];
  const install = readmeInstall(readme);
  if (!install?.packages.some((x) => x.name === p.name))
    bad.push(`no \`npm i ${p.name}\` line in a \`\`\`sh block before the first ## heading`);
  const example = firstReadmeExample(readme);
  const shellExample = (firstReadmeShell(readme) ?? []).filter(
    (l) => !/^\s*#/.test(l) && !/^\s*npm\s+(i|install)\s/.test(l),
  );
  if (!example && !(p.manifest.bin && shellExample.length > 0))
    bad.push('no example (```ts block, or for a CLI a ```sh block of commands) before the first ## heading');
  if (example && example.split('\n').filter((l) => l.trim() !== '').length > 20)
    bad.push('the example is longer than 20 lines (the README promises a short one)');
  if (!/\[[^\]]+\]\([^)]*(apps\/docs|docs)[^)]*\)/i.test(top))
    bad.push('no documentation link before the first ## heading');
  record(shortName(p.name), 'readme', bad.length === 0, bad.join('\n'));
}

async function runPublint(p, t) {
  const key = `publint:${t.hash}:${scriptHash}`;
  if (proven[key]) return record(shortName(p.name), 'publint', true, '', { cached: true });
  try {
    const { publint } = await import('publint');
    const { formatMessage } = await import('publint/utils');
    const buf = readFileSync(t.path);
    const { messages, pkg } = await publint({
      pack: { tarball: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length) },
      level: 'suggestion',
      strict: false,
    });
    const fail = messages.filter((m) => m.type === 'error' || m.type === 'warning');
    const lines = messages.map((m) => `${m.type}: ${formatMessage(m, pkg) ?? m.code}`);
    const ok = fail.length === 0;
    if (ok) proven[key] = true;
    record(shortName(p.name), 'publint', ok, lines.join('\n'), { messages: lines });
  } catch (error) {
    record(shortName(p.name), 'publint', false, String(error?.stack ?? error));
  }
}

let attwModules;
/** @arethetypeswrong/core, in process (the CLI's engine; loaded once instead of one process per package). */
async function attwCore() {
  if (!attwModules) {
    const req = createRequire(
      realpathSync(join(root, 'node_modules', '@arethetypeswrong', 'cli', 'package.json')),
    );
    const core = await import(pathToFileURL(req.resolve('@arethetypeswrong/core')).href);
    const problems = await import(pathToFileURL(req.resolve('@arethetypeswrong/core/problems')).href);
    attwModules = { core, problems };
  }
  return attwModules;
}

async function runAttw(p, t) {
  const key = `attw:${t.hash}:${scriptHash}`;
  if (proven[key]) return record(shortName(p.name), 'attw', true, '', { cached: true });
  try {
    const { core, problems } = await attwCore();
    const pkg = core.createPackageFromTarballData(new Uint8Array(readFileSync(t.path)));
    const result = await core.checkPackage(pkg);
    const lines = [];
    if (result.types === false) lines.push('no type declarations in the package');
    for (const problem of result.problems ?? []) {
      const info = problems.problemKindInfo?.[problem.kind];
      const where = [problem.entrypoint, problem.resolutionKind].filter(Boolean).join(' ');
      lines.push(`${problem.kind}${where ? ` (${where})` : ''}: ${info?.title ?? ''}`);
    }
    const ok = lines.length === 0;
    if (ok) proven[key] = true;
    record(shortName(p.name), 'attw', ok, [...new Set(lines)].join('\n'));
  } catch (error) {
    record(shortName(p.name), 'attw', false, String(error?.stack ?? error));
  }
}

// ---------------------------------------------------------------------------------------------------
// consumer projects

/**
 * The consumer of a package: the first ```ts / ```js example of its README's top section, so the check
 * runs exactly what a user copies, in a project holding exactly what the README's install line installs
 * (every package the example imports must be on that line: pnpm and yarn users get nothing else). A
 * package whose README shows no JavaScript (the CLI) uses tooling/packaging/consumers/<short-name>.mjs.
 * Returns { source, from, install: [{ name, version? }] } or { error }.
 */
function consumerSource(p, byName) {
  const short = shortName(p.name);
  const readmePath = join(p.dir, 'README.md');
  const readme = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '';
  const example = firstReadmeExample(readme);
  const own = join(here, 'consumers', `${short}.mjs`);
  let consumer;
  if (example) {
    if (existsSync(own)) {
      return {
        error: `${relative(root, own)} and the example of ${p.rel}/README.md are both consumers: the README example is the consumer, delete the file`,
      };
    }
    const install = readmeInstall(readme);
    if (!install || install.global) {
      return { error: `${p.rel}/README.md: no \`npm i ${p.name} …\` line before the example` };
    }
    consumer = {
      source: example,
      from: `${p.rel}/README.md (first example)`,
      install: install.packages,
      line: install.line,
    };
  } else if (existsSync(own)) {
    const source = readFileSync(own, 'utf8');
    let imported;
    try {
      imported = importedPackages(source);
    } catch (error) {
      return { error: `${relative(root, own)}: ${error.message}` };
    }
    const names = [p.name, ...imported.filter((n) => n !== p.name)];
    consumer = {
      source,
      from: relative(root, own),
      install: names.map((name) => ({ name })),
      line: `npm i ${names.join(' ')}`,
    };
  } else {
    return { error: `no consumer: add a \`\`\`ts example to the top section of ${p.rel}/README.md` };
  }
  const installed = new Set(consumer.install.map((i) => i.name));
  if (!installed.has(p.name))
    return { error: `${consumer.from}: the install line \`${consumer.line}\` does not install ${p.name}` };
  const unknown = [...installed].filter((n) => n.startsWith(SCOPE) && !byName.has(n));
  if (unknown.length > 0)
    return { error: `${consumer.from}: ${unknown.join(', ')} is not a publishable workspace package` };
  let imported;
  try {
    imported = importedPackages(consumer.source);
  } catch (error) {
    return { error: `${consumer.from}: ${error.message}` };
  }
  const missing = imported.filter((n) => !installed.has(n));
  if (missing.length > 0) {
    return {
      error: `${consumer.from} imports ${missing.join(', ')}, which its install line \`${consumer.line}\` does not install (pnpm and yarn users get "cannot find module")`,
    };
  }
  return consumer;
}

/** Internal packages a consumer project needs: the closure of every internal package it installs. */
function consumerClosure(consumer, byName) {
  const names = new Set();
  for (const { name } of consumer.install)
    if (name.startsWith(SCOPE)) for (const n of closure(name, byName)) names.add(n);
  return [...names];
}

/**
 * package.json of a fresh consumer project: the install line's packages (internal ones as `file:` tarballs,
 * third-party ones at the version the line gives, tfjs at the pinned 4.22.0), and every internal package
 * pinned to its tarball (npm `overrides`, pnpm `pnpm.overrides`, yarn `resolutions`) so that no package
 * manager asks the registry for them.
 */
function projectManifest(p, consumer, names, packed, manager = 'npm', dir = undefined) {
  // yarn classic rewrites a top-level `file:` path relative to the project but keeps `resolutions` as given:
  // an absolute path in both would become two lockfile entries, i.e. two copies of the package (and
  // `instanceof` failing across them). So yarn gets the relative path in both places.
  const spec = (name) =>
    `file:${manager === 'yarn' ? relative(dir, packed.get(name).path) : packed.get(name).path}`;
  const dependencies = {};
  for (const { name, version } of consumer.install) {
    dependencies[name] = name.startsWith(SCOPE) ? spec(name) : (version ?? TFJS[name] ?? 'latest');
  }
  const pins = {};
  for (const n of names) pins[n] = spec(n);
  const manifest = {
    name: `consumer-of-${shortName(p.name)}`,
    version: '0.0.0',
    private: true,
    description: `packaging check: a fresh ${manager} project that installs ${p.name} from its tarball`,
    dependencies,
  };
  if (manager === 'npm') manifest.overrides = pins;
  else if (manager === 'pnpm') manifest.pnpm = { overrides: pins };
  else if (manager === 'yarn') manifest.resolutions = pins;
  return manifest;
}

const npmEnv = {
  npm_config_onnxruntime_node_install: 'skip',
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'error',
};

const TSC = () => join(root, 'node_modules', 'typescript', 'bin', 'tsc');

/** Runs consumer.mjs (esm) or consumer.cjs (cjs) in dir; returns { ok, detail }. */
async function runConsumer(dir, kind, consumer, expected) {
  const file = kind === 'esm' ? 'consumer.mjs' : 'consumer.cjs';
  const r = await exec(process.execPath, [file], { cwd: dir, env: { NODE_OPTIONS: '' } });
  const got =
    r.stdout.trim() === ''
      ? []
      : r.stdout
          .trim()
          .split('\n')
          .map((l) => l.trim());
  const ok = r.code === 0 && outputMatches(expected, got);
  if (ok) return { ok, detail: '' };
  const detail =
    r.code !== 0
      ? `exit ${r.code}:\n${tail(r.stderr || r.stdout)}`
      : expected.length === 0
        ? `${consumer.from} checks nothing: add \`console.log(x); // value\` lines`
        : `output differs\n  expected: ${JSON.stringify(expected)}\n  got:      ${JSON.stringify(got)}\n${tail(r.stderr, 10)}`;
  return { ok, detail };
}

/**
 * With optional dependencies installed, linalg's onnxruntime provider must load (the CPU runtime ships in
 * the onnxruntime-node package; the openblas provider also needs the system's libopenblas, so it is not
 * required here).
 */
async function optionalProviders(dir) {
  const script =
    "const l = require('@graphon-pai/linalg'); console.log(JSON.stringify({ available: l.availableProviders(), reason: l.providerUnavailableReason('onnxruntime') ?? null }));";
  const r = await exec(process.execPath, ['-e', script], { cwd: dir, env: { NODE_OPTIONS: '' } });
  let parsed;
  try {
    parsed = JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return { ok: false, detail: `exit ${r.code}:\n${tail(r.stderr || r.stdout)}` };
  }
  const ok = r.code === 0 && parsed.available.includes('onnxruntime');
  return {
    ok,
    detail: ok ? '' : `onnxruntime provider not available: ${parsed.reason ?? JSON.stringify(parsed)}`,
  };
}

/** Type-checks consumer.mts / consumer.cts in dir against the installed declarations. */
async function typeCheck(dir) {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          // tfjs-core's declarations need the DOM lib (its documented requirement)
          lib: ['es2022', 'dom'],
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
          esModuleInterop: true,
          skipLibCheck: false,
        },
        files: ['consumer.mts', 'consumer.cts'],
      },
      null,
      2,
    )}\n`,
  );
  const r = await exec(process.execPath, [TSC(), '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: dir });
  const { ours, thirdParty } = splitDiagnostics(`${r.stdout}\n${r.stderr}`);
  const ok = ours.length === 0 && (r.code === 0 || thirdParty.length > 0);
  const detail =
    ours.length > 0 ? ours.slice(0, 30).join('\n') : r.code !== 0 && !ok ? tail(r.stdout + r.stderr) : '';
  return { ok, detail };
}

/** The consumer of p, or records `kinds` as failed and returns undefined. */
function loadConsumer(p, byName, kinds, label = '') {
  const short = shortName(p.name);
  const consumer = consumerSource(p, byName);
  if (consumer.error) {
    for (const k of kinds) record(short, `${label}${k}`, false, consumer.error);
    return undefined;
  }
  try {
    consumer.files = consumerFiles(consumer.source);
  } catch (error) {
    for (const k of kinds) record(short, `${label}${k}`, false, `${consumer.from}: ${error.message}`);
    return undefined;
  }
  consumer.expected = expectedOutput(consumer.source);
  return consumer;
}

async function consumerProject(p, byName, packed, work) {
  const short = shortName(p.name);
  const withOptional = WITH_OPTIONAL.has(p.name);
  const kinds = ['esm', 'cjs', 'types', ...(withOptional ? ['optional'] : [])];
  const consumer = loadConsumer(p, byName, kinds);
  if (!consumer) return;
  const names = consumerClosure(consumer, byName);
  const key = (kind) =>
    `${kind}:${short}:${sha([...names.map((n) => packed.get(n).hash), consumer.source, JSON.stringify(consumer.install), String(withOptional)].join('\0'))}:${scriptHash}`;
  const todo = kinds.filter((k) => !proven[key(k)]);
  for (const k of kinds.filter((k) => !todo.includes(k)))
    record(short, k, true, '', { cached: true, from: consumer.from });
  if (todo.length === 0) return;

  const dir = join(work, `consumer-${short}`);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(projectManifest(p, consumer, names, packed), null, 2)}\n`,
  );
  for (const [f, text] of Object.entries(consumer.files)) writeFileSync(join(dir, f), text);
  log(
    `${short}: npm install (${consumer.line}; ${names.length} tarballs${withOptional ? ', with optional dependencies' : ''})`,
  );
  const inst = await exec(
    'npm',
    ['install', '--prefer-offline', '--no-audit', '--no-fund', ...(withOptional ? [] : ['--omit=optional'])],
    { cwd: dir, env: npmEnv, timeout: 600_000 },
  );
  if (inst.code !== 0) {
    for (const k of todo)
      record(short, k, false, `npm install failed (exit ${inst.code}):\n${tail(inst.stderr || inst.stdout)}`);
    return;
  }
  // Internal packages must come from the tarballs, not the registry.
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  const wrong = Object.entries(lock.packages ?? {})
    .filter(
      ([path, info]) => path.includes(`node_modules/${SCOPE}`) && !(info.resolved ?? '').startsWith('file:'),
    )
    .map(([path, info]) => `${path} resolved to ${info.resolved}`);
  if (withOptional) {
    // the proof that the optional native dependencies install: they must be in the tree
    const optional = Object.keys(byName.get(p.name).manifest.optionalDependencies ?? {});
    for (const o of optional)
      if (!lock.packages?.[`node_modules/${o}`]) wrong.push(`optional dependency ${o} was not installed`);
  }
  if (wrong.length > 0) {
    for (const k of todo) record(short, k, false, `wrong install:\n${wrong.join('\n')}`);
    return;
  }
  log(`${short}: installed in ${(inst.ms / 1000).toFixed(0)} s`);

  for (const k of todo) {
    const { ok, detail } =
      k === 'types'
        ? await typeCheck(dir)
        : k === 'optional'
          ? await optionalProviders(dir)
          : await runConsumer(dir, k, consumer, consumer.expected);
    if (ok) proven[key(k)] = true;
    record(short, k, ok, detail, { from: consumer.from });
  }
  // free the disk now (hundreds of MB per project), overlapping with the other installs
  if (!opts.keep) await rm(dir, { recursive: true, force: true });
}

/** The command that runs a package manager: pnpm as found (or through npx), yarn classic through npx. */
function managerCommand(manager, pnpm) {
  if (manager === 'pnpm') return pnpm;
  return ['npx', '--yes', YARN];
}

/**
 * The same consumer in a fresh pnpm (isolated node_modules: only declared dependencies resolve) or yarn
 * classic project: install, then run it as ESM and CommonJS (the types were checked in the npm project).
 * For a package with a `bin`, also run `<bin> --help` from the project's node_modules/.bin.
 */
async function otherManagerProject(p, manager, byName, packed, work, pnpm) {
  const short = shortName(p.name);
  const label = `${manager}-`;
  const kinds = ['esm', 'cjs', ...(p.manifest.bin ? ['bin'] : [])];
  const consumer = loadConsumer(p, byName, kinds, label);
  if (!consumer) return;
  const names = consumerClosure(consumer, byName);
  const key = (kind) =>
    `${manager}-${kind}:${short}:${sha([...names.map((n) => packed.get(n).hash), consumer.source, JSON.stringify(consumer.install)].join('\0'))}:${scriptHash}`;
  const todo = kinds.filter((k) => !proven[key(k)]);
  for (const k of kinds.filter((k) => !todo.includes(k)))
    record(short, `${label}${k}`, true, '', { cached: true, from: consumer.from });
  if (todo.length === 0) return;

  const dir = join(work, `${manager}-consumer-${short}`);
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(projectManifest(p, consumer, names, packed, manager, dir), null, 2)}\n`,
  );
  for (const [f, text] of Object.entries(consumer.files)) writeFileSync(join(dir, f), text);
  const cmd = managerCommand(manager, pnpm);
  const args =
    manager === 'pnpm'
      ? [
          'install',
          '--prefer-offline',
          '--ignore-workspace',
          '--no-frozen-lockfile',
          '--reporter=append-only',
        ]
      : [
          // yarn classic: no --prefer-offline (it then fails on packages missing from its cache), no
          // optional dependencies (the npm project of linalg proves those). Engines are enforced (graphon
          // pins vega-lite ~6.4.3, node >= 20) except on Node 20 before 20.19, where yargs 18 (through
          // vega-lite) declares ^20.19.0 and yarn classic would refuse it although it runs.
          'install',
          '--non-interactive',
          '--no-progress',
          '--ignore-optional',
          ...(olderThan(process.versions.node, [20, 19]) ? ['--ignore-engines'] : []),
          '--network-timeout',
          '300000',
          '--registry',
          'https://registry.npmjs.org',
          '--cache-folder',
          join(cacheDir, 'yarn-cache'),
        ];
  log(`${short}: ${manager} install (${names.length} tarballs)`);
  const install = () =>
    exec(cmd[0], [...cmd.slice(1), ...args], {
      cwd: dir,
      env: { ...npmEnv, npm_config_yes: 'true', COREPACK_ENABLE_STRICT: '0' },
      timeout: 600_000,
    });
  let inst = await install();
  if (inst.code !== 0 && /ESOCKETTIMEDOUT|ETIMEDOUT|ECONNRESET|EAI_AGAIN/.test(inst.stderr + inst.stdout)) {
    log(`${short}: ${manager} install hit a network error; one retry`);
    inst = await install();
  }
  if (inst.code !== 0) {
    for (const k of todo)
      record(
        short,
        `${label}${k}`,
        false,
        `${manager} install failed (exit ${inst.code}):\n${tail(inst.stderr || inst.stdout)}`,
      );
    return;
  }
  log(`${short}: ${manager} installed in ${(inst.ms / 1000).toFixed(0)} s`);
  for (const k of todo) {
    let result;
    if (k === 'bin') {
      const binName = Object.keys(binsOf(p))[0];
      const r = await exec(join(dir, 'node_modules', '.bin', binName), ['--help'], {
        cwd: dir,
        env: { NODE_OPTIONS: '' },
      });
      result =
        r.code === 0 && /usage/i.test(r.stdout)
          ? { ok: true, detail: '' }
          : { ok: false, detail: `${binName} --help exited ${r.code}:\n${tail(r.stderr || r.stdout)}` };
    } else result = await runConsumer(dir, k, consumer, consumer.expected);
    if (result.ok) proven[key(k)] = true;
    record(short, `${label}${k}`, result.ok, result.detail, { from: consumer.from });
  }
  if (!opts.keep) await rm(dir, { recursive: true, force: true });
}

const binsOf = (p) =>
  typeof p.manifest.bin === 'string' ? { [shortName(p.name)]: p.manifest.bin } : p.manifest.bin;

/**
 * tsc diagnostics, split into ours (the consumer files and @graphon-pai declarations) and third-party ones
 * (errors inside other packages' .d.ts, e.g. tfjs-core's reference to the `Long` type of an uninstalled
 * @types/long). Third-party declaration errors are not ours to fix and do not fail the check; every
 * user with skipLibCheck (tsc's default template) never sees them.
 */
function splitDiagnostics(text) {
  const ours = [];
  const thirdParty = [];
  let current;
  for (const line of text.split('\n')) {
    const m = /^(.+?)\(\d+,\d+\): error TS\d+:/.exec(line);
    if (m) {
      const file = m[1].replace(/\\/g, '/');
      const foreign = /(^|\/)node_modules\//.test(file) && !file.includes(`node_modules/${SCOPE}`);
      current = foreign ? thirdParty : ours;
      current.push(line);
    } else if (/^error TS\d+:/.test(line)) {
      current = ours;
      ours.push(line);
    } else if (line.startsWith(' ') && current) current.push(line);
  }
  return { ours, thirdParty };
}

async function globalInstall(p, byName, packed, work) {
  const short = shortName(p.name);
  const names = closure(p.name, byName);
  const binName = Object.keys(binsOf(p))[0];
  // the README's shell example (its first ```sh block: `npm i -g …` and then commands) runs as written
  const readmePath = join(p.dir, 'README.md');
  const shell =
    (existsSync(readmePath) ? firstReadmeShell(readFileSync(readmePath, 'utf8')) : undefined) ?? [];
  const commands = shell.filter((l) => !/^\s*#/.test(l) && !/^\s*npm\s+(i|install)\s/.test(l));
  const key = `global:${short}:${sha([...names.map((n) => packed.get(n).hash), ...commands].join('\0'))}:${scriptHash}`;
  if (proven[key]) return record(short, 'global-bin', true, '', { cached: true });
  const prefix = join(work, 'global-prefix');
  const outside = join(work, 'elsewhere');
  mkdirSync(outside, { recursive: true });
  log(`${short}: npm install -g --prefix ${prefix} (${names.length} tarballs)`);
  const tarballs = [p.name, ...names.filter((n) => n !== p.name)].map((n) => packed.get(n).path);
  const inst = await exec(
    'npm',
    ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', ...tarballs],
    {
      cwd: outside,
      env: npmEnv,
      timeout: 600_000,
    },
  );
  if (inst.code !== 0) {
    return record(
      short,
      'global-bin',
      false,
      `npm install -g failed (exit ${inst.code}):\n${tail(inst.stderr || inst.stdout)}`,
    );
  }
  const bin = join(prefix, 'bin', binName);
  const env = { PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, NODE_OPTIONS: '', NODE_PATH: '' };
  const help = await exec(bin, ['--help'], { cwd: outside, env });
  const problems = [];
  if (help.code !== 0)
    problems.push(`${binName} --help exited ${help.code}:\n${tail(help.stderr || help.stdout)}`);
  else if (!/usage/i.test(help.stdout))
    problems.push(`${binName} --help printed no usage:\n${tail(help.stdout)}`);
  const list = await exec(bin, ['plugins', 'list', '--json'], { cwd: outside, env });
  if (list.code !== 0)
    problems.push(`${binName} plugins list --json exited ${list.code}:\n${tail(list.stderr || list.stdout)}`);
  else {
    try {
      const parsed = JSON.parse(list.stdout);
      const text = JSON.stringify(parsed);
      if (!text.includes('graphon-pai/snip'))
        problems.push(`plugins list --json does not list graphon-pai/snip:\n${tail(list.stdout)}`);
    } catch {
      problems.push(`plugins list --json did not print JSON:\n${tail(list.stdout)}`);
    }
  }
  if (commands.length > 0) {
    const script = ['set -e', ...commands].join('\n');
    const r = await exec('sh', ['-c', script], { cwd: outside, env, timeout: 600_000 });
    if (r.code !== 0)
      problems.push(
        `the shell example of ${p.rel}/README.md exited ${r.code}:\n${tail(r.stderr || r.stdout)}`,
      );
    else
      log(
        `${short}: README shell example (${commands.length} commands) ran in ${(r.ms / 1000).toFixed(0)} s`,
      );
  }
  const ok = problems.length === 0;
  if (ok) proven[key] = true;
  record(short, 'global-bin', ok, problems.join('\n'), { commands });
}

// ---------------------------------------------------------------------------------------------------
// sizes

function writeSizes(selected, packed) {
  const rows = selected
    .filter((p) => packed.get(p.name) && !packed.get(p.name).error)
    .map((p) => {
      const t = packed.get(p.name);
      return `| \`${p.name}\` | ${formatBytes(t.size)} | ${formatBytes(t.unpacked)} | ${t.entries.length} |`;
    });
  const text = [
    '# Tarball sizes',
    '',
    'Written by `node tooling/packaging/check.mjs` from the `pnpm pack` tarballs (packed = the .tgz a user',
    'downloads; unpacked = the files it installs, without dependencies).',
    '',
    '| package | packed | unpacked | files |',
    '| --- | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
  writeFileSync(join(here, 'sizes.md'), text);
}

// ---------------------------------------------------------------------------------------------------

main()
  .catch((error) => {
    record('packaging', 'check', false, String(error?.stack ?? error));
  })
  .finally(() => {
    const passed = results.filter((r) => r.ok).length;
    const failed = results.length - passed;
    if (opts.json) {
      writeFileSync(
        opts.json,
        `${JSON.stringify({ passed, failed, seconds: (Date.now() - t0) / 1000, results }, null, 2)}\n`,
      );
    }
    log(`total ${elapsed()}`);
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
  });
