/**
 * `graphon-pai inspect <mask>`: per-layer and whole-network statistics of a mask file.
 *
 * Options and help are in `../command-table/inspect.ts`; this module (and the libraries it imports) loads
 * only when the command runs.
 */
import { type MaskStatistics, maskStatistics } from '@graphon-pai/masks';
import { type CliIo, emit, type GlobalOptions } from '../io';
import { readMaskOrFail } from '../mask-file';

const fmt = (x: number, digits = 4): string => (Number.isInteger(x) ? String(x) : x.toPrecision(digits));

/** Human-readable table of mask statistics. */
export function formatStatistics(file: string, stats: MaskStatistics): string {
  const lines = [
    `mask ${file}: ${stats.kept} of ${stats.total} weights kept (density ${fmt(stats.density)})`,
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
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  lines.push(line(header), ...rows.map(line));
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

/** Finite JSON (Infinity / -Infinity become strings). */
function jsonSafe<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)),
  ) as T;
}

/** Runs `graphon-pai inspect` (the command's action). */
export function runInspect(file: string, options: GlobalOptions, io: CliIo): void {
  const loaded = readMaskOrFail(file);
  const stats = maskStatistics(loaded.mask, { onCollapse: 'ignore' });
  const value = {
    file,
    criterion: loaded.metadata.criterion ?? null,
    seed: loaded.metadata.seed ?? null,
    ...stats,
  };
  emit(io, options, jsonSafe(value), () => formatStatistics(file, stats));
}
