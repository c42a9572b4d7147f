/**
 * Figures: static SVGs rendered at build time (Vega-Lite → Vega → SVG in Node, no browser) and the JSON
 * specs of the interactive figures that `VegaFigure.vue` embeds in the page with vega-embed.
 *
 * The heatmaps and degree plots are `@graphon-pai/figures`' own spec builders (`maskHeatmapSpec`,
 * `graphonHeatmapSpec`, `degreePlotSpec`), so the site draws exactly what a user of the package gets; this
 * file only lays panels side by side, shares their colour scale and, for the interactive figure, joins the
 * builder output of several parameter values behind sliders. The masks are drawn by the graphon package's
 * `sampleFsmMask` and the limits are its `fsmLimit`. The convergence plot (a width sweep) has no builder in
 * the package and is specified here.
 */
import type { BitMatrix } from '@graphon-pai/core';
import { graphonHeatmapSpec, maskHeatmapSpec, renderSvg, type VegaLiteSpec } from '@graphon-pai/figures';
import { canonicalStepGraphon, fsmLimit, sampleFsmMask } from '@graphon-pai/graphon';
import {
  asPanel,
  baseConfig,
  interactiveLimitSpec,
  RANDOM_MODEL,
  SNIP_BETA,
  snipLikeModel,
} from './figure-specs';
import { dataDir, figuresDir, freshDir, log, writeText } from './paths';

/** Three panels: a random mask, an FSM ("SNIP-like") mask, both canonically ordered, and the FSM limit. */
async function maskHeatmaps(): Promise<string> {
  const rows = 512;
  const cols = 256;
  const density = 0.2;
  const cells = 32;
  // 7 px per cell: block edges on whole pixels, so no anti-aliasing seams between cells.
  const size = { width: 7 * cells, height: 7 * cells };
  const random = sampleFsmMask(RANDOM_MODEL, rows, cols, { density, seed: 'docs-figure-heatmaps-random' });
  const fsm = sampleFsmMask(snipLikeModel(SNIP_BETA), rows, cols, {
    density,
    seed: 'docs-figure-heatmaps-fsm',
  });
  const limit = fsmLimit(snipLikeModel(SNIP_BETA), density);
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    config: baseConfig,
    hconcat: [
      maskHeatmapSpec(random.mask, { ...size, maxCells: cells, title: 'random mask' }),
      maskHeatmapSpec(fsm.mask, { ...size, maxCells: cells, title: 'FSM mask' }),
      graphonHeatmapSpec(limit, { ...size, grid: cells, title: 'FSM limit' }),
    ].map(asPanel),
    resolve: { scale: { color: 'shared' } },
  };
  // graphon's renderSvg draws heatmap cells with shape-rendering="crispEdges": no seams when scaled.
  return renderSvg(spec);
}

/** The canonical (degree-sorted) K × K block histogram of a mask. */
function histogram(mask: BitMatrix, K: number): Float64Array {
  return canonicalStepGraphon(mask, { rowBlocks: K, colBlocks: K }).values;
}

/** L1 distance between canonical block histograms and the limit (or p), against width, several seeds. */
async function convergence(): Promise<{ svg: string; table: { n: number; random: number; fsm: number }[] }> {
  const density = 0.2;
  const K = 8;
  const widths = [64, 128, 256, 512, 1024];
  const seeds = 3;
  const limit = fsmLimit(snipLikeModel(SNIP_BETA), density).toStepGraphon(K, K).values;
  const data: Record<string, string | number>[] = [];
  const table: { n: number; random: number; fsm: number }[] = [];
  for (const n of widths) {
    let sumRandom = 0;
    let sumFsm = 0;
    for (let s = 0; s < seeds; s++) {
      const seed = `docs-figure-convergence-${n}-${s}`;
      const hr = histogram(sampleFsmMask(RANDOM_MODEL, n, n, { density, seed: `${seed}-random` }).mask, K);
      const hf = histogram(
        sampleFsmMask(snipLikeModel(SNIP_BETA), n, n, { density, seed: `${seed}-fsm` }).mask,
        K,
      );
      let dr = 0;
      let df = 0;
      for (let i = 0; i < K * K; i++) {
        dr += Math.abs(hr[i] - density);
        df += Math.abs(hf[i] - limit[i]);
      }
      dr /= K * K;
      df /= K * K;
      sumRandom += dr;
      sumFsm += df;
      data.push({ n, seed: s, criterion: 'random vs W ≡ p', distance: dr });
      data.push({ n, seed: s, criterion: 'FSM vs its limit', distance: df });
    }
    table.push({ n, random: sumRandom / seeds, fsm: sumFsm / seeds });
  }
  const ref = table[0].fsm * Math.sqrt(widths[0]);
  for (const n of widths) data.push({ n, criterion: 'reference ∝ 1/√n', distance: ref / Math.sqrt(n) });
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 420,
    height: 280,
    config: baseConfig,
    data: { values: data },
    encoding: {
      x: {
        field: 'n',
        type: 'quantitative',
        scale: { type: 'log', base: 2 },
        title: 'layer width n (n × n layer)',
        axis: { values: widths },
      },
      y: {
        field: 'distance',
        type: 'quantitative',
        scale: { type: 'log' },
        title: 'L1 distance, 8 × 8 blocks',
      },
      color: {
        field: 'criterion',
        type: 'nominal',
        title: null,
        scale: { range: ['#3c74a8', '#c2553a', '#9a9a9a'] },
        legend: { orient: 'top-right' },
      },
    },
    layer: [
      {
        mark: { type: 'line', point: true },
        encoding: { y: { aggregate: 'mean', field: 'distance' } },
        transform: [{ filter: "datum.criterion !== 'reference ∝ 1/√n'" }],
      },
      {
        mark: { type: 'line', strokeDash: [4, 3] },
        transform: [{ filter: "datum.criterion === 'reference ∝ 1/√n'" }],
      },
      {
        mark: { type: 'point', opacity: 0.35, size: 20 },
        transform: [{ filter: "datum.criterion !== 'reference ∝ 1/√n'" }],
      },
    ],
  };
  return { svg: await renderSvg(spec), table };
}

export interface FigureResult {
  readonly figures: string[];
  readonly convergence: { n: number; random: number; fsm: number }[];
}

export async function generateFigures(): Promise<FigureResult> {
  freshDir(figuresDir);
  freshDir(dataDir);
  const written: string[] = [];
  const heat = await maskHeatmaps();
  writeText(`${figuresDir}/mask-heatmaps.svg`, heat);
  written.push('figures/mask-heatmaps.svg');
  const conv = await convergence();
  writeText(`${figuresDir}/convergence.svg`, conv.svg);
  written.push('figures/convergence.svg');
  writeText(`${dataDir}/fsm-limit.vl.json`, JSON.stringify(interactiveLimitSpec()));
  written.push('data/fsm-limit.vl.json');
  writeText(`${dataDir}/convergence.json`, JSON.stringify(conv.table, null, 2));
  log(`figures: ${written.join(', ')}`);
  return { figures: written, convergence: conv.table };
}
