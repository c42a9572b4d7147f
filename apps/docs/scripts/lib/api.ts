/**
 * API reference: typedoc (markdown output, VitePress flavour) over every package's `src/index.ts`, one
 * section per package with its README on top, so the README, the TSDoc headers and the site say the same.
 * TypeScript errors and typedoc errors fail the build; warnings are printed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { docsRoot, freshDir, generatedDir, log, repoRoot, srcDir, writeText } from './paths';

const REPO_URL = 'https://github.com/graphon-pai/graphon-pai';

/** Published workspace packages with a public entry point, in dependency order where it matters for reading. */
export function apiPackages(): string[] {
  const order = [
    'core',
    'linalg',
    'nets',
    'saliency',
    'masks',
    'graphon',
    'expressions',
    'figures',
    'cut-distance',
    'bounds',
    'testkit',
  ];
  const isPublished = (d: string) =>
    JSON.parse(readFileSync(join(repoRoot, 'packages', d, 'package.json'), 'utf8')).private !== true;
  const dirs = readdirSync(join(repoRoot, 'packages'))
    .filter((d) => existsSync(join(repoRoot, 'packages', d, 'src', 'index.ts')) && isPublished(d))
    .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b))
    .map((d) => join(repoRoot, 'packages', d));
  if (existsSync(join(repoRoot, 'apps', 'cli', 'src', 'index.ts'))) dirs.push(join(repoRoot, 'apps', 'cli'));
  return dirs;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.md')) out.push(p);
  }
  return out;
}

function linkTargetExists(fromFile: string, target: string): boolean {
  const path = decodeURI(target.split('#')[0]);
  if (path === '') return true;
  const abs = resolve(dirname(fromFile), path);
  return (
    existsSync(abs) ||
    existsSync(`${abs}.md`) ||
    existsSync(join(abs, 'index.md')) ||
    existsSync(abs.replace(/\.html$/, '.md'))
  );
}

/**
 * Source links: typedoc (without git) labels them with the path from the repository root
 * (`[apps/cli/src/io.ts:5](…)`) but builds the URL from another base (`…/blob/main/cli/src/io.ts`,
 * `…/blob/main/../packages/core/…`). The URL is rebuilt from the label.
 */
export function sourceLinks(markdown: string): string {
  return markdown.replace(
    /\[([\w@./-]+\.[cm]?tsx?):(\d+)\]\(https:\/\/github\.com\/graphon-pai\/graphon-pai\/blob\/main\/[^)#\s]*#L\d+\)/g,
    (_all, path: string, line: string) => `[${path}:${line}](${REPO_URL}/blob/main/${path}#L${line})`,
  );
}

/** VitePress's heading slug (@mdit-vue/shared `slugify`; headings hold no control characters). */
function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036F]/g, '')
    .replace(/[\s~`!@#$%^&*()\-_+=[\]{}|\\;:"'“”‘’<>,.?/]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '')
    .replace(/^(\d)/, '_$1')
    .toLowerCase();
}

/**
 * Same-page links typedoc numbers (`#convnetlayer-1`) when it counts a name twice but the page has one
 * heading of that name (VitePress gives it `#convnetlayer`): such links point at the heading that exists.
 */
export function pageAnchors(markdown: string): string {
  const ids = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of markdown.split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*$/.exec(line);
    if (heading) {
      const base = slugify(heading[1].replace(/\\(.)/g, '$1'));
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      ids.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a id="([^"]+)"/g)) ids.add(m[1]);
  }
  return markdown.replace(/\]\(#([^)\s]+)-(\d+)\)/g, (all, base: string, n: string) =>
    ids.has(`${base}-${n}`) || !ids.has(base) ? all : `](#${base})`,
  );
}

/**
 * README links point into the repository (`../core`, `bench/results.json`); on the site they would be dead.
 * Links that do not resolve inside the generated tree are pointed at the file on GitHub instead.
 */
function rewriteRepoLinks(apiDir: string, packageDirs: Map<string, string>): number {
  let rewritten = 0;
  for (const file of walk(apiDir)) {
    const rel = relative(apiDir, file).split('/');
    const pkgName = rel.length > 1 ? `${rel[0]}/${rel[1]}` : '';
    const pkgDir = packageDirs.get(pkgName);
    const text = pageAnchors(sourceLinks(readFileSync(file, 'utf8')));
    const next = text.replace(
      /(!?)\[([^\]]*)\]\(([^)\s]+)\)/g,
      (all, bang: string, label: string, target: string) => {
        if (/^(https?:|mailto:|#|\/)/.test(target) || linkTargetExists(file, target)) return all;
        const base = pkgDir ? relative(repoRoot, pkgDir) : '';
        const url = `${REPO_URL}/blob/main/${join(base, target).replace(/\\/g, '/')}`;
        rewritten++;
        return bang ? `[${label || 'image'}](${url})` : `[${label}](${url})`;
      },
    );
    writeFileSync(file, next);
  }
  return rewritten;
}

export interface ApiResult {
  readonly sidebar: unknown[];
  readonly packages: string[];
}

/** The `@packageDocumentation` text of an entry point, without the comment markers and tags. */
function packageDocumentation(indexFile: string): string {
  const text = readFileSync(indexFile, 'utf8');
  const m = /\/\*\*([\s\S]*?)\*\//.exec(text);
  if (!m?.[1].includes('@packageDocumentation')) return '';
  return m[1]
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n')
    .replace('@packageDocumentation', '')
    .trim();
}

/** A README as module documentation: the title (typedoc prints its own) and comment terminators removed. */
function readmeBody(dir: string): string {
  const file = join(dir, 'README.md');
  if (!existsSync(file)) return '';
  return escapeTablePipes(
    readFileSync(file, 'utf8')
      .replace(/^# .*\n+/, '')
      .replace(/\*\//g, '*\u200b/')
      .trim(),
  );
}

/**
 * A `|` inside inline code in a table row ends the cell for markdown-it (GitHub is lenient), so
 * `` `|∫ U|` `` rendered as a lone backtick: such pipes are escaped (`\|`), which both render as `|`.
 */
export function escapeTablePipes(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      /^\s*\|/.test(line) ? line.replace(/`[^`\n]*`/g, (code) => code.replace(/(?<!\\)\|/g, '\\|')) : line,
    )
    .join('\n');
}

/**
 * One entry file per package that re-exports its public surface (`export * from '@graphon-pai/x'`, resolved
 * to `src/` through the `source` condition) and carries the README as module documentation. One TypeScript
 * program covers every package (fast, and immune to other packages' test files coming and going).
 */
function writeEntries(names: Map<string, string>): string[] {
  const dir = join(generatedDir, 'entries');
  freshDir(dir);
  const files: string[] = [];
  for (const [name, pkgDir] of names) {
    const summary = packageDocumentation(join(pkgDir, 'src', 'index.ts'));
    const readme = readmeBody(pkgDir);
    // The README usually opens with the same sentence as the header doc: show the README when there is one.
    const doc = readme || summary;
    const file = join(dir, `${name.replace('@graphon-pai/', '')}.ts`);
    const comment = `${doc}\n\n@module ${name}`
      .split('\n')
      .map((l) => ` * ${l}`.trimEnd())
      .join('\n');
    writeText(file, `/**\n${comment}\n */\nexport * from '${name}';\n`);
    files.push(file);
  }
  writeText(
    join(generatedDir, 'tsconfig.typedoc.json'),
    JSON.stringify(
      {
        extends: join(repoRoot, 'tsconfig.base.json'),
        compilerOptions: {
          lib: ['ES2023', 'DOM'],
          types: ['node', 'jest'],
          noEmit: true,
          skipLibCheck: true,
        },
        files,
      },
      null,
      2,
    ),
  );
  return files;
}

export function generateApi(): ApiResult {
  const outDir = join(srcDir, 'api');
  freshDir(outDir);
  const names = new Map<string, string>();
  for (const dir of apiPackages()) {
    const name = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name as string;
    names.set(name, dir);
  }
  const entries = writeEntries(names);
  const readme = join(generatedDir, 'api-readme.md');
  writeText(
    readme,
    [
      '# API reference',
      'Generated at build time from the TSDoc comments of each package\u2019s public entry point ' +
        '(`src/index.ts`), with the package README on top of its section, so the README, the header docs ' +
        'and this site cannot disagree. Everything listed is importable from the package root, e.g. ' +
        "`import { BitMatrix } from '@graphon-pai/core'`.",
    ].join('\n\n'),
  );
  const options = {
    entryPointStrategy: 'resolve',
    entryPoints: entries,
    tsconfig: join(generatedDir, 'tsconfig.typedoc.json'),
    plugin: ['typedoc-plugin-markdown', 'typedoc-vitepress-theme'],
    out: outDir,
    docsRoot: srcDir,
    readme,
    name: 'API reference',
    mergeReadme: true,
    // One page per package: the reference reads top to bottom and every page stays small.
    outputFileStrategy: 'modules',
    excludeInternal: true,
    excludePrivate: true,
    excludeExternals: true,
    hidePageHeader: true,
    useCodeBlocks: true,
    parametersFormat: 'table',
    interfacePropertiesFormat: 'table',
    classPropertiesFormat: 'table',
    enumMembersFormat: 'table',
    typeDeclarationFormat: 'table',
    disableGit: true,
    sourceLinkTemplate: `${REPO_URL}/blob/main/{path}#L{line}`,
    basePath: repoRoot,
    sidebar: { autoConfiguration: true, collapsed: true, pretty: true },
    logLevel: 'Info',
  };
  const optionsFile = join(generatedDir, 'typedoc.json');
  writeText(optionsFile, JSON.stringify(options, null, 2));
  const r = spawnSync(
    process.execPath,
    [
      '--conditions=source',
      join(docsRoot, 'node_modules', 'typedoc', 'bin', 'typedoc'),
      '--options',
      optionsFile,
    ],
    {
      cwd: generatedDir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 300_000,
    },
  );
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const warnings = output.split('\n').filter((l) => /\[warning\]/.test(l));
  for (const w of warnings) log(`typedoc ${w.trim()}`);
  if (
    r.status !== 0 ||
    /\berror\b/i.test(output.replace(/Found 0 errors/g, '')) ||
    !existsSync(join(outDir, 'index.md'))
  ) {
    throw new Error(`typedoc failed (exit ${r.status}):\n${output}`);
  }
  const rewritten = rewriteRepoLinks(outDir, names);
  if (rewritten > 0) log(`API: pointed ${rewritten} README link(s) that leave the site at GitHub`);
  const sidebarFile = join(outDir, 'typedoc-sidebar.json');
  const order = [...names.keys()];
  if (!existsSync(sidebarFile)) throw new Error(`typedoc wrote no sidebar (${sidebarFile})`);
  const sidebar = (JSON.parse(readFileSync(sidebarFile, 'utf8')) as { text: string; link?: string }[])
    .sort((a, b) => (order.indexOf(a.text) + 1 || 99) - (order.indexOf(b.text) + 1 || 99))
    .map((item) => (item.link ? { ...item, link: item.link.replace(/\.md$/, '') } : item));
  log(`API reference: ${[...names.keys()].join(', ')}`);
  return { sidebar: [{ text: 'Overview', link: '/api/' }, ...sidebar], packages: [...names.keys()] };
}
