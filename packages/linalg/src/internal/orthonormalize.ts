/**
 * Orthonormalises the columns of a row-major rows×l block in place (modified Gram–Schmidt, applied twice
 * for orthogonality to working precision). Columns that collapse (rank deficiency) are replaced by random
 * directions orthogonal to the previous ones, so the result always has l orthonormal columns (l ≤ rows).
 * Optionally writes the triangular factor R (l×l row-major) with block = Q·R (zero rows for replaced
 * columns).
 */
import type { Rng } from '@graphon-pai/core';
import { scratch64 } from './scratch';

export function orthonormalize(y: Float64Array, rows: number, l: number, rng: Rng, r?: Float64Array): void {
  // Work on the transpose so every column is contiguous.
  const t = scratch64('orth:t', l * rows);
  for (let i = 0; i < rows; i++) for (let j = 0; j < l; j++) t[j * rows + i] = y[i * l + j];
  if (r) r.fill(0, 0, l * l);
  for (let j = 0; j < l; j++) {
    const jo = j * rows;
    let original = 0;
    for (let i = 0; i < rows; i++) original += t[jo + i] * t[jo + i];
    original = Math.sqrt(original);
    let norm = 0;
    let replaced = false;
    for (let attempt = 0; attempt < 4; attempt++) {
      for (let pass = 0; pass < 2; pass++) {
        for (let c = 0; c < j; c++) {
          const co = c * rows;
          let d = 0;
          for (let i = 0; i < rows; i++) d += t[co + i] * t[jo + i];
          for (let i = 0; i < rows; i++) t[jo + i] -= d * t[co + i];
          if (r && attempt === 0) r[c * l + j] += d;
        }
      }
      norm = 0;
      for (let i = 0; i < rows; i++) norm += t[jo + i] * t[jo + i];
      norm = Math.sqrt(norm);
      if (norm > 1e-10 * original && norm > 0) break;
      // Collapsed: the column lies in the span of the previous ones. Continue with a random direction.
      replaced = true;
      for (let i = 0; i < rows; i++) t[jo + i] = rng.normal();
      original = Math.sqrt(rows);
      norm = 0;
    }
    if (r) r[j * l + j] = replaced ? 0 : norm;
    const inv = 1 / norm;
    for (let i = 0; i < rows; i++) t[jo + i] *= inv;
  }
  for (let i = 0; i < rows; i++) for (let j = 0; j < l; j++) y[i * l + j] = t[j * rows + i];
}
