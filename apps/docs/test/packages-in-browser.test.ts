/**
 * The numeric packages run in browsers. Each of core, linalg, nets, saliency, masks, graphon and cut-distance
 * is bundled by esbuild for the browser, through its `browser` export condition (`dist/browser.js`, built by
 * `pnpm build`), and loaded in headless Chromium (the launcher of `browser.ts`):
 *
 * - every name the package exports in Node is exported in the browser bundle too, and the bundle holds no
 *   import of a Node built-in;
 * - a small computation through all of them (`browser-packages/probe.ts`: RNG stream, GEMM, eigenvalues,
 *   an MLP's initial weights, SNIP scores, an exact-density mask, its canonical step graphon and its cut
 *   distance to the constant) gives in Chromium what it gives in Node: integers and masks exactly, floats
 *   to 1e-12 relative (float64 linear algebra may run on a native provider in Node) or to float32 rounding
 *   (network passes, tfjs's cpu backend on both sides);
 * - a Node-only function (reading a file) fails in the browser with a message saying so.
 */
import { existsSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, resolve } from 'node:path';
import * as core from '@graphon-pai/core';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { chooseChromium } from './browser';
import { probe, type ProbeResult } from './browser-packages/probe';

const repo = resolve(__dirname, '..', '..', '..');
const PACKAGES = ['core', 'linalg', 'nets', 'saliency', 'masks', 'graphon', 'cut-distance'] as const;

/**
 * Bundles `source` (an ES module in test/, or an entry file) for the browser; returns the code, the inputs,
 * and every module the inputs import or `require` (esbuild's metafile: real imports and calls, not text
 * inside strings — the plugin guard's watchdog thread is Node code held in a string, never run in a browser).
 */
async function bundle(
  entry: { file: string } | { contents: string },
): Promise<{ code: string; inputs: string[]; imported: string[] }> {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.contents, resolveDir: __dirname, loader: 'ts' } }),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    target: 'es2022',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = result.metafile.inputs;
  return {
    code: result.outputFiles[0].text,
    inputs: Object.keys(inputs),
    imported: Object.values(inputs).flatMap((input) => input.imports.map((i) => i.path)),
  };
}

let browser: Browser;

async function runInPage<T>(code: string, global: string): Promise<T> {
  const page: Page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ content: code, type: 'module' });
    await page.waitForFunction(
      (g) => (window as unknown as Record<string, unknown>)[g] !== undefined,
      global,
      {
        timeout: 60_000,
      },
    );
    expect(errors).toEqual([]);
    return (await page.evaluate((g) => (window as unknown as Record<string, unknown>)[g], global)) as T;
  } finally {
    await page.close();
  }
}

beforeAll(async () => {
  for (const p of PACKAGES) {
    const file = join(repo, 'packages', p, 'dist', 'browser.js');
    if (!existsSync(file))
      throw new Error(`${file} is missing: run \`pnpm --filter @graphon-pai/${p} build\``);
  }
  browser = await chromium.launch({
    executablePath: chooseChromium().executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
    timeout: 60_000,
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
});

describe('packages in the browser', () => {
  test.each(PACKAGES)(
    '@graphon-pai/%s: the browser bundle loads and exports what Node exports',
    async (p) => {
      const { code, inputs, imported } = await bundle({
        contents: `import * as m from '@graphon-pai/${p}'; window.__names = Object.keys(m).sort();`,
      });
      expect(inputs).toContain(`../../packages/${p}/dist/browser.js`);
      expect(imported.filter((path) => isBuiltin(path))).toEqual([]);
      // The same module in Node (jest resolves the workspace sources through the `source` condition).
      const nodeNames = Object.keys(await import(`@graphon-pai/${p}`))
        .filter((n) => n !== 'default' && n !== '__esModule')
        .sort();
      expect(await runInPage<string[]>(code, '__names')).toEqual(nodeNames);
    },
  );

  test('a computation through every package gives in Chromium what it gives in Node', async () => {
    const { code } = await bundle({ file: join(__dirname, 'browser-packages', 'browser-entry.ts') });
    const inBrowser = await runInPage<{ result?: ProbeResult; error?: string }>(code, '__probe');
    expect(inBrowser.error).toBeUndefined();
    const b = inBrowser.result!;
    await tf.setBackend('cpu');
    await tf.ready();
    // The cpu backend's one-time advice to install tfjs-node (not wanted here) is switched off.
    (tf.findBackend('cpu') as { firstUse?: boolean }).firstUse = false;
    const n = await probe(core.registry);
    expect(b.provider).toBe('wasm'); // no native engine in a browser
    expect(b.core).toEqual(n.core);
    expect(b.masks).toEqual(n.masks);
    expect(b.graphon).toEqual(n.graphon);
    expect(b.nets).toEqual(n.nets); // seeded initialisation: float32 values, bit for bit
    const close = (x: number[], y: number[], rel: number) => {
      expect(x).toHaveLength(y.length);
      const scale = Math.max(...y.map(Math.abs));
      for (let i = 0; i < x.length; i++) expect(Math.abs(x[i] - y[i])).toBeLessThanOrEqual(rel * scale);
    };
    close(b.linalg.gemm, n.linalg.gemm, 1e-12);
    close(b.linalg.eigenvalues, n.linalg.eigenvalues, 1e-12);
    close(b.saliency.firstScores, n.saliency.firstScores, 1e-6);
    close([b.saliency.scoreSum], [n.saliency.scoreSum], 1e-6);
    close(
      [b.cutDistance.upperBound!, b.cutDistance.alignedLowerBound],
      [n.cutDistance.upperBound!, n.cutDistance.alignedLowerBound],
      1e-12,
    );
  });

  test("a Node-only function fails in the browser with core's UnsupportedError saying so", async () => {
    const { code } = await bundle({
      contents: `import { readNpy, UnsupportedError } from '@graphon-pai/core';
        import { loadMnist } from '@graphon-pai/nets';
        const attempt = async (f) => { try { await f(); return 'nothing thrown'; } catch (e) {
          return [e instanceof UnsupportedError, e.code, e.message].join(' | '); } };
        window.__thrown = [await attempt(() => readNpy('/scores.npy')), await attempt(() => loadMnist())];`,
    });
    const [npy, mnist] = await runInPage<string[]>(code, '__thrown');
    expect(npy).toMatch(/^true \| E_UNSUPPORTED \| node:fs\.\w+ is not available in browsers/);
    expect(mnist).toMatch(
      /^true \| E_UNSUPPORTED \| node:module\.createRequire is not available in browsers/,
    );
  });
});
