/** Renders the three figure kinds in a plain Node process (vega is ESM-only); prints sizes as JSON. */
import { BitMatrix, Rng, StepGraphon } from '@graphon-pai/core';
import { degreePlotSpec, graphonHeatmapSpec, maskHeatmapSpec, renderPng, renderSvg } from '../../src';

async function main() {
  const rng = new Rng(1);
  const mask = BitMatrix.from(300, 200, (r, c) => rng.uniform() < (1 - r / 300) * (1 - c / 200));
  const w = StepGraphon.uniformBlocks(2, 2, [0.9, 0.5, 0.5, 0.1]);
  const svgs = await Promise.all([
    renderSvg(graphonHeatmapSpec(w, { grid: 16 })),
    renderSvg(maskHeatmapSpec(mask, { maxCells: 20 })),
    renderSvg(degreePlotSpec(w)),
  ]);
  const png = await renderPng(graphonHeatmapSpec({ value: (u, v) => u * v }, { grid: 8 }));
  console.log(
    JSON.stringify({
      svg: svgs.map((s) => ({
        ok: s.startsWith('<svg'),
        rects: (s.match(/<path/g) ?? []).length,
        rectGroups: (s.match(/<g class="mark-rect role-mark/g) ?? []).length,
        crispRectGroups: (s.match(/<g class="mark-rect role-mark[^>]*shape-rendering="crispEdges"/g) ?? [])
          .length,
        crisp: (s.match(/shape-rendering=/g) ?? []).length,
        length: s.length,
      })),
      png: Array.from(png.slice(0, 4)),
    }),
  );
}
main();
