/**
 * Figures as Vega-Lite specifications, rendered to SVG (and PNG) in Node without a browser.
 *
 * - {@link graphonHeatmapSpec}: `W(u, v)` on a grid (rows = output neurons `u` downwards, columns = inputs `v`);
 * - {@link maskHeatmapSpec}: a mask's block densities, down-sampled to at most `maxCells` per side (block
 *   histogram over the canonical order by default, or the raw order) — the full mask is never expanded;
 * - {@link degreePlotSpec}: row and column degree functions `d_row(u)`, `d_col(v)`.
 *
 * The builders return plain JSON (Vega-Lite v6 schema) that the CLI writes next to its reports and the docs
 * site embeds live; the graphon arithmetic behind them (`resampleGrid`, `canonicalHistogram`, degree
 * functions) is `@graphon-pai/graphon`'s. {@link renderSvg} compiles with `vega-lite` and renders with `vega`'s headless view;
 * both ship ESM only, so they are loaded by a dynamic `import()` on first use (under jest's CommonJS
 * transform rendering is unavailable; the tests render in a child Node process). {@link renderPng}
 * rasterises the SVG with `@resvg/resvg-js`.
 *
 * @example
 * const spec = graphonHeatmapSpec(histogramEstimate(mask), { title: 'SNIP, layer 1' });
 * await writeFile('w.svg', await renderSvg(spec));
 */
import { type BitMatrix, type Graphon, InvalidArgumentError, type StepKernel } from '@graphon-pai/core';
import {
  blockHistogram,
  canonicalHistogram,
  colDegreeFunction,
  resampleGrid,
  rowDegreeFunction,
} from '@graphon-pai/graphon';
import { crispRectMarks } from './internal/svg';

// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { min } = Math;

/** A Vega-Lite specification (plain JSON). */
export type VegaLiteSpec = Record<string, unknown>;

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface HeatmapOptions {
  title?: string;
  /** Grid side for non-step graphons and the cap for step graphons (default 64). */
  grid?: number;
  width?: number;
  height?: number;
  /** Vega colour scheme (default 'viridis'). */
  scheme?: string;
}

function heatmap(
  values: Float64Array,
  rows: number,
  cols: number,
  o: HeatmapOptions,
  labels: [string, string, string],
): VegaLiteSpec {
  const data: { i: number; j: number; w: number }[] = [];
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data.push({ i, j, w: values[i * cols + j] });
  return {
    $schema: SCHEMA,
    ...(o.title ? { title: o.title } : {}),
    width: o.width ?? 320,
    height: o.height ?? 320,
    data: { values: data },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'j', type: 'ordinal', title: labels[1], axis: { labels: false, ticks: false } },
      y: { field: 'i', type: 'ordinal', title: labels[0], axis: { labels: false, ticks: false } },
      color: {
        field: 'w',
        type: 'quantitative',
        title: labels[2],
        scale: { domain: [0, 1], scheme: o.scheme ?? 'viridis' },
      },
    },
    config: { view: { stroke: null } },
  };
}

/** Heatmap of W on a grid (midpoint values). */
export function graphonHeatmapSpec(
  graphon: Graphon | StepKernel,
  options: HeatmapOptions = {},
): VegaLiteSpec {
  const n = options.grid ?? 64;
  if (!(Number.isInteger(n) && n >= 1 && n <= 1024))
    throw new InvalidArgumentError('options.grid', n, 'an integer in [1, 1024]');
  return heatmap(resampleGrid(graphon, n, n), n, n, options, ['u (output neurons)', 'v (inputs)', 'W(u, v)']);
}

export interface MaskHeatmapOptions extends HeatmapOptions {
  /** At most this many cells per side (default 128). */
  maxCells?: number;
  /** Sort rows and columns by degree first (default true). */
  canonical?: boolean;
}

/** Block densities of a mask, down-sampled to at most `maxCells` per side. */
export function maskHeatmapSpec(mask: BitMatrix, options: MaskHeatmapOptions = {}): VegaLiteSpec {
  if (!(mask?.words instanceof Uint32Array)) throw new InvalidArgumentError('mask', mask, 'a BitMatrix');
  const max = options.maxCells ?? 128;
  if (!(Number.isInteger(max) && max >= 1))
    throw new InvalidArgumentError('options.maxCells', max, 'a positive integer');
  const blocks = { rowBlocks: min(mask.rows, max), colBlocks: min(mask.cols, max) };
  const g =
    options.canonical === false
      ? blockHistogram(mask, identity(mask.rows), identity(mask.cols), blocks)
      : canonicalHistogram(mask, blocks).graphon;
  return heatmap(g.values, blocks.rowBlocks, blocks.colBlocks, options, [
    'output neurons',
    'inputs',
    'density',
  ]);
}

function identity(n: number): Uint32Array {
  const o = new Uint32Array(n);
  for (let i = 0; i < n; i++) o[i] = i;
  return o;
}

/** Row and column degree functions of a step graphon (exact) or a graphon (grid row/column means). */
export function degreePlotSpec(graphon: Graphon | StepKernel, options: HeatmapOptions = {}): VegaLiteSpec {
  const data: { x: number; degree: number; side: string }[] = [];
  if ('rowCuts' in graphon) {
    const k = graphon as StepKernel;
    const r = rowDegreeFunction(k);
    const c = colDegreeFunction(k);
    // Step functions drawn as their breakpoints (start and end of each piece).
    for (let a = 0; a < r.values.length; a++) {
      data.push(
        { x: r.cuts[a], degree: r.values[a], side: 'd_row(u)' },
        { x: r.cuts[a + 1], degree: r.values[a], side: 'd_row(u)' },
      );
    }
    for (let b = 0; b < c.values.length; b++) {
      data.push(
        { x: c.cuts[b], degree: c.values[b], side: 'd_col(v)' },
        { x: c.cuts[b + 1], degree: c.values[b], side: 'd_col(v)' },
      );
    }
  } else {
    const n = options.grid ?? 128;
    const g = resampleGrid(graphon, n, n);
    for (let i = 0; i < n; i++) {
      let rs = 0;
      let cs = 0;
      for (let j = 0; j < n; j++) {
        rs += g[i * n + j];
        cs += g[j * n + i];
      }
      data.push(
        { x: (i + 0.5) / n, degree: rs / n, side: 'd_row(u)' },
        { x: (i + 0.5) / n, degree: cs / n, side: 'd_col(v)' },
      );
    }
  }
  return {
    $schema: SCHEMA,
    ...(options.title ? { title: options.title } : {}),
    width: options.width ?? 360,
    height: options.height ?? 220,
    data: { values: data },
    mark: { type: 'line' },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: 'position (u for rows, v for columns)',
        scale: { domain: [0, 1] },
      },
      y: { field: 'degree', type: 'quantitative', title: 'degree', scale: { domain: [0, 1] } },
      color: { field: 'side', type: 'nominal', title: null },
    },
  };
}

/**
 * Renders a Vega-Lite spec to an SVG string (Node, no browser). Groups of rect marks (heatmap cells, bars)
 * carry `shape-rendering="crispEdges"`, so adjacent cells meet without anti-aliasing seams when the SVG is
 * scaled; lines, text and legends stay anti-aliased.
 */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return crispRectMarks(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Renders a Vega-Lite spec to PNG bytes (SVG through resvg). */
export async function renderPng(spec: VegaLiteSpec, options: { scale?: number } = {}): Promise<Uint8Array> {
  const svg = await renderSvg(spec);
  const { Resvg } = await import('@resvg/resvg-js');
  const r = new Resvg(svg, { fitTo: { mode: 'zoom', value: options.scale ?? 2 }, background: 'white' });
  return r.render().asPng();
}
