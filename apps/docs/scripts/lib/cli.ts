/**
 * CLI how-to pages with real output: runs `graphon-pai` from source (no build needed) and pastes its
 * `--help` and the example runs of `cli-commands.ts` into one page per existing command.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandDoc, commandDocs } from './cli-commands';
import { fence, freshDir, log, repoRoot, srcDir, writeText } from './paths';

const bin = join(repoRoot, 'apps', 'cli', 'src', 'bin.ts');
// Absolute loader URL: the examples run in a scratch directory from which `tsx` would not resolve.
const tsxLoader = import.meta.resolve('tsx');

export interface CliRun {
  readonly args: readonly string[];
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(args: readonly string[], cwd: string, timeoutMs = 180_000): CliRun {
  const r = spawnSync(process.execPath, ['--import', tsxLoader, '--conditions=source', bin, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', COLUMNS: '100' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`graphon-pai ${args.join(' ')}: ${r.error.message}`);
  return { args, status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
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

interface PageInfo {
  readonly path: readonly string[];
  readonly title: string;
  readonly description: string;
}

export interface CliResult {
  readonly sidebar: { text: string; link: string }[];
  readonly commands: string[];
}

export function generateCliPages(): CliResult {
  const outDir = join(srcDir, 'cli');
  freshDir(outDir);
  const scratch = mkdtempSync(join(tmpdir(), 'graphon-pai-docs-cli-'));
  try {
    const root = mustRun(['--help'], scratch);
    const version = mustRun(['--version'], scratch).stdout.trim();
    const top = parseCommands(root.stdout);
    const pages: PageInfo[] = [];
    const known = new Map(commandDocs.map((d) => [slug(d.path), d]));

    const addPage = (path: readonly string[], listed: string): void => {
      const doc: CommandDoc | undefined = known.get(slug(path));
      const help = mustRun([...path, '--help'], scratch);
      const parts: string[] = [];
      const title = doc?.title ?? `graphon-pai ${path.join(' ')}`;
      parts.push(`# \`graphon-pai ${path.join(' ')}\`: ${title}`);
      parts.push(doc?.intro ?? listed);
      parts.push(
        '## Usage',
        'The output below is produced by running the command at documentation build time.',
      );
      parts.push(fence(`${shellLine([...path, '--help'])}\n${help.stdout}`));
      if (doc && doc.examples.length > 0) {
        parts.push('## Examples');
        for (const args of doc.examples) {
          const r = mustRun(args, scratch);
          const shown = [r.stdout.trim(), r.stderr.trim()].filter(Boolean).join('\n');
          parts.push(fence(`${shellLine(args)}\n${shown}`));
        }
      }
      parts.push(
        '## Conventions',
        'Every command accepts `--help`, `--seed` (where randomness is involved) and `--json` ' +
          '(machine-readable results on stdout; human text otherwise). Exit codes: `0` success, `2` bad ' +
          'usage or input (the message names the input and the fix), `1` internal error.',
      );
      writeText(join(outDir, `${slug(path)}.md`), parts.join('\n\n'));
      pages.push({ path, title, description: listed || doc?.title || '' });
    };

    for (const cmd of top) {
      const doc = known.get(cmd.name);
      if (doc || !commandDocs.some((d) => d.path[0] === cmd.name)) {
        addPage([cmd.name], cmd.description);
      }
      // Sub-commands the table documents (e.g. `plugins list`) get their own page when they exist.
      const subDocs = commandDocs.filter((d) => d.path.length > 1 && d.path[0] === cmd.name);
      if (subDocs.length > 0) {
        const subHelp = mustRun([cmd.name, '--help'], scratch);
        const subs = parseCommands(subHelp.stdout);
        for (const sub of subs) addPage([cmd.name, sub.name], sub.description);
      }
    }

    const missing = commandDocs.filter((d) => !pages.some((p) => slug(p.path) === slug(d.path)));
    if (missing.length > 0) {
      log(`CLI commands not present yet (no page): ${missing.map((d) => d.path.join(' ')).join(', ')}`);
    }

    const index: string[] = [
      '# The `graphon-pai` command line',
      'The CLI composes every package: prune, estimate mask graphons, compute limits, measure cut distances, ' +
        'evaluate bounds and reproduce the experiments. Install it globally or run it with `npx`:',
      fence('npm i -g @graphon-pai/cli\ngraphon-pai --help', 'sh'),
      `This page was generated with \`graphon-pai ${version}\`, run from the repository sources.`,
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
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
