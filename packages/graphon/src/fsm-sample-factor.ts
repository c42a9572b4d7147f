/**
 * The FSM limit when one factor is an interpolated sample or a profile (a "jagged" law with thousands of
 * kinks) and the other factor and the noise are continuous laws: an exact reduction to 1-D tables.
 *
 * Multiplicative link, `J` the sample factor (row or column), `C` the continuous factor, `G(t) = P(ξ > t)`.
 * With `J(w) = Q_J(1 − w)` and `c(z) = Q_C(1 − z)` the factors at positions `w` and `z`, every integral of the
 * limit over a rectangle factorises through the product tail of `C·ξ` restricted to a z-range:
 *
 *     ∫_{w0}^{w1} ∫_{z0}^{z1} G(τ / (J(w) c(z))) dz dw = ∫_{w0}^{w1} h(log τ − log J(w)) dw,
 *     h(y) = ∫_{z0}^{z1} G(e^y / c(z)) dz           (h does not depend on τ).
 *
 * 1. `h` is tabulated once per z-range as a piecewise Chebyshev interpolant of degree 16 in `y` (17 nodes per
 *    piece, each an adaptive Gauss–Kronrod integral over `z`, see `innerMass` in `fsm.ts`); a piece is split
 *    until its three last coefficients are below a quarter of the target. Pieces end at the kinks of `h`
 *    (`y = log(c(z_end)·ξ_end)` for finite support ends of ξ); outside `[y0, y1]`, where ξ·C lies beyond its
 *    δ = 1e-15 quantiles, `h` is its end value (`h(y0)` left, 0 right).
 * 2. The sample factor's quantile is linear between `((i + ½)/n, x_i)` and constant outside, so `J(w)` is linear
 *    on `n + 1` cells of width ≤ 1/n. On each cell the integrand `h(log τ − log J(w))` is smooth except where
 *    `log τ − log J(w)` crosses a table edge; cells are cut there (J is linear: the cut is exact) and into
 *    sub-cells spanning at most 1/8 of the local table piece in `y`, each integrated by 5-point Gauss–Legendre
 *    (exact to degree 9; a typical profile cell spans ~1e-3 in `y`, so one rule per cell).
 *
 * So `D(τ)` costs `5(n + 1)` table evaluations (≈ 8–13 ms at n = 8192 on the shared test machine) instead of a 2-D adaptive quadrature over
 * thousands of kinks (seconds), and `τ` is solved to the same tolerance. Block averages build one table per
 * z-range (cached) and sum over the cells of the w-range.
 *
 * Accuracy: table nodes to `tol/20`, Chebyshev tails to `tol/4` (absolute, per unit length of the w-range),
 * tails beyond `[y0, y1]` ≤ 2δ; checked against closed forms (profile `1 − x` with uniform C and ξ), scipy
 * references in special functions (`test/fixtures/fsm-sample-factor/generate.py`) and the 2-D quadrature.
 * When the table does not converge (a custom law with unannounced kinks), the caller falls back to the 2-D
 * quadrature.
 *
 * @example
 * // chosen automatically by fsmLimit for e.g. { rowFactor: { profile: (x) => Math.exp(-3 * x) }, colFactor: 'half-normal', noise: 'half-normal' }
 *
 * Reference: J. P. Boyd, "Chebyshev and Fourier Spectral Methods" (2001), ch. 2 (coefficient decay as the
 * convergence test); Clenshaw's recurrence for the evaluation.
 */
import type { Distribution } from './distributions';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { abs, ceil, cos, exp, floor, log, max, min, PI } = Math;
const { POSITIVE_INFINITY: INF, isFinite: finite } = Number;

/** `∫_{z0}^{z1} G(e^y / c(z)) dz` to absolute accuracy `tol` (an adaptive 1-D quadrature over C). */
export type ProductTailIntegral = (y: number, z0: number, z1: number, tol: number) => number;

/** Chebyshev points per piece (degree 16). */
const N = 17;
/** cos(π j (k + ½) / N) for the coefficient transform, row j. */
const TRANSFORM = new Float64Array(N * N);
/** Chebyshev points of the first kind on [−1, 1]. */
const NODES = new Float64Array(N);
for (let k = 0; k < N; k++) NODES[k] = cos((PI * (k + 0.5)) / N);
for (let j = 0; j < N; j++) for (let k = 0; k < N; k++) TRANSFORM[j * N + k] = cos((PI * j * (k + 0.5)) / N);
/** 5-point Gauss–Legendre nodes and weights on [−1, 1]. */
const GL_X = [-0.906179845938664, -0.5384693101056831, 0, 0.5384693101056831, 0.906179845938664];
const GL_W = [
  0.23692688505618908, 0.47862867049936647, 0.5688888888888889, 0.47862867049936647, 0.23692688505618908,
];
/** Quantile level beyond which ξ·C counts as at its end. */
const DELTA = 1e-15;
/** At most this many table pieces (else the table is declared not converged). */
const MAX_PIECES = 4000;

/** A piecewise Chebyshev table of h(y) (see the file header, step 1). */
export class ProductTailTable {
  /** Piece edges y_0 < … < y_P. */
  readonly edges: Float64Array;
  /** Coefficients, N per piece. */
  private readonly coef: Float64Array;
  /** h for y ≤ edges[0]. */
  readonly left: number;

  constructor(edges: Float64Array, coef: Float64Array, left: number) {
    this.edges = edges;
    this.coef = coef;
    this.left = left;
  }

  get pieces(): number {
    return this.edges.length - 1;
  }

  /** Index p with edges[p] ≤ y < edges[p + 1] (y inside the table). */
  locate(y: number): number {
    const e = this.edges;
    let lo = 0;
    let hi = e.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (e[mid] <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** h(y). */
  value(y: number): number {
    const e = this.edges;
    if (!(y > e[0])) return y <= e[0] ? this.left : 0;
    if (y >= e[e.length - 1]) return 0;
    return this.inPiece(this.locate(y), y);
  }

  /** h(y) for y in piece p (Clenshaw). */
  inPiece(p: number, y: number): number {
    const a = this.edges[p];
    const b = this.edges[p + 1];
    const t = (2 * y - a - b) / (b - a);
    const c = this.coef;
    const o = p * N;
    let b1 = 0;
    let b2 = 0;
    for (let j = N - 1; j >= 1; j--) {
      const b0 = 2 * t * b1 - b2 + c[o + j];
      b2 = b1;
      b1 = b0;
    }
    return t * b1 - b2 + c[o];
  }
}

/**
 * Tabulates h over [z0, z1] to absolute accuracy `tol`; undefined when it does not converge within
 * {@link MAX_PIECES} pieces.
 */
export function productTailTable(
  inner: ProductTailIntegral,
  c: Distribution,
  noise: Distribution,
  z0: number,
  z1: number,
  tol: number,
): ProductTailTable | undefined {
  const cHi = c.upperQuantile(max(z0, DELTA));
  const cLo = c.upperQuantile(min(z1, 1 - DELTA));
  const y1 = log(noise.upperQuantile(DELTA) * cHi);
  let y0 = log(noise.quantile(DELTA) * cLo);
  if (!finite(y1)) return undefined;
  if (!(y0 > y1 - 200)) y0 = y1 - 200;
  if (!(y1 > y0)) return undefined;
  // Kinks of h: where e^y / c(z_end) reaches a finite support end of ξ.
  const breaks: number[] = [y0, y1];
  const xiEnds = [noise.quantile(0), noise.upperQuantile(0)].filter((e) => e > 0 && finite(e));
  const cEnds = [c.upperQuantile(z0), c.upperQuantile(z1)].filter((e) => e > 0 && finite(e));
  for (const e of xiEnds) for (const ce of cEnds) breaks.push(log(e * ce));
  const points = [...new Set(breaks.filter((y) => y >= y0 && y <= y1))].sort((a, b) => a - b);
  const nodeTol = max(tol / 20, 5e-14 * (z1 - z0));
  const coefTol = tol / 4;
  const edges: number[] = [];
  const coef: number[] = [];
  const values = new Float64Array(N);
  const fit = (a: number, b: number, depth: number): boolean => {
    const mid = 0.5 * (a + b);
    const half = 0.5 * (b - a);
    for (let k = 0; k < N; k++) values[k] = inner(mid + half * NODES[k], z0, z1, nodeTol);
    const cs = new Float64Array(N);
    for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < N; k++) s += TRANSFORM[j * N + k] * values[k];
      cs[j] = ((j === 0 ? 1 : 2) * s) / N;
    }
    const tail = max(abs(cs[N - 1]), abs(cs[N - 2]), abs(cs[N - 3]));
    if (tail <= coefTol || depth >= 48) {
      if (tail > coefTol) return false;
      edges.push(a);
      for (let j = 0; j < N; j++) coef.push(cs[j]);
      return true;
    }
    if (edges.length + 2 > MAX_PIECES) return false;
    return fit(a, mid, depth + 1) && fit(mid, b, depth + 1);
  };
  for (let i = 0; i + 1 < points.length; i++) {
    // Start from pieces of width ≤ 4 so that every piece is resolved from its own nodes.
    const parts = max(1, ceil((points[i + 1] - points[i]) / 4));
    for (let k = 0; k < parts; k++) {
      const a = points[i] + ((points[i + 1] - points[i]) * k) / parts;
      const b = k + 1 === parts ? points[i + 1] : points[i] + ((points[i + 1] - points[i]) * (k + 1)) / parts;
      if (!fit(a, b, 0)) return undefined;
    }
  }
  edges.push(y1);
  return new ProductTailTable(Float64Array.from(edges), Float64Array.from(coef), inner(y0, z0, z1, nodeTol));
}

/**
 * The sample factor J as a function of its position w (largest first): `n + 1` cells with J linear on each
 * (see the file header, step 2).
 */
export class SampleFactor {
  /** Sorted sample x_0 ≤ … ≤ x_{n−1}. */
  private readonly x: Float64Array;
  private readonly n: number;

  constructor(knots: Float64Array) {
    this.x = knots;
    this.n = knots.length;
  }

  /** Left end of cell k: 0, then (k − ½)/n for k = 1 … n, and 1 after the last cell. */
  private edge(k: number): number {
    return k <= 0 ? 0 : k > this.n ? 1 : (k - 0.5) / this.n;
  }

  /** J at the left end of cell k (cell 0 and cell n are constant: x_{n−1} and x_0). */
  private startValue(k: number): number {
    return k <= 0 ? this.x[this.n - 1] : this.x[this.n - k];
  }

  /** J at the right end of cell k. */
  private endValue(k: number): number {
    return k >= this.n ? this.x[0] : this.x[this.n - k - 1];
  }

  /** ∫_{w0}^{w1} h(log τ − log J(w)) dw with h tabulated. */
  integrate(table: ProductTailTable, tau: number, w0: number, w1: number): number {
    const n = this.n;
    const lt = log(tau);
    let k = w0 * n < 0.5 ? 0 : min(n, floor(w0 * n + 0.5));
    while (k > 0 && this.edge(k) > w0) k--;
    while (k < n && this.edge(k + 1) <= w0) k++;
    let total = 0;
    for (; k <= n; k++) {
      const ca = this.edge(k);
      const cb = this.edge(k + 1);
      if (ca >= w1) break;
      const wa = max(ca, w0);
      const wb = min(cb, w1);
      if (!(wb > wa)) continue;
      const ja = this.startValue(k);
      const jb = this.endValue(k);
      // J at the clipped ends (linear on the cell).
      const span = cb - ca;
      const va = ja + ((jb - ja) * (wa - ca)) / span;
      const vb = ja + ((jb - ja) * (wb - ca)) / span;
      total += piece(table, lt, wa, wb, va, vb);
    }
    return total;
  }
}

/** ∫_{wa}^{wb} h(lt − log J(w)) dw for J linear from ja (at wa) down to jb (at wb), ja ≥ jb ≥ 0. */
function piece(table: ProductTailTable, lt: number, wa: number, wb: number, ja: number, jb: number): number {
  if (!(ja > 0)) return 0;
  if (ja === jb) return (wb - wa) * table.value(lt - log(ja));
  const e = table.edges;
  const yEnd = e[e.length - 1];
  const ya = lt - log(ja);
  const yb = jb > 0 ? lt - log(jb) : INF;
  if (ya >= yEnd) return 0;
  if (yb <= e[0]) return (wb - wa) * table.left;
  const dj = ja - jb;
  const wAt = (y: number) => (y >= yb ? wb : wa + ((wb - wa) * (ja - exp(lt - y))) / dj);
  let total = 0;
  let y = ya;
  let wPrev = wa;
  for (let guard = 0; y < yb && guard < 100000; guard++) {
    if (y >= yEnd) break; // h = 0 beyond the table
    let yNext: number;
    if (y < e[0]) {
      yNext = min(yb, e[0]);
      const wNext = wAt(yNext);
      total += table.left * (wNext - wPrev);
      wPrev = wNext;
      y = yNext;
      continue;
    }
    const p = table.locate(y);
    yNext = min(yb, e[p + 1], y + 0.125 * (e[p + 1] - e[p]));
    const wNext = wAt(yNext);
    // 5-point Gauss–Legendre on [wPrev, wNext]; every node lies in piece p.
    const c = 0.5 * (wPrev + wNext);
    const h = 0.5 * (wNext - wPrev);
    let s = 0;
    for (let i = 0; i < 5; i++) {
      const w = c + h * GL_X[i];
      const j = ja - (dj * (w - wa)) / (wb - wa);
      const yy = lt - log(j);
      s += GL_W[i] * table.inPiece(p, max(e[p], min(e[p + 1], yy)));
    }
    total += s * h;
    wPrev = wNext;
    y = yNext;
  }
  return total;
}

/** Everything the FSM limit needs from the reduction: D(τ) and block masses. */
export class SampleFactorLimit {
  private readonly tables = new Map<string, ProductTailTable | null>();

  private constructor(
    /** True when the sample factor is the row factor (positions w = u), else the column factor. */
    readonly sampleIsRow: boolean,
    private readonly sample: SampleFactor,
    private readonly c: Distribution,
    private readonly noise: Distribution,
    private readonly inner: ProductTailIntegral,
    private readonly full: ProductTailTable,
  ) {}

  /**
   * The reduction for `sample` (an interpolated empirical law) against the continuous factor `c` and noise,
   * with D accurate to `tol`; undefined when a law does not qualify or the table does not converge.
   */
  static create(
    sampleIsRow: boolean,
    sample: Distribution,
    c: Distribution,
    noise: Distribution,
    inner: ProductTailIntegral,
    tol: number,
  ): SampleFactorLimit | undefined {
    const knots = sample.knots;
    if (!knots || !(knots[0] >= 0)) return undefined;
    if (c.hasAtoms || c.knots || noise.hasAtoms || noise.pointMass !== undefined) return undefined;
    if (!(noise.quantile(DELTA) > 0 && c.quantile(DELTA) > 0)) return undefined;
    const full = productTailTable(inner, c, noise, 0, 1, tol);
    if (!full) return undefined;
    return new SampleFactorLimit(sampleIsRow, new SampleFactor(knots), c, noise, inner, full);
  }

  /** D(τ) = ∫∫ W. */
  density(tau: number): number {
    return this.sample.integrate(this.full, tau, 0, 1);
  }

  /**
   * ∫∫ W over [u0, u1] × [v0, v1] to absolute accuracy ≈ `tol` (one table per column range, cached); undefined
   * when that table does not converge.
   */
  blockMass(tau: number, u0: number, u1: number, v0: number, v1: number, tol: number): number | undefined {
    const [w0, w1, z0, z1] = this.sampleIsRow ? [u0, u1, v0, v1] : [v0, v1, u0, u1];
    const tableTol = (0.5 * tol) / (w1 - w0);
    const key = `${z0},${z1},${tableTol}`;
    let table = this.tables.get(key);
    if (table === undefined) {
      table = productTailTable(this.inner, this.c, this.noise, z0, z1, tableTol) ?? null;
      if (this.tables.size < 4096) this.tables.set(key, table);
    }
    return table ? this.sample.integrate(table, tau, w0, w1) : undefined;
  }
}
