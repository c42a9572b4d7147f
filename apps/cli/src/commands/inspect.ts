/**
 * `graphon-pai inspect <mask>`: per-layer and whole-network statistics of a mask file.
 *
 * Options and help are in `../command-table/inspect.ts`; this module (and the libraries it imports) loads
 * only when the command runs.
 */
import { formatMaskStatistics, maskStatistics } from '@graphon-pai/masks';
import { type CliIo, emit, type GlobalOptions } from '../io';
import { readMaskOrFail } from '../mask-file';

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
  emit(io, options, jsonSafe(value), () => formatMaskStatistics(file, stats));
}
