/**
 * Alternating maximisation of a cut (the closed-form best response on each side).
 *
 * For a fixed column set T the best row set for the sign σ is `S = {p : σ·(B 1_T)_p > 0}` with value
 * `Σ_p max(σ·(B 1_T)_p, 0)`; symmetrically for T given S. Alternating the two best responses never
 * decreases `σ·Σ_{S×T} B` and stops at a cut that neither side can improve alone. Each half-step costs one
 * product with B or Bᵀ.
 */
import type { BlockOperator, ProductMode } from './operator';

export interface FoundCut {
  /** 0/1 indicator over row pieces. */
  s: Float64Array;
  /** 0/1 indicator over column pieces. */
  t: Float64Array;
  /** Signed cut value Σ_{S×T} B. */
  value: number;
  /** Products with B or Bᵀ spent. */
  products: number;
}

/**
 * Best response of the rows to `t`; `sign` 0 picks the better sign. Returns the value `σ·Σ` reached.
 * `y` (length rows) must hold `B·t` on entry.
 */
function bestResponse(
  y: Float64Array,
  n: number,
  sign: number,
  out: Float64Array,
): { sign: number; value: number } {
  if (sign === 0) {
    let pos = 0;
    let neg = 0;
    for (let p = 0; p < n; p++) {
      const v = y[p];
      if (v > 0) pos += v;
      else neg -= v;
    }
    sign = pos >= neg ? 1 : -1;
  }
  let value = 0;
  for (let p = 0; p < n; p++) {
    const v = sign * y[p];
    if (v > 0) {
      out[p] = 1;
      value += v;
    } else out[p] = 0;
  }
  return { sign, value };
}

/**
 * Alternating maximisation from the column set `t0` (copied). `sign` 0 lets the first step choose.
 * At most `maxSweeps` sweeps (two products each; after the first, products are updated from the rows that
 * changed when that is cheaper, see {@link ProductTracker}).
 */
export function alternate(op: BlockOperator, t0: Float64Array, sign: number, maxSweeps = 100): FoundCut {
  const s = new Float64Array(op.rows);
  const t = Float64Array.from(t0);
  const y = new Float64Array(op.rows);
  const x = new Float64Array(op.cols);
  const sNext = new Float64Array(op.rows);
  const tNext = new Float64Array(op.cols);
  // What y and x are currently the products of.
  const tOfY = Float64Array.from(t0);
  const sOfX = new Float64Array(op.rows);
  const rowsTracker = new ProductTracker(op, true, 1);
  const colsTracker = new ProductTracker(op, false, 1);
  let best = -Infinity;
  let products = 0;
  op.mul(t, 1, y);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    if (sweep > 0) {
      colsTracker.update(tOfY, t, y, 'fast');
      products++;
    } else products++;
    const r = bestResponse(y, op.rows, sign, sNext);
    sign = r.sign;
    if (sweep === 0) op.mulT(sNext, 1, x);
    else rowsTracker.update(sOfX, sNext, x, 'fast');
    sOfX.set(sNext);
    products++;
    const c = bestResponse(x, op.cols, sign, tNext);
    // The column step can only improve on the row step; stop once a sweep gains nothing.
    if (!(c.value > best * (1 + 1e-14) + 1e-300) && sweep > 0) break;
    best = c.value;
    s.set(sNext);
    t.set(tNext);
  }
  if (best === -Infinity || best < 0) best = 0;
  return { s, t, value: sign * best, products };
}

/**
 * Keeps `out = op · v` (or `opᵀ · v`) current as the 0/1 block v (length × r) changes: a full (packed
 * indicator) product when many rows changed, otherwise {@link BlockOperator.addProduct} on the changed
 * rows only. Late alternating sweeps flip few rows, so they cost O(flipped entries) instead of O(nnz).
 */
export class ProductTracker {
  private readonly length: number;
  private readonly changed: Uint32Array;
  private readonly delta: Float64Array;
  private readonly incremental: boolean;

  constructor(
    private readonly op: BlockOperator,
    /** true: out = opᵀ · v (v over rows); false: out = op · v (v over columns). */
    private readonly transposed: boolean,
    private readonly r: number,
  ) {
    this.length = transposed ? op.rows : op.cols;
    this.changed = new Uint32Array(this.length);
    this.delta = new Float64Array(this.length * r);
    this.incremental = op.incremental;
  }

  /** `out` holds op·prev on entry and op·next on return; `prev` is overwritten with `next`. */
  update(prev: Float64Array, next: Float64Array, out: Float64Array, mode: ProductMode): void {
    const { r, length, changed, delta } = this;
    let count = 0;
    let flips = 0;
    for (let q = 0; q < length; q++) {
      let moved = false;
      for (let k = q * r; k < q * r + r; k++) {
        const d = next[k] - prev[k];
        delta[k] = d;
        if (d !== 0) {
          moved = true;
          flips++;
        }
      }
      if (moved) changed[count++] = q;
    }
    if (count === 0) return;
    // A scatter costs one read-modify-write per flipped (row, column) and stored entry; a packed full
    // product about ⌈r/5⌉ gathered additions per stored entry (one for single vectors): scatter while the
    // flips are fewer than half the rows.
    if (this.incremental && flips * 2 <= length) {
      this.op.addProduct(this.transposed, delta, changed, count, r, out);
    } else if (this.transposed) this.op.mulT(next, r, out, mode);
    else this.op.mul(next, r, out, mode);
    prev.set(next);
  }
}

/** Row and column index lists of a cut. */
export function indices(indicator: Float64Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < indicator.length; i++) if (indicator[i] !== 0) n++;
  const out = new Uint32Array(n);
  let w = 0;
  for (let i = 0; i < indicator.length; i++) if (indicator[i] !== 0) out[w++] = i;
  return out;
}

/**
 * Alternating maximisation of `c` candidates at once: the column sets are the columns of `starts`
 * (cols×c, 0/1, row-major), so each half-step is one block product (GEMM for dense summands). Signs are
 * chosen per candidate on the first step. The best candidate is then polished by {@link alternate} in
 * float64, whose value is the one reported.
 */
export function alternateMany(op: BlockOperator, starts: Float64Array, c: number, maxSweeps = 30): FoundCut {
  const m = op.rows;
  const n = op.cols;
  const t = Float64Array.from(starts);
  const tOfY = Float64Array.from(starts);
  const y = new Float64Array(m * c);
  const s = new Float64Array(m * c);
  const sOfX = new Float64Array(m * c);
  const x = new Float64Array(n * c);
  const sign = new Float64Array(c);
  const best = new Float64Array(c).fill(-Infinity);
  const active = new Uint8Array(c).fill(1);
  const rowsTracker = new ProductTracker(op, true, c);
  const colsTracker = new ProductTracker(op, false, c);
  let products = 0;
  op.mul(t, c, y, 'indicator');
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    if (sweep > 0) colsTracker.update(tOfY, t, y, 'indicator');
    bestRowsBlock(y, m, c, sign, s);
    if (sweep === 0) {
      op.mulT(s, c, x, 'indicator');
      sOfX.set(s);
    } else rowsTracker.update(sOfX, s, x, 'indicator');
    products += 2;
    let any = false;
    for (let k = 0; k < c; k++) {
      if (!active[k]) continue;
      let value = 0;
      for (let q = 0; q < n; q++) {
        const v = sign[k] * x[q * c + k];
        if (v > 0) value += v;
      }
      // Candidates stop once a sweep gains less than 1e-6 (relative); the polish below finishes the winner.
      if (value > best[k] * (1 + 1e-6) + 1e-300 || sweep === 0) {
        best[k] = value;
        for (let q = 0; q < n; q++) t[q * c + k] = sign[k] * x[q * c + k] > 0 ? 1 : 0;
        any = true;
      } else active[k] = 0;
    }
    if (!any) break;
  }
  let winner = 0;
  for (let k = 1; k < c; k++) if (best[k] > best[winner]) winner = k;
  const tw = new Float64Array(n);
  for (let q = 0; q < n; q++) tw[q] = t[q * c + winner];
  const polished = alternate(op, tw, sign[winner], 20);
  polished.products += products;
  return polished;
}

/** Per-candidate best row response to y (rows×c); fixes signs still 0. Writes s and returns it. */
function bestRowsBlock(
  y: Float64Array,
  m: number,
  c: number,
  sign: Float64Array,
  s: Float64Array,
): Float64Array {
  for (let k = 0; k < c; k++) {
    if (sign[k] === 0) {
      let pos = 0;
      let neg = 0;
      for (let p = 0; p < m; p++) {
        const v = y[p * c + k];
        if (v > 0) pos += v;
        else neg -= v;
      }
      sign[k] = pos >= neg ? 1 : -1;
    }
  }
  for (let p = 0; p < m; p++) {
    for (let k = 0; k < c; k++) s[p * c + k] = sign[k] * y[p * c + k] > 0 ? 1 : 0;
  }
  return s;
}
