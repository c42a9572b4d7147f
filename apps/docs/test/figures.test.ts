/**
 * The numbers behind the interactive figure. It joins the data of `@graphon-pai/graphon`'s
 * `graphonHeatmapSpec` and `degreePlotSpec` for every (p, β) the controls can select into one table with a
 * value column per (p, β), and a calculate transform picks the column. Checked here:
 *   - in the spec the build wrote (`src/public/data/fsm-limit.vl.json`), every control position selects a
 *     column that exists in every row (no blank figure for any slider position);
 *   - on a small spec built the same way (40 limits take ~1 min under jest), the selected heatmap column is
 *     the limit graphon at the cell midpoints, evaluated independently with `fsmLimit(…).value(u, v)` (so no
 *     column is swapped and no row is shifted by the join), it integrates to the density p, and the degree
 *     column is the row/column mean of the heatmap column.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsmLimit } from '@graphon-pai/graphon';
import {
  asPanel,
  INTERACTIVE_BETAS,
  INTERACTIVE_DENSITIES,
  INTERACTIVE_GRID,
  interactiveLimitSpec,
  snipLikeModel,
} from '../scripts/lib/figure-specs';

type Row = Record<string, number | string>;
interface Param {
  name: string;
  value: number;
  bind: { input: string; min?: number; max?: number; step?: number; options?: number[] };
}

interface Spec {
  params: Param[];
  hconcat: { data: { values: Row[] }; transform: { calculate: string; as: string }[] }[];
}

const builtFile = join(__dirname, '..', 'src', 'public', 'data', 'fsm-limit.vl.json');

/** The values the controls can take, read from the spec's bindings. */
function controlValues(spec: Spec, name: string): number[] {
  const p = spec.params.find((x) => x.name === name);
  if (!p) throw new Error(`no parameter ${name}`);
  if (p.bind.options) return p.bind.options;
  const out: number[] = [];
  const { min = 0, max = 0, step = 1 } = p.bind;
  for (let v = min; v <= max + 1e-9; v += step) out.push(Math.round(v * 1e9) / 1e9);
  return out;
}

/** Evaluates the figure's `datum['w_' + density + '_' + steepness]` the way Vega does (string concatenation). */
function select(row: Row, prefix: string, density: number, steepness: number): number | undefined {
  const value = row[`${prefix}_${String(density)}_${String(steepness)}`];
  return typeof value === 'number' ? value : undefined;
}

describe('interactive FSM figure', () => {
  test('in the built spec, every control position selects a value in every row of both panels', () => {
    if (!existsSync(builtFile)) throw new Error(`${builtFile} is missing: run the docs build first`);
    const spec = JSON.parse(readFileSync(builtFile, 'utf8')) as Spec;
    const [heat, degree] = spec.hconcat;
    expect(heat.transform[0]).toEqual({ calculate: "datum['w_' + density + '_' + steepness]", as: 'w' });
    expect(degree.transform[0]).toEqual({
      calculate: "datum['d_' + density + '_' + steepness]",
      as: 'degree',
    });
    expect(controlValues(spec, 'density')).toEqual(INTERACTIVE_DENSITIES);
    expect(controlValues(spec, 'steepness')).toEqual(INTERACTIVE_BETAS);
    expect(heat.data.values).toHaveLength(INTERACTIVE_GRID ** 2);
    expect(degree.data.values).toHaveLength(2 * INTERACTIVE_GRID);
    for (const p of controlValues(spec, 'density')) {
      for (const b of controlValues(spec, 'steepness')) {
        for (const row of heat.data.values) expect(select(row, 'w', p, b)).toBeDefined();
        for (const row of degree.data.values) expect(select(row, 'd', p, b)).toBeDefined();
      }
    }
    const initial = Object.fromEntries(spec.params.map((x) => [x.name, x.value]));
    expect(select(heat.data.values[0], 'w', initial.density, initial.steepness)).toBeDefined();
  });

  const G = 12;
  const small = interactiveLimitSpec({ densities: [5, 50], betas: [0, 6], grid: G }) as unknown as Spec;

  test.each([
    [5, 0],
    [50, 6],
    [5, 6],
  ])(
    'p = %p %%, β = %p: the heatmap is the limit at the cell midpoints, integrates to p, and the degree column is its mean',
    (p, beta) => {
      const [heat, degree] = small.hconcat;
      expect(heat.data.values).toHaveLength(G * G);
      const limit = fsmLimit(snipLikeModel(beta), p / 100, { tolerance: 1e-8 });
      const grid = new Float64Array(G * G);
      for (const row of heat.data.values) {
        const i = row.i as number;
        const j = row.j as number;
        const w = select(row, 'w', p, beta) as number;
        grid[i * G + j] = w;
        // Values are stored rounded to 1e-4; the figure's τ meets the density to 1e-6.
        expect(Math.abs(w - limit.value((i + 0.5) / G, (j + 0.5) / G))).toBeLessThanOrEqual(5e-5 + 1e-5);
      }
      // Midpoint rule on a 12 × 12 grid of W (log-normal tail at u → 0, steep profile): within 0.02 of p.
      const mean = grid.reduce((a, b) => a + b, 0) / (G * G);
      expect(Math.abs(mean - p / 100)).toBeLessThan(0.02);
      for (const row of degree.data.values) {
        const k = Math.round((row.x as number) * G - 0.5);
        let acc = 0;
        for (let t = 0; t < G; t++) acc += row.side === 'd_row(u)' ? grid[k * G + t] : grid[t * G + k];
        expect(Math.abs((select(row, 'd', p, beta) as number) - acc / G)).toBeLessThan(2e-4);
      }
    },
  );

  test('asPanel drops only the schema and the config', () => {
    const panel = asPanel({ $schema: 'x', config: { a: 1 }, mark: 'rect', width: 3 });
    expect(panel).toEqual({ mark: 'rect', width: 3 });
  });
});
