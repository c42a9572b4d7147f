/**
 * The figure specifications that need no rendering: how the docs compose `@graphon-pai/figures`' Vega-Lite
 * builders, and the interactive FSM figure. Kept apart from `figures.ts` (which loads the ESM-only vega
 * renderer) so that `test/figures.test.ts` can check them under jest.
 */
import { degreePlotSpec, graphonHeatmapSpec, type VegaLiteSpec } from '@graphon-pai/figures';
import { type FsmModel, fsmLimit } from '@graphon-pai/graphon';
import type { TopLevelSpec } from 'vega-lite';

export const FONT = 'Inter, "Helvetica Neue", Arial, sans-serif';
export const baseConfig = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' as const, gridColor: '#e8e8e8' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 13, labelFontWeight: 'bold' as const, titleFontSize: 12 },
  title: { fontSize: 13, fontWeight: 'bold' as const, anchor: 'start' as const },
  // No per-mark aria labels: a 32 × 32 heatmap would carry a thousand of them (most of the SVG's bytes).
  mark: { aria: false },
};

/** A builder's top-level spec as a panel of a concatenation: no `$schema` or `config` of its own. */
export function asPanel(spec: VegaLiteSpec): VegaLiteSpec {
  const { $schema: _schema, config: _config, ...panel } = spec;
  return panel;
}

/** Multiplicative FSM with log-normal neuron factors and input profile b(v) = exp(−βv) ("SNIP-like"). */
export function snipLikeModel(beta: number): FsmModel {
  return {
    rowFactor: { type: 'log-normal', sigma: 0.5 },
    colFactor: { profile: (x) => Math.exp(-beta * x), name: beta === 0 ? '1' : `exp(-${beta}*x)` },
    noise: 'half-normal',
  };
}

/** i.i.d. scores: constant factors, so the top-k mask is uniformly random and its limit is W ≡ p. */
export const RANDOM_MODEL: FsmModel = { rowFactor: 'constant', colFactor: 'constant', noise: 'half-normal' };
export const SNIP_BETA = 4;

/**
 * Interactive: the FSM limit graphon (`graphonHeatmapSpec`) and its degree functions (`degreePlotSpec`) with
 * a slider for the density p and buttons for the steepness β of the input profile. Every (p, β) limit is
 * solved here by `fsmLimit`; the builders' data of all of them are joined into one table with one value
 * column per (p, β) (`w_<p%>_<β>`, `d_<p%>_<β>`), and a calculate transform picks the column the controls
 * select, so the builders' marks and encodings are used unchanged.
 */
export const INTERACTIVE_DENSITIES: readonly number[] = [5, 10, 15, 20, 25, 30, 35, 40, 45, 50];
export const INTERACTIVE_BETAS: readonly number[] = [0, 2, 4, 6];
export const INTERACTIVE_GRID = 24;

type Row = Record<string, number | string>;

/** Joins the data of several builder specs (same rows, same order) into one table, `field` → `prefix_key`. */
function joinColumns(specs: { key: string; spec: VegaLiteSpec }[], field: string, prefix: string): Row[] {
  const tables = specs.map(({ spec }) => (spec.data as { values: Row[] }).values);
  const shared = Object.keys(tables[0][0] ?? {}).filter((k) => k !== field);
  const joined = tables[0].map((row) => Object.fromEntries(shared.map((k) => [k, row[k]])) as Row);
  specs.forEach(({ key }, s) => {
    const table = tables[s];
    if (table.length !== joined.length)
      throw new Error(`interactive figure: ${key} has ${table.length} rows`);
    table.forEach((row, r) => {
      for (const k of shared) {
        if (row[k] !== joined[r][k])
          throw new Error(`interactive figure: row ${r} of ${key} differs in ${k}`);
      }
      joined[r][`${prefix}_${key}`] = Math.round((row[field] as number) * 1e4) / 1e4;
    });
  });
  return joined;
}

export interface InteractiveOptions {
  /** Densities in percent, evenly spaced (the slider's steps). */
  densities?: readonly number[];
  betas?: readonly number[];
  grid?: number;
}

export function interactiveLimitSpec(options: InteractiveOptions = {}): TopLevelSpec {
  const G = options.grid ?? INTERACTIVE_GRID;
  const densities = options.densities ?? INTERACTIVE_DENSITIES;
  const betas = options.betas ?? INTERACTIVE_BETAS;
  const heat: { key: string; spec: VegaLiteSpec }[] = [];
  const degree: { key: string; spec: VegaLiteSpec }[] = [];
  for (const p of densities) {
    for (const beta of betas) {
      const limit = fsmLimit(snipLikeModel(beta), p / 100);
      const key = `${p}_${beta}`;
      heat.push({
        key,
        spec: graphonHeatmapSpec(limit, { grid: G, width: 9 * G, height: 9 * G, title: 'W(u, v)' }),
      });
      degree.push({
        key,
        spec: degreePlotSpec(limit, { grid: G, width: 220, height: 9 * G, title: 'degree functions' }),
      });
    }
  }
  const pick = (prefix: string, as: string) => ({
    calculate: `datum['${prefix}_' + density + '_' + steepness]`,
    as,
  });
  const heatPanel = asPanel(heat[0].spec);
  const degreePanel = asPanel(degree[0].spec);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: 'Limit graphon of the multiplicative Factorised Saliency Model and its degree functions',
    // Legends below the panels, so the figure fits the text column (~690 px); 9 px cells, no seams.
    config: { ...baseConfig, legend: { ...baseConfig.legend, orient: 'bottom' } },
    params: [
      {
        name: 'density',
        value: densities.includes(20) ? 20 : densities[0],
        bind: {
          input: 'range',
          min: densities[0],
          max: densities[densities.length - 1],
          step: densities.length > 1 ? densities[1] - densities[0] : 1,
          name: 'density p (%) ',
        },
      },
      {
        name: 'steepness',
        value: betas.includes(SNIP_BETA) ? SNIP_BETA : betas[0],
        bind: { input: 'radio', options: betas, name: 'input profile β ' },
      },
    ],
    hconcat: [
      {
        ...heatPanel,
        data: { values: joinColumns(heat, 'w', 'w') },
        transform: [
          pick('w', 'w'),
          { calculate: `(datum.i + 0.5) / ${G}`, as: 'u' },
          { calculate: `(datum.j + 0.5) / ${G}`, as: 'v' },
        ],
        mark: { ...(heatPanel.mark as object), tooltip: true },
        encoding: {
          ...(heatPanel.encoding as object),
          tooltip: [
            { field: 'u', type: 'quantitative', title: 'u', format: '.3f' },
            { field: 'v', type: 'quantitative', title: 'v', format: '.3f' },
            { field: 'w', type: 'quantitative', title: 'W(u, v)', format: '.3f' },
          ],
        },
      },
      {
        ...degreePanel,
        data: { values: joinColumns(degree, 'degree', 'd') },
        transform: [pick('d', 'degree')],
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}
