/** `graphon-pai inspect <mask>`: per-layer and whole-network statistics of a mask file. */
import * as fs from 'node:fs';
import { FormatError, GraphonPaiError } from '@graphon-pai/core';
import { type LoadedMask, loadMask, type MaskStatistics, maskStatistics } from '@graphon-pai/masks';
import type { Command } from 'commander';
import type { CommandRegistrar } from '../cli';
import { emit, type GlobalOptions } from '../io';
import { withCommonOptions } from '../options';

/** Loads a mask file, turning a missing or unreadable file into a {@link FormatError} naming it. */
export function readMaskOrFail(file: string): LoadedMask {
  if (!fs.existsSync(file)) {
    throw new FormatError('no such file', { source: file, fix: 'pass the path of a mask .safetensors file' });
  }
  try {
    return loadMask(file);
  } catch (error) {
    if (error instanceof GraphonPaiError) {
      if (error instanceof FormatError && error.source === undefined) {
        throw new FormatError(error.message, { source: file, cause: error });
      }
      throw error;
    }
    throw new FormatError(`cannot read mask file (${(error as Error).message})`, {
      source: file,
      fix: 'pass a safetensors mask written by graphon-pai prune or by PyTorch',
      cause: error,
    });
  }
}

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

export const inspectCommand: CommandRegistrar = (program: Command, io) => {
  withCommonOptions(
    program
      .command('inspect')
      .description(
        'statistics of a mask file: density, degrees, empty rows/cols, layer collapse, effective paths',
      )
      .argument('<mask>', 'mask file (.safetensors, from graphon-pai prune or PyTorch)'),
  ).action((file: string, options: GlobalOptions) => {
    const loaded = readMaskOrFail(file);
    const stats = maskStatistics(loaded.mask, { onCollapse: 'ignore' });
    const value = {
      file,
      criterion: loaded.metadata.criterion ?? null,
      seed: loaded.metadata.seed ?? null,
      ...stats,
    };
    emit(io, options, jsonSafe(value), () => formatStatistics(file, stats));
  });
};
