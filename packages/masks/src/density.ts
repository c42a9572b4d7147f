/**
 * Density vocabulary: the kept fraction of weights and the exact kept count it implies.
 *
 * Convention: **density** `p` is the fraction of weights **kept** (sparsity `1 − p` is never used as a
 * synonym). Over a scope of `N` weights a mask keeps exactly
 *
 *     k = round(p · N)        (float64 product, `Math.round`: halves round up)
 *
 * ones. `p` must lie in (0, 1]; `k` may be 0 when `p · N < 0.5` (a tiny layer at a tiny density), which
 * the statistics then report as layer collapse.
 *
 * @example
 * keptCount(0.1, 784 * 300); // 23520
 */
import { checkDensity, InvalidArgumentError } from '@graphon-pai/core';

/** `@graphon-pai/core`'s check (re-exported here for this package's users): a number in (0, 1]. */
export { checkDensity };

/** The exact kept count `round(density · total)` of a scope of `total` weights. */
export function keptCount(density: number, total: number, argument = 'density'): number {
  checkDensity(density, argument);
  if (!(Number.isInteger(total) && total > 0)) {
    throw new InvalidArgumentError('total', total, 'a positive integer number of weights in the scope', {
      fix: 'a scope must contain at least one weight; check the layer shapes',
    });
  }
  return Math.round(density * total);
}
