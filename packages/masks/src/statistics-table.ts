/**
 * {@link maskStatistics} as a human-readable table (what `graphon-pai inspect` prints): a title line (kept of
 * total weights, density), one line per layer (shape, density, kept, fan-in / fan-out min/mean/max, empty
 * rows and columns), then the network statistics (effective paths, nodes and parameters, layer collapse) or
 * why they are unavailable, and the warnings. Integers print as integers, other numbers to 4 significant
 * digits. Linear in the number of layers, with no recursion or argument spreading (a mask of hundreds of
 * thousands of layers prints, slowly but safely).
 *
 * @example
 * console.log(formatMaskStatistics('snip.safetensors', maskStatistics(mask)));
 * // mask snip.safetensors: 23520 of 235200 weights kept (density 0.1)
 * // layer     shape    density  kept   fan-in min/mean/max  …
 */
import type { MaskStatistics } from './statistics';

const fmt = (x: number, digits = 4): string => (Number.isInteger(x) ? String(x) : x.toPrecision(digits));

/** The table of `stats` under a title naming the mask `name` (e.g. its file). */
export function formatMaskStatistics(name: string, stats: MaskStatistics): string {
  const lines = [
    `mask ${name}: ${stats.kept} of ${stats.total} weights kept (density ${fmt(stats.density)})`,
  ];
  const header = [
    'layer',
    'shape',
    'density',
    'kept',
    'fan-in min/mean/max',
    'fan-out min/mean/max',
    'empty rows',
    'empty cols',
  ];
  const rows = stats.layers.map((l) => [
    l.name,
    `${l.rows}x${l.cols}`,
    fmt(l.density),
    String(l.kept),
    `${l.rowDegrees.min}/${fmt(l.rowDegrees.mean, 3)}/${l.rowDegrees.max}`,
    `${l.colDegrees.min}/${fmt(l.colDegrees.mean, 3)}/${l.colDegrees.max}`,
    String(l.emptyRows),
    String(l.emptyCols),
  ]);
  // Loops, not Math.max(...rows) or push(...rows): spreading 200,000 layers' rows overflows the stack.
  const widths = header.map((h) => h.length);
  for (const r of rows) for (let i = 0; i < r.length; i++) widths[i] = Math.max(widths[i], r[i].length);
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  lines.push(line(header));
  for (const r of rows) lines.push(line(r));
  const n = stats.network;
  if (n) {
    lines.push(
      `effective paths: ${n.effectivePaths === 0 ? '0' : `exp(${fmt(n.logEffectivePaths, 6)})`}`,
      `effective hidden nodes: ${n.effectiveNodes} (per level: ${n.effectiveNodesPerLevel.join(', ')})`,
      `effective params: ${n.effectiveParams} (effective density ${fmt(n.effectiveDensity)})`,
      n.collapsed
        ? `layer collapse: yes${n.collapsedAt ? ` (at ${n.collapsedAt})` : ''}`
        : 'layer collapse: no',
    );
  } else {
    lines.push(`network statistics unavailable: ${stats.notChainReason}`);
  }
  for (const w of stats.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
