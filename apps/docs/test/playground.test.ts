/**
 * The playground (/playground) of the built site in headless Chromium (launcher of `browser.ts`), against
 * the CLI for the same settings:
 *
 * - the shipped digits are exactly `mnistSubset({ count, seed })`'s for every offered seed and count (the
 *   build checks it; checked here again, and the file format round-trips);
 * - SNIP at n = 1024 on 512 digits and magnitude at n = 256, run through the form: density (kept fraction
 *   over all layers) and kept count equal `graphon-pai prune --allocation uniform --json`'s, `activeInputs`
 *   equals the input columns of the CLI's mask file that keep a weight, and `distanceToConstant` equals the
 *   upper bound of `graphon-pai cut <mask> const:p --alignment canonical` (and its aligned lower bound) to
 *   1e-9 relative; SNIP's run (engine and digits loading included) takes under 10 s;
 * - no request leaves the site, and everything the page loaded through the first run weighs under 5 MB;
 * - an out-of-range width is refused in the form with the allowed range shown; a browser without
 *   WebAssembly SIMD gets a message instead of the form.
 *
 * Builds the site first when `dist/playground.html` is missing or older than the playground's sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readMaskFile } from '@graphon-pai/core';
import { mnistSubset } from '@graphon-pai/nets';
import { type Browser, chromium, type Page } from 'playwright-core';
import {
  DIGIT_COUNTS,
  DIGIT_SEEDS,
  decodeDigitFile,
  digitBatch,
  encodeDigitFile,
} from '../playground/digits';
import { playgroundDigits } from '../scripts/lib/playground-digits';
import { resolveSitePath, type StaticServer, serveStatic } from '../scripts/lib/static-server';
import { chooseChromium } from './browser';

const docsRoot = resolve(__dirname, '..');
const dist = join(docsRoot, 'dist');
const cliBin = join(docsRoot, '..', 'cli', 'src', 'bin.ts');

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    t = Math.max(t, statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

function ensureBuilt(): void {
  const page = join(dist, 'playground.html');
  const sources = Math.max(
    newest(join(docsRoot, 'playground')),
    statSync(join(docsRoot, 'src', 'playground.md')).mtimeMs,
    statSync(join(docsRoot, 'scripts', 'lib', 'playground.ts')).mtimeMs,
  );
  if (existsSync(page) && statSync(page).mtimeMs >= sources) return;
  execFileSync('pnpm', ['run', 'build'], { cwd: docsRoot, stdio: 'inherit', timeout: 20 * 60_000 });
}

/** `graphon-pai <args> --json`, from source, parsed. */
function cli(args: string[]): Record<string, unknown> {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', cliBin, ...args, '--json'],
    {
      cwd: docsRoot,
      encoding: 'utf8',
      timeout: 5 * 60_000,
    },
  );
  return JSON.parse(out) as Record<string, unknown>;
}

interface PageResult {
  criterion: string;
  width: number;
  density: number;
  kept: number;
  activeInputs: number;
  distanceToConstant: number;
  toConstant: { upperBound: number; alignedLowerBound: number };
}

describe('playground digits', () => {
  test('every offered subset is mnistSubset({ count, seed }) exactly, and the file round-trips', async () => {
    const file = await playgroundDigits(); // throws unless every subset equals mnistSubset's batch
    expect(file.subsets.size).toBe(DIGIT_SEEDS.length * DIGIT_COUNTS.length);
    const again = decodeDigitFile(encodeDigitFile(file));
    const ours = digitBatch(again, 2, 256);
    const cli = await mnistSubset({ count: 256, seed: 2 });
    expect(Array.from(ours.labels!)).toEqual(Array.from(cli.labels!));
    expect(ours.inputs).toEqual(cli.inputs);
    expect(() => digitBatch(again, 9, 256)).toThrow(/offers seeds 0, 1, 2, 3/);
  }, 300_000);
});

describe('playground in the browser', () => {
  let server: StaticServer;
  let browser: Browser;
  let work: string;

  beforeAll(async () => {
    ensureBuilt();
    server = await serveStatic(dist, 0);
    browser = await chromium.launch({
      executablePath: chooseChromium().executablePath,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu'],
      timeout: 60_000,
    });
    work = mkdtempSync(join(tmpdir(), 'graphon-pai-playground-'));
  }, 30 * 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function openPlayground(page: Page): Promise<void> {
    await page.goto(`${server.origin}/playground.html`);
    await page.waitForSelector('[data-testid=run]', { timeout: 60_000 });
  }

  async function run(page: Page, criterion: string, width: number, density: number, seed: number) {
    await page.selectOption('[data-testid=criterion]', criterion);
    await page.fill('[data-testid=width]', String(width));
    await page.fill('[data-testid=density]', String(density));
    await page.selectOption('[data-testid=seed]', String(seed));
    await page.selectOption('[data-testid=digits]', '512');
    const t0 = Date.now();
    await page.click('[data-testid=run]');
    await page.waitForSelector('[data-testid=result][data-state=done]', { timeout: 5 * 60_000 });
    const seconds = (Date.now() - t0) / 1000;
    return { result: JSON.parse((await page.textContent('[data-testid=result]'))!) as PageResult, seconds };
  }

  test(
    'two criteria give the CLI numbers, nothing leaves the site, first load under 5 MB',
    async () => {
      const context = await browser.newContext();
      const outside: string[] = [];
      await context.route('**/*', (route) => {
        if (route.request().url().startsWith(server.origin)) return route.continue();
        outside.push(route.request().url());
        return route.abort();
      });
      const loaded = new Set<string>();
      context.on('requestfinished', (r) => loaded.add(new URL(r.url()).pathname));
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await openPlayground(page);
      const cases = [
        { criterion: 'snip', width: 1024, density: 0.1, seed: 0 },
        { criterion: 'magnitude', width: 256, density: 0.2, seed: 1 },
      ];
      for (const [k, c] of cases.entries()) {
        const { result, seconds } = await run(page, c.criterion, c.width, c.density, c.seed);
        process.stderr.write(
          `[playground] ${c.criterion} n=${c.width}: ${seconds.toFixed(1)} s in Chromium\n`,
        );
        if (k === 0) {
          expect(seconds).toBeLessThan(10);
          let bytes = 0;
          for (const p of loaded) bytes += statSync(resolveSitePath(dist, p)!).size;
          process.stderr.write(
            `[playground] first load: ${(bytes / 1e6).toFixed(2)} MB in ${loaded.size} files\n`,
          );
          expect(bytes).toBeLessThan(5e6);
        }
        const maskFile = join(work, `${c.criterion}.safetensors`);
        const pruned = cli([
          'prune',
          ...['--net', `mlp:784-${c.width}-10`, '--data', 'mnist', '--samples', '512'],
          ...['--criterion', c.criterion, '--density', String(c.density), '--allocation', 'uniform'],
          ...['--seed', String(c.seed), '--out', maskFile],
        ]);
        const first = readMaskFile(maskFile).mask.get('0.weight')!;
        const cut = cli([
          'cut',
          maskFile,
          `const:${c.density}`,
          ...['--layer', '0.weight', '--alignment', 'canonical', '--seed', String(c.seed)],
        ]);
        expect(result.criterion).toBe(c.criterion);
        expect(result.width).toBe(c.width);
        expect(result.density).toBe(pruned.density);
        expect(result.kept).toBe(pruned.kept);
        expect(result.activeInputs).toBe(first.colDegrees().filter((d) => d > 0).length);
        const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
        expect(rel(result.distanceToConstant, cut.upperBound as number)).toBeLessThan(1e-9);
        expect(rel(result.toConstant.alignedLowerBound, cut.alignedLowerBound as number)).toBeLessThan(1e-9);
      }
      expect(outside).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    },
    15 * 60_000,
  );

  test(
    'sweep widths plots δ against width as each width finishes; random pruning approaches p',
    async () => {
      const page = await browser.newPage();
      await openPlayground(page);
      await page.selectOption('[data-testid=criterion]', 'random');
      await page.click('[data-testid=sweep]');
      await page.waitForSelector('[data-testid=sweep-result][data-state=done]', { timeout: 10 * 60_000 });
      const points = JSON.parse((await page.textContent('[data-testid=sweep-result]'))!) as {
        width: number;
        toConstant: number;
      }[];
      expect(points.map((p) => p.width)).toEqual([64, 128, 256, 512, 1024, 2048]);
      expect(await page.locator('.playground-sweep circle').count()).toBeGreaterThanOrEqual(
        2 * points.length - 2,
      );
      // A random mask's distance to the constant p shrinks with width (≈ n^(-1/2) until the d = 784 floor).
      expect(points[points.length - 1].toConstant).toBeLessThan(0.6 * points[0].toConstant);
      await page.close();
    },
    15 * 60_000,
  );

  test('an out-of-range width is refused in the form, with the range shown', async () => {
    const page = await browser.newPage();
    await openPlayground(page);
    await page.fill('[data-testid=width]', '5000');
    await page.click('[data-testid=run]');
    expect(await page.textContent('[data-testid=problems]')).toMatch(/width: an integer from 64 to 2048/);
    expect(await page.getAttribute('[data-testid=result]', 'data-state')).toBe('idle');
    await page.fill('[data-testid=width]', '256');
    await page.fill('[data-testid=density]', '0.9');
    await page.click('[data-testid=run]');
    expect(await page.textContent('[data-testid=problems]')).toMatch(
      /density: a kept fraction from 0.01 to 0.5/,
    );
    await page.close();
  }, 120_000);

  test('a browser without WebAssembly SIMD gets a clear message', async () => {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      WebAssembly.validate = () => false;
    });
    await page.goto(`${server.origin}/playground.html`);
    const message = await page.waitForSelector('[data-testid=no-simd]', { timeout: 60_000 });
    expect(await message.textContent()).toMatch(/needs WebAssembly SIMD/);
    expect(await page.$('[data-testid=run]')).toBeNull();
    await page.close();
  }, 120_000);
});
