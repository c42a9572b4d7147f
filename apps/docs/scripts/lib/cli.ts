/**
 * CLI how-to pages with real output: runs `graphon-pai` and pastes its `--help`, the example runs of
 * `cli-commands.ts` (stdout) and the figures they write into one page per existing command.
 *
 * The CLI run is the built one (`apps/cli/dist/bin.js`) when it is up to date with the sources of the CLI
 * and of every workspace package it imports (the turbo pipeline builds them before the docs), and the
 * sources through `tsx` otherwise (a fresh clone needs no build; each run then pays ~4 s of transpiling).
 * `GRAPHON_PAI_DOCS_CLI=dist|source` forces one or the other.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandDoc, commandDocs, type Example, type ExampleExcerpt } from './cli-commands';
import { childCpuSeconds, fence, figuresDir, freshDir, log, repoRoot, srcDir, writeText } from './paths';

const cliDir = join(repoRoot, 'apps', 'cli');
const sourceBin = join(cliDir, 'src', 'bin.ts');
const distBin = join(cliDir, 'dist', 'bin.js');
// Absolute loader URL: the examples run in a scratch directory from which `tsx` would not resolve.
const tsxLoader = import.meta.resolve('tsx');

/** Newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

/** Directories of the workspace packages the CLI imports, transitively (`workspace:` dependencies). */
function workspaceClosure(): { dir: string; entry: string }[] {
  const byName = new Map<string, string>();
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(repoRoot, group))) {
      const file = join(repoRoot, group, name, 'package.json');
      if (existsSync(file))
        byName.set(JSON.parse(readFileSync(file, 'utf8')).name, join(repoRoot, group, name));
    }
  }
  const seen = new Set<string>();
  const visit = (dir: string): void => {
    if (seen.has(dir)) return;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    for (const [dep, range] of Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies })) {
      const depDir = byName.get(dep);
      if (depDir && String(range).startsWith('workspace:')) visit(depDir);
    }
  };
  visit(cliDir);
  return [...seen].map((dir) => ({ dir, entry: dir === cliDir ? distBin : join(dir, 'dist', 'index.js') }));
}

/** True when the built CLI and every package it imports are newer than their sources. */
function distIsFresh(): boolean {
  for (const { dir, entry } of workspaceClosure()) {
    if (!existsSync(entry)) return false;
    const built = statSync(entry).mtimeMs;
    if (built < newest(join(dir, 'src')) || built < statSync(join(dir, 'package.json')).mtimeMs) return false;
  }
  return true;
}

let launcher: string[] | undefined;

/** The node arguments that start `graphon-pai` (decided once per build). */
function cliLauncher(): string[] {
  if (launcher) return launcher;
  const forced = process.env.GRAPHON_PAI_DOCS_CLI;
  const useDist = forced === 'dist' || (forced !== 'source' && distIsFresh());
  launcher = useDist ? [distBin] : ['--import', tsxLoader, '--conditions=source', sourceBin];
  log(
    useDist
      ? 'CLI: the built apps/cli/dist/bin.js'
      : 'CLI: from source through tsx (apps/cli/dist is missing or older than the sources; `pnpm --filter @graphon-pai/cli... build` makes this faster)',
  );
  return launcher;
}

export interface CliRun {
  readonly args: readonly string[];
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
  /** CPU seconds of the run (user + system); on a loaded machine a better measure than wall time. */
  readonly cpuSeconds: number;
}

export function runCli(args: readonly string[], cwd: string, timeoutMs = 180_000): CliRun {
  const t0 = Date.now();
  const c0 = childCpuSeconds();
  const r = spawnSync(process.execPath, [...cliLauncher(), ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', COLUMNS: '100' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`graphon-pai ${args.join(' ')}: ${r.error.message}`);
  return {
    args,
    status: r.status ?? 1,
    stdout: r.stdout,
    stderr: r.stderr,
    seconds: (Date.now() - t0) / 1000,
    cpuSeconds: childCpuSeconds() - c0,
  };
}

/** Runs and insists on exit code 0: a documented invocation that fails is a broken build. */
function mustRun(args: readonly string[], cwd: string): CliRun {
  const r = runCli(args, cwd);
  if (r.status !== 0) {
    throw new Error(
      `graphon-pai ${args.join(' ')} exited with ${r.status} while generating the docs\n` +
        `--- stdout ---\n${r.stdout}\n--- stderr ---\n${r.stderr}`,
    );
  }
  return r;
}

export interface ListedCommand {
  readonly name: string;
  readonly description: string;
}

/** The `Commands:` section of a commander help text. */
export function parseCommands(help: string): ListedCommand[] {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => /^Commands:\s*$/.test(l));
  if (start < 0) return [];
  const out: ListedCommand[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // next section
    const m = /^ {2}(\S+)(?:.*?\s{2,}(\S.*))?$/.exec(line);
    if (m) {
      if (m[1] !== 'help') out.push({ name: m[1], description: (m[2] ?? '').trim() });
    } else if (out.length > 0 && line.trim()) {
      const last = out[out.length - 1];
      out[out.length - 1] = { ...last, description: `${last.description} ${line.trim()}`.trim() };
    }
  }
  return out;
}

function slug(path: readonly string[]): string {
  return path.join('-');
}

function shellLine(args: readonly string[]): string {
  return `$ graphon-pai ${args.map((a) => (/^[\w./:=@,+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

interface PageInfo {
  readonly path: readonly string[];
  readonly title: string;
  readonly description: string;
}

export interface CliResult {
  readonly sidebar: { text: string; link: string }[];
  readonly commands: string[];
  /** Seconds spent in the example runs (not counting `--help`). */
  readonly exampleSeconds: number;
}

/** Runs every documented example of the commands that exist, in table order, in one scratch directory. */
function runExamples(exists: (path: readonly string[]) => boolean, scratch: string) {
  const outputs = new Map<string, string[]>();
  const figureOut = join(figuresDir, 'cli');
  freshDir(figureOut);
  let seconds = 0;
  let cpuSeconds = 0;
  for (const doc of commandDocs) {
    if (!exists(doc.path)) continue;
    const parts: string[] = [];
    for (const example of doc.examples) {
      const r = mustRun(example.args, scratch);
      seconds += r.seconds;
      cpuSeconds += r.cpuSeconds;
      log(
        `  graphon-pai ${example.args.join(' ')}: ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s)`,
      );
      parts.push(example.text, fence(`${shellLine(example.args)}\n${r.stdout.trim()}`));
      for (const figure of exampleFigures(example)) {
        const from = join(scratch, figure.file);
        if (!existsSync(from)) {
          throw new Error(
            `graphon-pai ${example.args.join(' ')} did not write ${figure.file} (documented figure)`,
          );
        }
        const name = `${slug(doc.path)}-${figure.file.replace(/\//g, '-')}`;
        copyFileSync(from, join(figureOut, name));
        parts.push(
          '<figure class="static-figure">\n' +
            `  <img src="/figures/cli/${name}" alt="${escapeHtml(figure.alt)}">\n` +
            `  <figcaption>${escapeHtml(figure.caption)}</figcaption>\n` +
            '</figure>',
        );
      }
      for (const excerpt of example.excerpts ?? [])
        parts.push(markdownExcerpt(scratch, example.args, excerpt));
    }
    outputs.set(slug(doc.path), parts);
  }
  return { outputs, seconds, cpuSeconds };
}

/**
 * The `## ` section of a Markdown file an example wrote, collapsed under its file name; its `### `
 * headings become bold lines so that they stay out of the page outline.
 */
function markdownExcerpt(scratch: string, args: readonly string[], excerpt: ExampleExcerpt): string {
  const path = join(scratch, excerpt.file);
  const lines = existsSync(path) ? readFileSync(path, 'utf8').split('\n') : [];
  const start = lines.findIndex((l) => l.startsWith(`## ${excerpt.section}`));
  if (start < 0) {
    throw new Error(
      `graphon-pai ${args.join(' ')} did not write a section "## ${excerpt.section}" in ${excerpt.file} (documented excerpt)`,
    );
  }
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  const body = lines
    .slice(start + 1, end < 0 ? lines.length : end)
    .map((l) => (l.startsWith('### ') ? `**${l.slice(4)}**` : l))
    .join('\n')
    .trim();
  const summary = `${excerpt.file}: ${lines[start].slice(3)}`;
  return `<details class="report-excerpt">\n<summary>${escapeHtml(summary)}</summary>\n\n${body}\n\n</details>`;
}

function exampleFigures(example: Example) {
  return example.figures ?? [];
}

export function generateCliPages(): CliResult {
  const outDir = join(srcDir, 'cli');
  freshDir(outDir);
  const scratch = mkdtempSync(join(tmpdir(), 'graphon-pai-docs-cli-'));
  try {
    const root = mustRun(['--help'], scratch);
    const version = mustRun(['--version'], scratch).stdout.trim();
    const known = new Map(commandDocs.map((d) => [slug(d.path), d]));

    // Which pages exist: every top-level command (a pure group such as `plugins` only through its
    // documented sub-commands) and every sub-command, each with its own --help.
    const listed: { path: string[]; description: string; help: string }[] = [];
    for (const cmd of parseCommands(root.stdout)) {
      const help = mustRun([cmd.name, '--help'], scratch).stdout;
      const subs = parseCommands(help);
      const subDocumented = commandDocs.some((d) => d.path.length > 1 && d.path[0] === cmd.name);
      if (known.has(cmd.name) || !subDocumented || subs.length === 0) {
        listed.push({ path: [cmd.name], description: cmd.description, help });
      }
      for (const sub of subs) {
        const subHelp = mustRun([cmd.name, sub.name, '--help'], scratch).stdout;
        listed.push({ path: [cmd.name, sub.name], description: sub.description, help: subHelp });
      }
    }
    // The order of the table (the order a session would use them), then commands it does not know.
    const rank = (path: readonly string[]) => {
      const i = commandDocs.findIndex((d) => slug(d.path) === slug(path));
      return i < 0 ? commandDocs.length : i;
    };
    listed.sort((a, b) => rank(a.path) - rank(b.path));
    const exists = (path: readonly string[]) => listed.some((l) => slug(l.path) === slug(path));
    const missing = commandDocs.filter((d) => !exists(d.path));
    if (missing.length > 0) {
      log(`CLI commands not present yet (no page): ${missing.map((d) => d.path.join(' ')).join(', ')}`);
    }
    const examples = runExamples(exists, scratch);
    log(`CLI examples: ${examples.seconds.toFixed(1)} s (CPU ${examples.cpuSeconds.toFixed(1)} s)`);

    const pages: PageInfo[] = [];
    for (const { path, description, help } of listed) {
      const doc: CommandDoc | undefined = known.get(slug(path));
      const title = doc?.title ?? `graphon-pai ${path.join(' ')}`;
      const parts: string[] = [`# \`graphon-pai ${path.join(' ')}\`: ${title}`, doc?.intro ?? description];
      const ran = examples.outputs.get(slug(path)) ?? [];
      if (ran.length > 0) {
        parts.push(
          '## Examples',
          'Each command below was run when this page was built, in one scratch directory, in the order of ' +
            'the [CLI pages](./); the output shown is its standard output (progress goes to standard error).',
          ...ran,
        );
      }
      parts.push('## Usage', fence(`${shellLine([...path, '--help'])}\n${help}`));
      parts.push(
        '## Conventions',
        'Every command accepts `--help`, `--seed` (where randomness is involved) and `--json` ' +
          '(machine-readable results on stdout; human text otherwise). Exit codes: `0` success, `2` bad ' +
          'usage or input (the message names the input and the fix), `1` internal error.',
      );
      writeText(join(outDir, `${slug(path)}.md`), parts.join('\n\n'));
      pages.push({ path, title, description: description || doc?.title || '' });
    }

    const index: string[] = [
      '# The `graphon-pai` command line',
      'The CLI composes every package: prune, inspect masks, estimate mask graphons, measure cut distances ' +
        'and reproduce the experiments. Install it globally or run it with `npx`:',
      fence('npm i -g @graphon-pai/cli\ngraphon-pai --help', 'sh'),
      `This page was generated with \`graphon-pai ${version}\`. Every command page shows real runs: a ` +
        'small MLP pruned with SNIP and at random, its masks inspected, their graphons estimated and ' +
        'compared, and a miniature experiment, run in this order when the site was built.',
      '## Commands',
    ];
    if (pages.length > 0) {
      index.push(
        '| command | what it does |\n| --- | --- |\n' +
          pages
            .map(
              (p) =>
                `| [\`${p.path.join(' ')}\`](./${slug(p.path)}) | ${p.description.replace(/\|/g, '\\|')} |`,
            )
            .join('\n'),
      );
    } else {
      index.push('This build of the CLI has no sub-commands yet; only the global options below exist.');
    }
    index.push('## Global help', fence(`${shellLine(['--help'])}\n${root.stdout}`));
    writeText(join(outDir, 'index.md'), index.join('\n\n'));
    log(`CLI pages: ${pages.map((p) => p.path.join(' ')).join(', ') || '(none)'}`);
    return {
      sidebar: [
        { text: 'Overview', link: '/cli/' },
        ...pages.map((p) => ({ text: p.path.join(' '), link: `/cli/${slug(p.path)}` })),
      ],
      commands: pages.map((p) => p.path.join(' ')),
      exampleSeconds: examples.seconds,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
