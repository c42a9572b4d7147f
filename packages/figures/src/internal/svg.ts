/**
 * SVG post-processing for rendered figures.
 *
 * Heatmap cells are adjacent rect marks whose edges fall between device pixels once the SVG is scaled
 * (fractional cell sizes like 320/3 px, or a page zooming the image). Anti-aliasing then blends each edge with
 * the background and leaves hairline seams between cells. `shape-rendering="crispEdges"` on the groups holding
 * rect marks snaps the edges to whole pixels, so neighbouring cells meet without a gap. Lines, text and legends
 * keep their anti-aliasing (only `mark-rect role-mark` groups are touched).
 */

/** Matches the opening tag of a Vega rect-mark group (`<g class="mark-rect role-mark …"`). */
const RECT_MARK_GROUP = /<g class="mark-rect role-mark(?:\s[^"]*)?"(?![^>]*\sshape-rendering=)/g;

/** Adds `shape-rendering="crispEdges"` to every rect-mark group of a Vega SVG (idempotent). */
export function crispRectMarks(svg: string): string {
  return svg.replace(RECT_MARK_GROUP, (tag) => `${tag} shape-rendering="crispEdges"`);
}
