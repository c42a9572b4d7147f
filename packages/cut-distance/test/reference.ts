/** Slow float64 references for the tests: no closed forms, no shared code with src/. */

// Global lookups (`Math.abs`) are very slow inside jest's vm context; a module-level alias is not.
const { abs } = Math;

/** max_{I,J} |Σ_{I×J} a| / (m·n) by enumerating every pair of subsets (m, n ≤ 12). */
export function bruteForceCutNorm(
  a: ArrayLike<number>,
  m: number,
  n: number,
  rowW?: number[],
  colW?: number[],
): number {
  const rw = rowW ?? new Array(m).fill(1 / m);
  const cw = colW ?? new Array(n).fill(1 / n);
  let best = 0;
  const partial = new Float64Array(m);
  const sums = new Float64Array(1 << m);
  // Index of the lowest set bit (Math.clz32 is very slow under jest's environment).
  const lowest = new Uint8Array(1 << m);
  for (let I = 2; I < 1 << m; I++) lowest[I] = I & 1 ? 0 : lowest[I >> 1] + 1;
  for (let J = 0; J < 1 << n; J++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) if ((J >> j) & 1) s += a[i * n + j] * cw[j];
      partial[i] = s * rw[i];
    }
    // Every row subset I, its sum built from I minus its lowest element.
    sums[0] = 0;
    for (let I = 1; I < 1 << m; I++) {
      const low = lowest[I];
      const s = sums[I & (I - 1)] + partial[low];
      sums[I] = s;
      if (abs(s) > best) best = abs(s);
    }
  }
  return best;
}

/** Sum of a over the cut, normalised (rows, cols are index lists). */
export function cutSum(
  a: ArrayLike<number>,
  n: number,
  rows: ArrayLike<number>,
  cols: ArrayLike<number>,
  m: number,
): number {
  let s = 0;
  for (let x = 0; x < rows.length; x++) for (let y = 0; y < cols.length; y++) s += a[rows[x] * n + cols[y]];
  return abs(s) / (m * n);
}
