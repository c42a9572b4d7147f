/**
 * Science check (run before the taxonomy preset reports anything): do PaI masks of the
 * 784 → n → 10 experiment network approach the plug-in limit of their own criterion at rate n^(−1/2)?
 *
 * For each criterion, seed and width n: the network (Kaiming normal, seed), the criterion's scores on one
 * class-balanced batch of MNIST digits (the same digits for every seed and width), the first layer's mask at
 * density p (layer-wise), and its plug-in limit (`@graphon-pai/saliency` `pluginLimit`: `N_ref` fresh neurons
 * scored with the same output signal). Distances (`@graphon-pai/cut-distance`): `block` (16 × 16 canonical
 * histograms, exact) and `pixel` (16 row blocks × 784 pixels, exact). Slopes: ordinary least squares of
 * log δ on log n over every (seed, width) point, with the standard error of the slope.
 *
 * Determinism (at the widest width): δ_block between masks of different seeds, next to δ_block between the
 * mask and a mask of the same width that shares its output signal (fresh neurons, same signal).
 *
 * `--zero-output` scores the paired network of `pairedZeroOutput` (output ≡ 0 at init).
 *
 * Usage: pnpm --filter @graphon-pai/cli exec tsx --conditions=source bench/plugin-convergence.ts \
 *          [--criteria random,snip,grasp] [--widths 256,512,1024,2048,4096] [--seeds 0,1,2]
 *          [--reference 32768] [--samples 512] [--zero-output] [--out file.json]
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { type BitMatrix, PluginRegistry, Rng } from '@graphon-pai/core';
import { blockDistance, blockSummary, pixelDistance, pixelSummary } from '@graphon-pai/cut-distance';
import { maskFromScores } from '@graphon-pai/masks';
import { Mlp, mnistSubset } from '@graphon-pai/nets';
import {
  type CriterionContext,
  neuronScorer,
  type PluginCriterion,
  pairedZeroOutput,
  pluginLimit,
  registerBuiltinCriteria,
} from '@graphon-pai/saliency';
import { provider } from '@graphon-pai/linalg';
import { setupEngine } from '../src/engine';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const list = (s: string) => s.split(',').map((v) => v.trim());
const criteria = list(arg('criteria', 'random,snip,grasp')) as PluginCriterion[];
const widths = list(arg('widths', '256,512,1024,2048,4096')).map(Number);
const seeds = list(arg('seeds', '0,1,2')).map(Number);
const reference = Number(arg('reference', String(8 * widths[widths.length - 1])));
const samples = Number(arg('samples', '512'));
const zeroOutput = process.argv.includes('--zero-output');
const density = 0.1;

/** OLS slope of y on x with its standard error. */
export function slope(x: number[], y: number[]): { slope: number; se: number } {
  const n = x.length;
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const b = sxy / sxx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - my - b * (x[i] - mx)) ** 2;
  return { slope: b, se: Math.sqrt(rss / (n - 2) / sxx) };
}

// Under ESM (tsx) some packages read files through a global `require` (the CommonJS builds have one): give
// them one that resolves from each workspace package, linalg first so its optional GEMM providers load.
const requires = ['linalg', 'nets', 'saliency'].map((p) => createRequire(new URL(`../../../packages/${p}/package.json`, import.meta.url)));
const chained = (resolve: boolean) => (id: string) => {
  let last: unknown;
  for (const r of requires) {
    try {
      return resolve ? r.resolve(id) : r(id);
    } catch (e) {
      last = e;
    }
  }
  throw last;
};
(globalThis as { require?: unknown }).require ??= Object.assign(chained(false), { resolve: chained(true) });

async function main(): Promise<void> {
  const engine = { ...(await setupEngine()), gemm: provider() };
  const registry = new PluginRegistry();
  registerBuiltinCriteria(registry);
  const data = await mnistSubset({ count: samples, seed: 0 });
  const rows: Record<string, unknown>[] = [];
  const summary: Record<string, unknown>[] = [];
  const started = performance.now();
  for (const criterion of criteria) {
    const spec = registry.criterion<CriterionContext>(criterion).spec;
    const points: { width: number; block: number; pixel: number }[] = [];
    const widest: BitMatrix[] = [];
    const shared: number[] = [];
    for (const seed of seeds) {
      for (const width of widths) {
        const t0 = performance.now();
        const base = Mlp.create({ widths: [784, width, 10], init: 'kaiming-normal', seed });
        const network = zeroOutput ? pairedZeroOutput(base) : base;
        const ctx: CriterionContext = { network, data, loss: 'cross-entropy', rng: new Rng(seed) };
        const scores = await spec.score(ctx);
        const mask = maskFromScores(scores, { density, allocation: 'uniform' }).get('0.weight') as BitMatrix;
        const scorer = neuronScorer(criterion, ctx);
        const t1 = performance.now();
        const limit = pluginLimit(scorer, network, { density, referenceWidth: reference, seed: 1_000_003 + seed });
        const t2 = performance.now();
        const block = blockDistance(mask, blockSummary(limit.mask)).value;
        const pixel = pixelDistance(mask, pixelSummary(limit.mask)).value;
        points.push({ width, block, pixel });
        if (width === widths[widths.length - 1]) {
          widest.push(mask);
          const sibling = pluginLimit(scorer, network, { density, referenceWidth: width, seed: 2_000_003 + seed });
          shared.push(blockDistance(mask, sibling.mask).value);
        }
        rows.push({ criterion, seed, width, block, pixel, passes: limit.passes, scoreSeconds: (t1 - t0) / 1000, pluginSeconds: (t2 - t1) / 1000 });
        console.log(
          `${criterion} seed ${seed} n ${width}: block ${block.toExponential(3)} pixel ${pixel.toExponential(3)} (plug-in ${((t2 - t1) / 1000).toFixed(1)} s)`,
        );
        if (network !== base) network.dispose();
        base.dispose();
      }
    }
    const cross: number[] = [];
    for (let a = 0; a < widest.length; a++)
      for (let b = a + 1; b < widest.length; b++) cross.push(blockDistance(widest[a], widest[b]).value);
    const logN = points.map((p) => Math.log(p.width));
    const s = {
      criterion,
      block: slope(logN, points.map((p) => Math.log(p.block))),
      pixel: slope(logN, points.map((p) => Math.log(p.pixel))),
      crossSeedBlock: cross.reduce((x, v) => x + v, 0) / Math.max(1, cross.length),
      sharedSignalBlock: shared.reduce((x, v) => x + v, 0) / shared.length,
    };
    summary.push(s);
    console.log(JSON.stringify(s));
  }
  const out = {
    engine,
    zeroOutput,
    density,
    reference,
    samples,
    widths,
    seeds,
    seconds: (performance.now() - started) / 1000,
    summary,
    rows,
  };
  const file = arg('out', '');
  if (file) writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
