import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BitMatrix, Rng, StepGraphon } from '@graphon-pai/core';
import { degreePlotSpec, graphonHeatmapSpec, maskHeatmapSpec } from '../src';

type Spec = { data: { values: Record<string, number | string>[] }; $schema: string };

describe('figure specs', () => {
  it('graphon heatmap: grid² cells with midpoint values', () => {
    const spec = graphonHeatmapSpec({ value: (u, v) => u * v }, { grid: 4, title: 't' }) as unknown as Spec;
    expect(spec.$schema).toMatch(/vega-lite\/v6/);
    expect(spec.data.values.length).toBe(16);
    expect(spec.data.values[5]).toEqual({ i: 1, j: 1, w: 0.375 * 0.375 });
  });

  it('mask heatmap: down-sampled block densities of the canonical order', () => {
    const rng = new Rng(2);
    const mask = BitMatrix.from(1000, 700, () => rng.uniform() < 0.2);
    const spec = maskHeatmapSpec(mask, { maxCells: 10 }) as unknown as Spec;
    expect(spec.data.values.length).toBe(100);
    const mean = spec.data.values.reduce((s, d) => s + (d.w as number), 0) / 100;
    expect(mean).toBeCloseTo(mask.density(), 10);
    expect(() => maskHeatmapSpec(new BitMatrix(0, 3))).toThrow(/mask/);
  });

  it('degree plot: exact step degree functions', () => {
    const spec = degreePlotSpec(StepGraphon.uniformBlocks(2, 1, [0.8, 0.2])) as unknown as Spec;
    const rows = spec.data.values.filter((d) => d.side === 'd_row(u)').map((d) => d.degree);
    expect(rows).toEqual([0.8, 0.8, 0.2, 0.2]);
  });
});

describe('rendering (child Node process: vega is ESM-only)', () => {
  it('renders SVG for every figure kind and PNG through resvg', () => {
    const script = join(__dirname, 'render', 'render.ts');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--conditions=source', script], {
      cwd: join(__dirname, '..'),
      encoding: 'utf8',
      timeout: 110000,
    });
    const r = JSON.parse(out.trim().split('\n').pop()!);
    for (const s of r.svg) {
      expect(s.ok).toBe(true);
      expect(s.rects).toBeGreaterThan(10);
    }
    // Heatmaps: the cell group is crisp (no seams when scaled); the degree plot (lines) is left anti-aliased.
    const [graphon, mask, degrees] = r.svg;
    for (const heat of [graphon, mask]) {
      expect(heat.rectGroups).toBe(1);
      expect(heat.crispRectGroups).toBe(1);
      expect(heat.crisp).toBe(1);
    }
    expect(degrees.crisp).toBe(0);
    expect(r.png).toEqual([137, 80, 78, 71]); // the PNG signature
  });
});
