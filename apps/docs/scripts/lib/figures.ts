/**
 * Figures: static SVGs rendered at build time (Vega-Lite → Vega → SVG in Node, no browser) and the JSON
 * specs of the interactive figures that `VegaFigure.vue` embeds in the page with vega-embed.
 */
import { type BitMatrix, Rng } from '@graphon-pai/core';
import { canonicalStepGraphon, type FsmLimit, fsmLimit } from '@graphon-pai/graphon';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { type FsmModel, limitThreshold, sampleScores, topK } from './fsm-sim';
import { dataDir, figuresDir, freshDir, log, writeText } from './paths';

const FONT = 'Inter, "Helvetica Neue", Arial, sans-serif';
const baseConfig = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const, gridColor: '#e8e8e8' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 13, labelFontWeight: 'bold' as const, titleFontSize: 12 },
  title: { fontSize: 14, fontWeight: 'bold' as const, anchor: 'start' as const },
};

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vgSpec = compile(spec).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    if (!svg.startsWith('<svg')) throw new Error('vega produced no SVG');
    return svg;
  } finally {
    view.finalize();
  }
}

const TICKS = { values: [0, 0.2, 0.4, 0.6, 0.8, 1], format: '.1f', grid: false };
const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;

function gridRows(values: Float64Array, K: number, L: number, extra: Record<string, string | number>) {
  const rows: Record<string, string | number>[] = [];
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < L; l++)
      rows.push({
        ...extra,
        u0: round(k / K),
        u1: round((k + 1) / K),
        v0: round(l / L),
        v1: round((l + 1) / L),
        w: round(values[k * L + l]),
      });
  }
  return rows;
}

const SNIP_LIKE: FsmModel = { sigmaA: 0.5, beta: 4 };

/** The same model in `@graphon-pai/graphon`'s vocabulary: its `fsmLimit` gives the limit panels. */
function graphonLimit(m: FsmModel, density: number): FsmLimit {
  return fsmLimit(
    {
      rowFactor: { type: 'log-normal', sigma: m.sigmaA },
      colFactor: { profile: `exp(-${m.beta}*x)` },
      noise: 'half-normal',
    },
    density,
    { tolerance: 1e-8 },
  );
}

/** Block averages of a limit graphon on equal K × L blocks (s × s midpoint rule inside each block). */
function limitOnBlocks(limit: FsmLimit, K: number, L: number, s = 4): Float64Array {
  const out = new Float64Array(K * L);
  for (let k = 0; k < K; k++) {
    for (let l = 0; l < L; l++) {
      let acc = 0;
      for (let a = 0; a < s; a++) {
        for (let b = 0; b < s; b++) acc += limit.value((k + (a + 0.5) / s) / K, (l + (b + 0.5) / s) / L);
      }
      out[k * L + l] = acc / (s * s);
    }
  }
  return out;
}

/** The canonical (degree-sorted) K × L histogram of a mask, from `@graphon-pai/graphon`. */
function histogram(mask: BitMatrix, K: number, L: number): Float64Array {
  return canonicalStepGraphon(mask, { rowBlocks: K, colBlocks: L }).values;
}

/** Three panels: a random mask, an FSM ("SNIP-like") mask, both canonically ordered, and the FSM limit. */
async function maskHeatmaps(): Promise<string> {
  const rows = 512;
  const cols = 256;
  const density = 0.2;
  const K = 64;
  const L = 32;
  const rng = new Rng('docs-figure-heatmaps');
  const random = histogram(topK(rows, cols, sampleScores(rows, cols, 'random', rng), density), K, L);
  const fsm = histogram(topK(rows, cols, sampleScores(rows, cols, SNIP_LIKE, rng), density), K, L);
  const limit = limitOnBlocks(graphonLimit(SNIP_LIKE, density), K, L);
  const data = [
    ...gridRows(random, K, L, { panel: '1 · random mask (canonical order)' }),
    ...gridRows(fsm, K, L, { panel: '2 · FSM mask (canonical order)' }),
    ...gridRows(limit, K, L, { panel: '3 · FSM limit graphon' }),
  ];
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    data: { values: data },
    config: baseConfig,
    facet: { column: { field: 'panel', type: 'nominal', title: null } },
    spec: {
      width: 200,
      height: 260,
      mark: { type: 'rect' },
      encoding: {
        x: {
          field: 'v0',
          type: 'quantitative',
          title: 'v (inputs, by degree)',
          scale: { domain: [0, 1], nice: false },
          axis: TICKS,
        },
        x2: { field: 'v1' },
        y: {
          field: 'u0',
          type: 'quantitative',
          title: 'u (neurons, by degree)',
          scale: { domain: [0, 1], reverse: true, nice: false },
          axis: TICKS,
        },
        y2: { field: 'u1' },
        color: {
          field: 'w',
          type: 'quantitative',
          title: 'W(u,v)',
          scale: { scheme: 'viridis', domain: [0, 1] },
        },
      },
    },
    resolve: { scale: { color: 'shared' } },
  };
  return renderSvg(spec);
}

/** L1 distance between canonical block histograms and the limit (or p), against width, several seeds. */
async function convergence(): Promise<{ svg: string; table: { n: number; random: number; fsm: number }[] }> {
  const density = 0.2;
  const K = 8;
  const widths = [64, 128, 256, 512, 1024];
  const seeds = 3;
  const limit = limitOnBlocks(graphonLimit(SNIP_LIKE, density), K, K, 16);
  const data: Record<string, string | number>[] = [];
  const table: { n: number; random: number; fsm: number }[] = [];
  for (const n of widths) {
    let sumRandom = 0;
    let sumFsm = 0;
    for (let s = 0; s < seeds; s++) {
      const rng = new Rng(`docs-figure-convergence-${n}-${s}`);
      const hr = histogram(topK(n, n, sampleScores(n, n, 'random', rng), density), K, K);
      const hf = histogram(topK(n, n, sampleScores(n, n, SNIP_LIKE, rng), density), K, K);
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
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 420,
    height: 260,
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
        title: 'block L1 distance to the limit (8 × 8 blocks)',
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

/**
 * Interactive: the FSM limit graphon with sliders for the density and the steepness β of the input profile.
 * The thresholds τ(p, β) are solved here (bisection on an accurate quadrature); the graphon itself is
 * evaluated in the browser from the closed form, W(u,v) = 2·(1 − Φ(τ / (a(u) b(v)))) for half-normal noise,
 * with a(u) = exp(σ_A Φ⁻¹(1−u)) and b(v) = exp(−βv).
 */
export function interactiveLimitSpec(): TopLevelSpec {
  const G = 40;
  const sigmaA = SNIP_LIKE.sigmaA;
  const taus: { key: string; tau: number }[] = [];
  for (let p = 5; p <= 50; p += 5) {
    for (let b2 = 0; b2 <= 12; b2++) {
      taus.push({ key: `${p}_${b2 / 2}`, tau: limitThreshold({ sigmaA, beta: b2 / 2 }, p / 100) });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Limit graphon of the multiplicative Factorised Saliency Model',
    config: baseConfig,
    data: { sequence: { start: 0, stop: G * G, as: 'i' } },
    params: [
      {
        name: 'density',
        value: 20,
        bind: { input: 'range', min: 5, max: 50, step: 5, name: 'density p (%) ' },
      },
      {
        name: 'steepness',
        value: 4,
        bind: { input: 'range', min: 0, max: 6, step: 0.5, name: 'input profile β ' },
      },
    ],
    transform: [
      { calculate: `(floor(datum.i / ${G}) + 0.5) / ${G}`, as: 'u' },
      { calculate: `(datum.i % ${G} + 0.5) / ${G}`, as: 'v' },
      { calculate: `floor(datum.i / ${G}) / ${G}`, as: 'u0' },
      { calculate: `(floor(datum.i / ${G}) + 1) / ${G}`, as: 'u1' },
      { calculate: `(datum.i % ${G}) / ${G}`, as: 'v0' },
      { calculate: `(datum.i % ${G} + 1) / ${G}`, as: 'v1' },
      { calculate: "density + '_' + steepness", as: 'key' },
      { lookup: 'key', from: { data: { values: taus }, key: 'key', fields: ['tau'] } },
      {
        calculate: `2 * (1 - cumulativeNormal(datum.tau / (exp(${sigmaA} * quantileNormal(1 - datum.u)) * exp(-steepness * datum.v))))`,
        as: 'w',
      },
    ],
    hconcat: [
      {
        width: 250,
        height: 250,
        title: 'W(u, v)',
        mark: { type: 'rect', tooltip: true },
        encoding: {
          x: {
            field: 'v0',
            type: 'quantitative',
            title: 'v (inputs, largest factor first)',
            scale: { domain: [0, 1], nice: false },
            axis: TICKS,
          },
          x2: { field: 'v1' },
          y: {
            field: 'u0',
            type: 'quantitative',
            title: 'u (neurons)',
            scale: { domain: [0, 1], reverse: true, nice: false },
            axis: TICKS,
          },
          y2: { field: 'u1' },
          color: {
            field: 'w',
            type: 'quantitative',
            title: 'W',
            scale: { scheme: 'viridis', domain: [0, 1] },
          },
          tooltip: [
            { field: 'u', type: 'quantitative', title: 'u', format: '.3f' },
            { field: 'v', type: 'quantitative', title: 'v', format: '.3f' },
            { field: 'w', type: 'quantitative', title: 'W(u,v)', format: '.3f' },
          ],
        },
      },
      {
        width: 220,
        height: 250,
        title: 'column degree d_col(v) = ∫ W(u, v) du',
        mark: { type: 'line', point: { size: 18 }, tooltip: true },
        encoding: {
          x: { field: 'v', type: 'quantitative', title: 'v (inputs)' },
          y: {
            aggregate: 'mean',
            field: 'w',
            type: 'quantitative',
            title: 'fraction of neurons connected',
            scale: { domain: [0, 1] },
            axis: { format: '.1f' },
          },
        },
      },
    ],
  } as TopLevelSpec;
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
