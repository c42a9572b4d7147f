/**
 * Exact cut norm by enumeration of the smaller side with Gray-code updates.
 *
 *     ‖B‖_□ = max_J max( Σ_p max(s_p(J), 0),  Σ_p max(−s_p(J), 0) ),   s(J) = B·1_J
 *
 * For a fixed column set J the best row set is closed form (rows with positive, resp. negative, partial
 * sums), so enumerating the 2^n column sets of the smaller side gives the exact value. Consecutive Gray
 * codes differ in one column, so `s` is updated with one column in O(m): total O(2^n · m) time, O(m·n)
 * memory. The value of the winning cut is recomputed from scratch at the end (no drift from 2^n updates).
 */
import type { FoundCut } from './alternate';

/**
 * Exact maximiser for the dense mass matrix `b` (m×n row-major). Enumerates columns; the caller passes the
 * transposed matrix when rows are fewer.
 */
export function exactCut(b: Float64Array, m: number, n: number): FoundCut {
  // Column-major copy: the Gray-code update reads one column contiguously.
  const bt = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) bt[j * m + i] = b[i * n + j];
  const s = new Float64Array(m);
  let best = 0;
  let bestCode = 0;
  let bestSign = 1;
  let gray = 0;
  const total = 2 ** n;
  for (let g = 1; g < total; g++) {
    // The bit flipped between Gray codes g-1 and g is the lowest set bit of g.
    // (a shift loop: amortised two steps, and not slowed down by instrumented globals)
    let j = 0;
    for (let x = g; (x & 1) === 0; x >>>= 1) j++;
    const bit = 1 << j;
    gray ^= bit;
    const add = (gray & bit) !== 0;
    const base = j * m;
    let pos = 0;
    let neg = 0;
    if (add) {
      for (let i = 0; i < m; i++) {
        const v = s[i] + bt[base + i];
        s[i] = v;
        if (v > 0) pos += v;
        else neg -= v;
      }
    } else {
      for (let i = 0; i < m; i++) {
        const v = s[i] - bt[base + i];
        s[i] = v;
        if (v > 0) pos += v;
        else neg -= v;
      }
    }
    if (pos > best) {
      best = pos;
      bestCode = gray;
      bestSign = 1;
    }
    if (neg > best) {
      best = neg;
      bestCode = gray;
      bestSign = -1;
    }
  }
  const t = new Float64Array(n);
  for (let j = 0; j < n; j++) t[j] = (bestCode >>> j) & 1;
  const rows = new Float64Array(m);
  let value = 0;
  for (let i = 0; i < m; i++) {
    let acc = 0;
    for (let j = 0; j < n; j++) if (t[j]) acc += b[i * n + j];
    if (bestSign * acc > 0) {
      rows[i] = 1;
      value += acc;
    }
  }
  return { s: rows, t, value, products: total };
}
