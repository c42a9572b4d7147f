/**
 * Figures of the CLI: Vega-Lite specs rendered to SVG and PNG in Node (no browser) by
 * `@graphon-pai/figures`' renderer (vega's server-side SVG, resvg for PNG at 2×).
 */
import type { RenderedFigure } from '@graphon-pai/experiments';
import { renderPng, renderSvg, type VegaLiteSpec } from '@graphon-pai/figures';

export async function renderVegaLite(spec: Record<string, unknown>): Promise<RenderedFigure> {
  const [svg, png] = await Promise.all([renderSvg(spec as VegaLiteSpec), renderPng(spec as VegaLiteSpec)]);
  return { svg, png };
}
