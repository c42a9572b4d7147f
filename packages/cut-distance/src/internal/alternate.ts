/**
 * Alternating maximisation of a cut (the closed-form best response on each side).
 *
 * For a fixed column set T the best row set for the sign σ is `S = {p : σ·(B 1_T)_p > 0}` with value
 * `Σ_p max(σ·(B 1_T)_p, 0)`; symmetrically for T given S. Alternating the two best responses never
 * decreases `σ·Σ_{S×T} B` and stops at a cut that neither side can improve alone. Each half-step costs one
 * product with B or Bᵀ.
 */
import type { BlockOperator } from './operator';

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
function bestResponse(y: Float64Array, n: number, sign: number, out: Float64Array): { sign: number; value: number } {
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
 * At most `maxSweeps` sweeps (two products each).
 */
export function alternate(op: BlockOperator, t0: Float64Array, sign: number, maxSweeps = 100): FoundCut {
  const s = new Float64Array(op.rows);
  const t = Float64Array.from(t0);
  const y = new Float64Array(op.rows);
  const x = new Float64Array(op.cols);
  const sNext = new Float64Array(op.rows);
  const tNext = new Float64Array(op.cols);
  let best = -Infinity;
  let products = 0;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    op.mul(t, 1, y);
    products++;
    const r = bestResponse(y, op.rows, sign, sNext);
    sign = r.sign;
    op.mulT(sNext, 1, x);
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

/** Row and column index lists of a cut. */
export function indices(indicator: Float64Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < indicator.length; i++) if (indicator[i] !== 0) n++;
  const out = new Uint32Array(n);
  let w = 0;
  for (let i = 0; i < indicator.length; i++) if (indicator[i] !== 0) out[w++] = i;
  return out;
}
