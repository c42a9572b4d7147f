/**
 * Plug-in histogram bandwidth for bipartite masks: the oracle rule of Olhede & Wolfe (2014), adapted to
 * rectangular matrices (our adaptation; the original is for symmetric adjacency matrices).
 *
 * Olhede–Wolfe fit a rank-one graphon `f(x, y) ≈ m·d(x)·d(y)` from the sorted degrees `d`, estimate the
 * slope `d'` by least squares over the middle `2c√n` sorted degrees (`c = min(4, √n/8)`) and take the
 * MISE-optimal bin size for a Hölder-1 graphon, `h = (4 · m² · d_mid² · d'² / ρ̂)^(−1/4)` nodes. Bipartite
 * version: row degrees `r` and column degrees `c`, `m = rᵀMc / (‖r‖² ‖c‖²)` (so `f ≈ m·r(x)·c(y)`), and
 * one bandwidth per side from that side's slope and the other side's mid-degree:
 *
 *     h_row = (4 · m² · c_mid² · r'² / ρ̂)^(−1/4),   h_col = (4 · m² · r_mid² · c'² / ρ̂)^(−1/4),
 *
 * clamped to [2, side] (a flat degree profile gives one block: nothing to resolve). Blocks:
 * `K = round(rows / h_row)`, `L = round(cols / h_col)`, at least 1.
 *
 * Complexity: O(words + nnz + rows log rows + cols log cols).
 *
 * @example
 * const { rowBlocks, colBlocks } = pluginBlocks(mask);
 *
 * Reference: S. C. Olhede, P. J. Wolfe, "Network histograms and universality of blockmodel approximation",
 * PNAS 111 (2014), and their `nethist` code (`oracbwplugin`, type 'degs', α = 1).
 */
import type { BitMatrix } from '@graphon-pai/core';
import { checkMask } from './canonical';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { floor, max, min, round, sqrt } = Math;

export interface PluginBandwidth {
  /** Bin sizes in rows and columns. */
  rowBandwidth: number;
  colBandwidth: number;
  rowBlocks: number;
  colBlocks: number;
}

function midSlope(sortedAsc: Float64Array): { slope: number; mid: number } {
  const n = sortedAsc.length;
  const c = min(4, sqrt(n) / 8);
  const lo = max(0, round(n / 2 - c * sqrt(n)));
  const hi = min(n - 1, round(n / 2 + c * sqrt(n)));
  if (hi <= lo) return { slope: 0, mid: sortedAsc[floor(n / 2)] };
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  const m = hi - lo + 1;
  for (let i = lo; i <= hi; i++) {
    sx += i;
    sy += sortedAsc[i];
    sxx += i * i;
    sxy += i * sortedAsc[i];
  }
  const slope = (m * sxy - sx * sy) / (m * sxx - sx * sx);
  const intercept = (sy - slope * sx) / m;
  return { slope, mid: intercept + slope * ((lo + hi) / 2) };
}

export function pluginBlocks(mask: BitMatrix): PluginBandwidth {
  checkMask(mask);
  const { rows, cols } = mask;
  const r = Float64Array.from(mask.rowDegrees());
  const c = Float64Array.from(mask.colDegrees());
  let rMc = 0;
  mask.forEachSet((i, j) => {
    rMc += r[i] * c[j];
  });
  let rr = 0;
  let cc = 0;
  let nnz = 0;
  for (const x of r) {
    rr += x * x;
    nnz += x;
  }
  for (const x of c) cc += x * x;
  const rho = nnz / (rows * cols);
  const mult = rr > 0 && cc > 0 ? rMc / (rr * cc) : 0;
  const rs = midSlope(r.slice().sort());
  const cs = midSlope(c.slice().sort());
  const band = (slope: number, otherMid: number, side: number): number => {
    const q = (4 * mult * mult * otherMid * otherMid * slope * slope) / max(rho, 1e-300);
    const h = q > 0 ? q ** -0.25 : side;
    return min(side, max(min(2, side), h));
  };
  const rowBandwidth = band(rs.slope, cs.mid, rows);
  const colBandwidth = band(cs.slope, rs.mid, cols);
  return {
    rowBandwidth,
    colBandwidth,
    rowBlocks: max(1, min(rows, round(rows / rowBandwidth))),
    colBlocks: max(1, min(cols, round(cols / colBandwidth))),
  };
}
