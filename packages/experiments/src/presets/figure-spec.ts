/**
 * The common parts of every experiment figure (Vega-Lite v5 specs): the envelope (schema, a 14-pt title,
 * the font and frameless views), log-scaled quantitative axes, faceting headers, colour by criterion, the
 * colour of graphon heatmaps, the axis-free ordinal encodings of image-like panels (heatmaps, 28 × 28
 * pixel maps) and the panel of a canonical graphon heatmap.
 */

type Spec = Record<string, unknown>;

/** The font and frame of every experiment figure (Vega-Lite `config`). */
const FONT = { config: { font: 'DejaVu Sans', view: { stroke: null } } };

/** A figure: `$schema`, the title (with an optional subtitle), then `body`, then the shared font and frame. */
export function figure(title: string, body: Spec, subtitle?: string): Spec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: subtitle === undefined ? { text: title, fontSize: 14 } : { text: title, subtitle, fontSize: 14 },
    ...body,
    ...FONT,
  };
}

/** A quantitative encoding of `field` on a log scale (no nice rounding; `scale` adds to it). */
export function logAxis(field: string, title: string, scale: Spec = {}): Spec {
  return { field, type: 'quantitative', scale: { type: 'log', nice: false, ...scale }, title };
}

/** A facet row or column of `field` in the order `sort`, with 12-pt untitled headers. */
export function facetHeader(field: string, sort: readonly string[]): Spec {
  return { field, type: 'nominal', sort, header: { labelFontSize: 12, title: null } };
}

/** One colour per criterion, in the configured order. */
export function criterionColor(criteria: readonly string[]): Spec {
  return { field: 'criterion', type: 'nominal', sort: criteria };
}

/** The x and y encodings of an image-like panel: ordinal cells, no axes. */
export function cellPosition(x: string, y: string): { x: Spec; y: Spec } {
  return { x: { field: x, type: 'ordinal', axis: null }, y: { field: y, type: 'ordinal', axis: null } };
}

/** The colour of a graphon heatmap: `W` on viridis from 0 to min(1, max(0.3, 3p)), clamped above. */
export function graphonColor(density: number): Spec {
  return {
    field: 'W',
    type: 'quantitative',
    scale: { scheme: 'viridis', domain: [0, Math.min(1, Math.max(0.3, 3 * density))], clamp: true },
    title: 'W(u, v)',
  };
}

/** One panel of a canonical graphon heatmap: 110 × 110 cells, v across, u down, `W` coloured by `graphonColor`. */
export function graphonHeatmapPanel(density: number): Spec {
  return {
    width: 110,
    height: 110,
    mark: 'rect',
    encoding: {
      ...cellPosition('v', 'u'),
      color: graphonColor(density),
    },
  };
}
