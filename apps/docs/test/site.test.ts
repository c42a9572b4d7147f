/**
 * The built site in a real browser: Chromium (the system's, else the binary shipped in the npm package
 * `@sparticuz/chromium`; see `browser.ts`) driven by playwright-core opens every page served
 * from `dist/` on loopback and fails on console errors, page errors, failed requests, broken internal links
 * (pages and anchors), images that do not load and math that was not rendered. It also checks that the
 * interactive Vega-Lite figure renders and reacts to its controls, and saves screenshots of the home page
 * and a concept page to `test-output/`. Builds the site first when `dist/` is missing or older than its
 * sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { chooseChromium } from './browser';
import { resolveSitePath, type StaticServer, serveStatic } from '../scripts/lib/static-server';

const docsRoot = resolve(__dirname, '..');
const dist = join(docsRoot, 'dist');
const outDir = join(docsRoot, 'test-output');
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const CONCEPT_PAGES = [
  'concepts/masks-as-graphs.html',
  'concepts/graphons.html',
  'concepts/factorised-saliency-model.html',
  'concepts/cut-distance.html',
  'concepts/uat-condition.html',
  'concepts/graphon-ntk.html',
];
// TeX that survived rendering: display delimiters, inline-math delimiters around a command, or common commands.
const RAW_TEX =
  /\$\$|\\\(|\\\[|\$[^$\n]*\\[a-zA-Z]+|\\(?:frac|mathbb|mathcal|lVert|rVert|sqrt|int|sum|operatorname|varphi|lceil|odot|infty|le|ge)\b/;

function files(dir: string, ext: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, ext, out);
    else if (name.endsWith(ext)) out.push(p);
  }
  return out;
}

function newestSource(): number {
  const roots = [
    join(docsRoot, 'src'),
    join(docsRoot, 'scripts'),
    join(docsRoot, '.vitepress', 'theme'),
    // The plugin guide embeds the example plugin's files.
    join(docsRoot, '..', '..', 'examples', 'plugin-example', 'src'),
  ];
  let newest = statSync(join(docsRoot, '.vitepress', 'config.mts')).mtimeMs;
  for (const r of roots) {
    for (const f of [...files(r, '.md'), ...files(r, '.ts'), ...files(r, '.vue'), ...files(r, '.css')]) {
      // Generated pages are rewritten by every build; only hand-written sources decide staleness.
      if (/src\/(api|cli|benchmarks)\//.test(f)) continue;
      newest = Math.max(newest, statSync(f).mtimeMs);
    }
  }
  return newest;
}

function ensureBuilt(): void {
  const index = join(dist, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestSource()) return;
  execFileSync('pnpm', ['run', 'build'], { cwd: docsRoot, stdio: 'inherit', timeout: 20 * 60_000 });
}

interface PageReport {
  readonly path: string;
  readonly problems: string[];
  readonly links: { href: string; text: string }[];
  readonly ids: string[];
  readonly brokenImages: string[];
  readonly rawTex: string[];
  readonly mathCount: number;
  readonly mathErrors: number;
}

let server: StaticServer;
let context: BrowserContext;
let userDataDir: string;
const reports = new Map<string, PageReport>();
let pages: string[] = [];

async function visit(page: Page, path: string): Promise<PageReport> {
  const problems: string[] = [];
  const onConsole = (msg: { type(): string; text(): string }) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  };
  const onPageError = (err: Error) => problems.push(`page error: ${err.message}`);
  const onRequestFailed = (req: { url(): string; failure(): { errorText: string } | null }) => {
    // VitePress prefetches the pages that links point to; leaving the page aborts those requests.
    // Missing files surface as HTTP errors below, and images are checked on their own.
    if (req.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  };
  const onResponse = (res: { url(): string; status(): number }) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  };
  page.on('console', onConsole);
  page.on('pageerror', onPageError);
  page.on('requestfailed', onRequestFailed);
  page.on('response', onResponse);
  try {
    await page.goto(`${server.origin}/${path}`, { waitUntil: 'load', timeout: 60_000 });
    // Client-side figures finish after load: wait until each one has rendered or failed.
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('figure.vega-figure')).every(
          (f) => f.getAttribute('data-state') !== 'loading',
        ),
      undefined,
      { timeout: 60_000 },
    );
    const info = await page.evaluate(() => {
      const doc = document.querySelector('.vp-doc') ?? document.body;
      const clone = doc.cloneNode(true) as HTMLElement;
      for (const el of Array.from(clone.querySelectorAll('pre, code, mjx-container, script, style, svg')))
        el.remove();
      const text = clone.textContent ?? '';
      return {
        links: Array.from(document.querySelectorAll('a[href]')).map((a) => ({
          href: (a as HTMLAnchorElement).href,
          text: (a.textContent ?? '').trim().slice(0, 60),
        })),
        ids: Array.from(document.querySelectorAll('[id]')).map((e) => e.id),
        brokenImages: Array.from(document.images)
          .filter((img) => !img.complete || img.naturalWidth === 0)
          .map((img) => img.getAttribute('src') ?? '(no src)'),
        text,
        mathCount: document.querySelectorAll('mjx-container svg').length,
        mathErrors: document.querySelectorAll('[data-mml-node="merror"], mjx-merror').length,
        vegaFailed: document.querySelectorAll('figure.vega-figure[data-state="failed"]').length,
      };
    });
    if (info.vegaFailed > 0) problems.push(`${info.vegaFailed} Vega figure(s) failed to render`);
    const rawTex = info.text
      .split(/\n+/)
      .filter((line) => RAW_TEX.test(line))
      .map((line) => line.trim().slice(0, 120));
    return {
      path,
      problems,
      links: info.links,
      ids: info.ids,
      brokenImages: info.brokenImages,
      rawTex,
      mathCount: info.mathCount,
      mathErrors: info.mathErrors,
    };
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onPageError);
    page.off('requestfailed', onRequestFailed);
    page.off('response', onResponse);
  }
}

beforeAll(async () => {
  ensureBuilt();
  pages = files(dist, '.html')
    .map((f) => relative(dist, f).split('\\').join('/'))
    .filter((p) => p !== '404.html')
    .sort();
  server = await serveStatic(dist);
  userDataDir = mkdtempSync(join(tmpdir(), 'graphon-pai-docs-chromium-'));
  const browser = chooseChromium();
  process.stderr.write(`docs browser test: Chromium from ${browser.origin}: ${browser.executablePath}\n`);
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: browser.executablePath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    colorScheme: 'light',
    timeout: 60_000,
  });
  const workers = 2;
  const queue = [...pages];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      const page = await context.newPage();
      for (let path = queue.shift(); path !== undefined; path = queue.shift())
        reports.set(path, await visit(page, path));
      await page.close();
    }),
  );
}, 25 * 60_000);

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe('the built documentation site', () => {
  test('has every hand-written section and one API page per package', () => {
    for (const p of [
      'index.html',
      'guide/getting-started.html',
      'guide/plugins.html',
      'guide/experiments.html',
      'concepts/index.html',
      ...CONCEPT_PAGES,
      'cli/index.html',
      'api/index.html',
      'benchmarks/index.html',
    ]) {
      expect(pages).toContain(p);
    }
    const manifest = JSON.parse(
      readFileSync(join(docsRoot, '.vitepress', 'generated', 'manifest.json'), 'utf8'),
    );
    expect(manifest.apiPackages).toContain('@graphon-pai/core');
    for (const pkg of manifest.apiPackages as string[]) expect(pages).toContain(`api/${pkg}.html`);
    for (const cmd of manifest.cliCommands as string[])
      expect(pages).toContain(`cli/${cmd.split(' ').join('-')}.html`);
  });

  test('every page loads without console errors, page errors or failed requests', () => {
    const failures = [...reports.values()].flatMap((r) => r.problems.map((p) => `${r.path}: ${p}`));
    expect(failures).toEqual([]);
    expect(reports.size).toBe(pages.length);
  });

  test('every internal link points at an existing page and anchor', () => {
    const broken: string[] = [];
    for (const r of reports.values()) {
      for (const { href, text } of r.links) {
        const url = new URL(href);
        if (url.origin !== server.origin) continue;
        const file = resolveSitePath(dist, url.pathname);
        if (!file || file.endsWith('404.html')) {
          broken.push(`${r.path}: "${text}" → ${url.pathname} (no such page)`);
          continue;
        }
        const anchor = decodeURIComponent(url.hash.slice(1));
        if (anchor) {
          const target = reports.get(relative(dist, file).split('\\').join('/'));
          if (target && !target.ids.includes(anchor))
            broken.push(`${r.path}: "${text}" → ${url.pathname}#${anchor} (no such anchor)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  test('every image loads', () => {
    const broken = [...reports.values()].flatMap((r) => r.brokenImages.map((src) => `${r.path}: ${src}`));
    expect(broken).toEqual([]);
  });

  test('all math is rendered (no raw TeX, no MathJax errors) and every concept page has math', () => {
    const raw = [...reports.values()].flatMap((r) => r.rawTex.map((t) => `${r.path}: ${t}`));
    expect(raw).toEqual([]);
    const errors = [...reports.values()].filter((r) => r.mathErrors > 0).map((r) => r.path);
    expect(errors).toEqual([]);
    for (const p of CONCEPT_PAGES) expect(reports.get(p)?.mathCount ?? 0).toBeGreaterThan(0);
  });

  test('the interactive Vega-Lite figure renders and redraws when a control moves', async () => {
    const page = await context.newPage();
    try {
      await page.goto(`${server.origin}/concepts/factorised-saliency-model.html`, { waitUntil: 'load' });
      await page.waitForSelector('figure.vega-figure[data-state="rendered"] svg', { timeout: 60_000 });
      const fills = () =>
        page.$$eval('figure.vega-figure svg path[fill]', (els) =>
          els.map((e) => e.getAttribute('fill')).join('|'),
        );
      const before = await fills();
      expect(before.length).toBeGreaterThan(0);
      const slider = page.locator('figure.vega-figure input[type="range"]').first();
      await slider.evaluate((el: HTMLInputElement) => {
        el.value = '50';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await page.waitForFunction(
        (prev) => {
          const now = Array.from(document.querySelectorAll('figure.vega-figure svg path[fill]'))
            .map((e) => e.getAttribute('fill'))
            .join('|');
          return now !== prev;
        },
        before,
        { timeout: 30_000 },
      );
    } finally {
      await page.close();
    }
  });

  test('screenshots of the home page and a concept page', async () => {
    mkdirSync(outDir, { recursive: true });
    const page = await context.newPage();
    try {
      for (const [path, name] of [
        ['index.html', 'home.png'],
        ['concepts/factorised-saliency-model.html', 'concept.png'],
      ] as const) {
        await page.goto(`${server.origin}/${path}`, { waitUntil: 'load' });
        await page.waitForFunction(
          () =>
            Array.from(document.querySelectorAll('figure.vega-figure')).every(
              (f) => f.getAttribute('data-state') === 'rendered',
            ),
          undefined,
          { timeout: 60_000 },
        );
        const file = join(outDir, name);
        // The home page in full; the concept page as a tall window, so the fixed sidebar is drawn whole.
        if (name === 'home.png') await page.screenshot({ path: file, fullPage: true });
        else {
          await page.setViewportSize({ width: 1280, height: 1700 });
          await page.screenshot({ path: file });
        }
        expect(statSync(file).size).toBeGreaterThan(20_000);
      }
    } finally {
      await page.close();
    }
  });
});
