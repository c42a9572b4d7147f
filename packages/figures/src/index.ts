/**
 * @packageDocumentation
 * Vega-Lite figures of bipartite graphons, masks and degree functions (`graphonHeatmapSpec`,
 * `maskHeatmapSpec`, `degreePlotSpec`), rendered to SVG and PNG in Node without a browser (`renderSvg`,
 * `renderPng`). Kept apart from `@graphon-pai/graphon` so that the numerical packages install without vega
 * and resvg.
 */
export {
  degreePlotSpec,
  graphonHeatmapSpec,
  type HeatmapOptions,
  type MaskHeatmapOptions,
  maskHeatmapSpec,
  renderPng,
  renderSvg,
  type VegaLiteSpec,
} from './figures';
