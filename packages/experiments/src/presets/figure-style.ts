/** The font and frame of every experiment figure (Vega-Lite `config`). */
export const FONT = { config: { font: 'DejaVu Sans', view: { stroke: null } } };
