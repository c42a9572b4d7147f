/**
 * Vega-Lite specs rendered in Node, without a browser: vega-lite compiles the spec, vega renders it to SVG
 * (its server-side renderer), and resvg rasterises the SVG to PNG at 2× for crisp figures in reports.
 * Text uses the system fonts (DejaVu Sans on Debian) through resvg's font loading.
 */
import { UnsupportedError } from '@graphon-pai/core';

export interface RenderedFigure {
  svg: string;
  png: Uint8Array;
}

/** Renders a Vega-Lite spec (an object) to SVG and PNG. */
export async function renderVegaLite(spec: Record<string, unknown>): Promise<RenderedFigure> {
  let vega: typeof import('vega');
  let vegaLite: typeof import('vega-lite');
  let resvg: typeof import('@resvg/resvg-js');
  try {
    [vega, vegaLite, resvg] = await Promise.all([import('vega'), import('vega-lite'), import('@resvg/resvg-js')]);
  } catch (cause) {
    throw new UnsupportedError('figure rendering needs vega, vega-lite and @resvg/resvg-js', {
      fix: 'reinstall @graphon-pai/cli with its dependencies',
      cause,
    });
  }
  const compiled = vegaLite.compile(spec as unknown as Parameters<typeof vegaLite.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new resvg.Resvg(svg, {
      fitTo: { mode: 'zoom', value: 2 },
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
      background: 'white',
    })
      .render()
      .asPng();
    return { svg, png: new Uint8Array(png) };
  } finally {
    view.finalize();
  }
}
