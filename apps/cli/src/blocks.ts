/** `--blocks` / `--grid` values: `K` or `KxL` blocks. */
import { InvalidArgumentError } from '@graphon-pai/core';

/** Parses `--blocks K` or `--blocks KxL`. */
export function parseBlocks(value: string | undefined, flag = '--blocks'): { rowBlocks?: number; colBlocks?: number } {
  if (value === undefined) return {};
  const m = /^(\d+)(?:x(\d+))?$/.exec(value);
  const k = m ? Number(m[1]) : 0;
  const l = m ? Number(m[2] ?? m[1]) : 0;
  if (!(k >= 1 && l >= 1)) {
    throw new InvalidArgumentError(flag, value, "'K' or 'KxL' with positive integers", {
      fix: `e.g. ${flag} 16x32`,
    });
  }
  return { rowBlocks: k, colBlocks: l };
}
