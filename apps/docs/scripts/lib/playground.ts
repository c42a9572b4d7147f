/**
 * Build step of the playground (`/playground`): writes `src/public/playground/`:
 *
 * - `digits.bin`: the MNIST digits of every `mnistSubset({ count, seed })` the page offers, gzip-compressed
 *   (`playground-digits.ts`; `playground/digits.ts` has the layout);
 * - `app.js` (the page's script) and `worker.js` (the computation), bundled by esbuild through the packages'
 *   `browser` export condition; `tfjs-backend-wasm-simd.wasm`, the tfjs WebAssembly backend.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { encodeDigitFile } from '../../playground/digits';
import { docsRoot, freshDir, srcDir } from './paths';
import { playgroundDigits } from './playground-digits';

export const playgroundDir = join(srcDir, 'public', 'playground');
const WASM = 'tfjs-backend-wasm-simd.wasm';

/** Writes the playground's files; returns their sizes in bytes. */
export async function generatePlayground(out = playgroundDir): Promise<Record<string, number>> {
  freshDir(out);
  const sizes: Record<string, number> = {};
  const digits = gzipSync(encodeDigitFile(await playgroundDigits()), { level: 9 });
  writeFileSync(join(out, 'digits.bin'), digits);
  sizes['digits.bin'] = digits.length;
  const result = await build({
    entryPoints: {
      app: join(docsRoot, 'playground', 'app.ts'),
      worker: join(docsRoot, 'playground', 'worker.ts'),
    },
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['browser'],
    target: 'es2022',
    minify: true,
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
  });
  for (const [file, meta] of Object.entries(result.metafile.outputs))
    sizes[file.split('/').pop()!] = meta.bytes;
  const require = createRequire(join(docsRoot, 'package.json'));
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  mkdirSync(out, { recursive: true });
  copyFileSync(join(wasmDir, WASM), join(out, WASM));
  return sizes;
}
