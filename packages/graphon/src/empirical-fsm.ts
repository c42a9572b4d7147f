/**
 * The FSM limit for *finite* factor populations: the exact finite computation behind the limit a network's
 * own (fitted or derived) factors predict.
 *
 * Given neuron factors `A_1 … A_n ≥ 0`, input factors `B_1 … B_d ≥ 0` and a noise law `F_ξ` (the FSM with
 * multiplicative link `s = A·B·ξ`), sort both factor lists descending (ties keep index order) and place the
 * j-th largest `A` on `u ∈ ((j−1)/n, j/n]`, the i-th largest `B` on `v ∈ ((i−1)/d, i/d]` (the canonical,
 * degree-sorted orientation). The limit graphon is the step function
 *
 *     W(u, v) = P(ξ ≥ τ / (A_(j) B_(i)))        (pairs with A_(j)·B_(i) = 0 never connect: W = 0)
 *
 * with `τ` solving `D(τ) = (1/(n·d)) Σ_j Σ_i W_ji = p`. `D` is an exact finite double sum; no quadrature.
 *
 * Root finding: `D` is non-increasing in `τ`. On `x = log τ`, the bracket starts at `[−1, 1]` and widens by
 * steps of 2 (at most 200 each way), then the Illinois variant of regula falsi runs until `|D − p| ≤ 1e-9`
 * (at most 200 steps; typically ~10; after 30 steps it bisects). When the noise law has atoms (constant
 * noise: the threshold model), `D` is a staircase and may step over `p`; then the step is located by
 * bisection on `log τ` down to adjacent floating-point numbers `τLow < τ` (≤ 1100 halvings), and a fraction
 * `θ` of the pairs tied at the step is kept (uniform tie-breaking in the limit):
 * `W_ji = (1 − θ)·P(ξ ≥ τ/(A B)) + θ·P(ξ ≥ τLow/(A B))`, `θ = (p − D(τ))/(D(τLow) − D(τ))`. Every
 * loop is bounded, so the computation always terminates.
 *
 * Complexity: runs of equal factor values are merged first (many exact zeros, constant `B ≡ 1` of SynFlow,
 * `A ≡ B ≡ 1` of random/magnitude pruning), so one `D(τ)` costs `R_A · R_B` noise tail evaluations for
 * `R_A`, `R_B` distinct positive factor values (≤ n·d); the K × L block averages cost
 * `(R_A + K)(R_B + L)` more. Memory O(n + d).
 *
 * A slow reference double sum in the test tree checks the results agree to 1e-9.
 *
 * @example
 * const limit = empiricalFsmLimit(rowFactors, colFactors, { type: 'half-normal', scale: 0.05 }, 0.1);
 * limit.tau;                        // threshold on A·B·ξ
 * limit.toStepGraphon(32, 32);      // block averages on the mask's canonical-histogram grid
 *
 * Reference: Pham, Ta, Tran-Thanh, "Pruning at Initialisation through the lens of Graphon Limit", ICML 2026,
 * arXiv 2602.06675 (the FSM in this form is this project's reconstruction; docs: concepts/factorised-saliency-model).
 */
import { checkDensity, type Graphon, InvalidArgumentError, NumericalError, StepGraphon } from '@graphon-pai/core';
import { blockCuts } from './canonical';
import { type Distribution, type DistributionSpec, distribution } from './distributions';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { abs, ceil, exp, max, min } = Math;

export interface EmpiricalFsmLimitOptions {
  /** Absolute tolerance on the density met by τ (default 1e-9). */
  tolerance?: number;
}

/** Runs of equal values in a descending array: values and run ends (exclusive). */
interface Runs {
  readonly value: Float64Array;
  readonly end: Uint32Array;
  /** Number of runs with value > 0 (they come first). */
  readonly positive: number;
}

function checkFactors(x: ArrayLike<number>, argument: string): Float64Array {
  if (!x || typeof x.length !== 'number' || x.length === 0) {
    throw new InvalidArgumentError(argument, x, 'a non-empty array of factors ≥ 0');
  }
  const out = Float64Array.from(x);
  for (let i = 0; i < out.length; i++) {
    if (!(out[i] - out[i] === 0 && out[i] >= 0)) {
      throw new InvalidArgumentError(`${argument}[${i}]`, out[i], 'a finite factor ≥ 0', {
        fix: 'factors are magnitudes: take |x| and drop NaN/Infinity',
      });
    }
  }
  return out;
}

/** Sorted descending copy (stable: equal values keep index order, which does not change the values). */
function sortDescending(x: Float64Array): Float64Array {
  const s = Float64Array.from(x).sort();
  s.reverse();
  return s;
}

function runsOf(sorted: Float64Array): Runs {
  const value: number[] = [];
  const end: number[] = [];
  let positive = 0;
  for (let i = 0; i < sorted.length; ) {
    const v = sorted[i];
    let j = i + 1;
    while (j < sorted.length && sorted[j] === v) j++;
    value.push(v);
    end.push(j);
    if (v > 0) positive++;
    i = j;
  }
  return { value: Float64Array.from(value), end: Uint32Array.from(end), positive };
}

/** The FSM limit of finite factor populations (see the file header). */
export class EmpiricalFsmLimit implements Graphon {
  readonly closedForm: string;
  private readonly rowRuns: Runs;
  private readonly colRuns: Runs;

  constructor(
    /** Neuron factors sorted descending (row j of the graphon's grid). */
    readonly rowFactors: Float64Array,
    /** Input factors sorted descending. */
    readonly colFactors: Float64Array,
    readonly noise: Distribution,
    /** Threshold on A·B·ξ. */
    readonly tau: number,
    /** The threshold just below the jump (equals `tau` when θ = 0). */
    readonly tauLow: number,
    /**
     * 0 when the density is met by `W = P(ξ ≥ τ/(A·B))` (always for continuous noise). With atoms of ξ, the
     * density can jump over p; then `W = (1 − θ)·P(ξ ≥ τ/(A·B)) + θ·P(ξ ≥ τLow/(A·B))`, with `τLow < τ`
     * adjacent thresholds around the jump: a fraction θ of the tied pairs is kept.
     */
    readonly theta: number,
    /** The requested density p. */
    readonly density: number,
    /** (1/(n·d)) Σ W at the solution (|achieved − p| ≤ tolerance). */
    readonly achievedDensity: number,
  ) {
    this.rowRuns = runsOf(rowFactors);
    this.colRuns = runsOf(colFactors);
    this.closedForm = `P(xi >= ${tau} / (A_(ceil(${rowFactors.length} u)) * B_(ceil(${colFactors.length} v)))), xi ~ ${noise.name}`;
  }

  get rows(): number {
    return this.rowFactors.length;
  }

  get cols(): number {
    return this.colFactors.length;
  }

  /** W for the pair of factor values (a, b). */
  pairValue(a: number, b: number): number {
    return pairValue(this.noise, this.tau, this.tauLow, this.theta, a, b);
  }

  /** W(u, v): the value of the cell holding (u, v) (cells are right-closed; u = 0 falls in the first). */
  value(u: number, v: number): number {
    return this.pairValue(this.rowFactors[cell(u, this.rows)], this.colFactors[cell(v, this.cols)]);
  }

  /** d_row(u) = mean over inputs of W(u, ·). */
  rowDegree(u: number): number {
    const a = this.rowFactors[cell(u, this.rows)];
    const c = this.colRuns;
    let s = 0;
    for (let r = 0, start = 0; r < c.positive; start = c.end[r++]) {
      s += (c.end[r] - start) * this.pairValue(a, c.value[r]);
    }
    return s / this.cols;
  }

  /** d_col(v) = mean over neurons of W(·, v). */
  colDegree(v: number): number {
    const b = this.colFactors[cell(v, this.cols)];
    const rr = this.rowRuns;
    let s = 0;
    for (let r = 0, start = 0; r < rr.positive; start = rr.end[r++]) {
      s += (rr.end[r] - start) * this.pairValue(rr.value[r], b);
    }
    return s / this.rows;
  }

  /** Mean of W over [u0, u1] × [v0, v1] (cells cut by the rectangle count by their overlap). */
  blockAverage(u0: number, u1: number, v0: number, v1: number): number {
    if (!(u0 >= 0 && u1 <= 1 && u1 > u0 && v0 >= 0 && v1 <= 1 && v1 > v0)) {
      throw new InvalidArgumentError('block', [u0, u1, v0, v1], 'a rectangle 0 ≤ u0 < u1 ≤ 1, 0 ≤ v0 < v1 ≤ 1');
    }
    const n = this.rows;
    const d = this.cols;
    const rr = this.rowRuns;
    const cr = this.colRuns;
    let s = 0;
    for (let p = 0, ps = 0; p < rr.positive; ps = rr.end[p++]) {
      const wu = overlap(ps / n, rr.end[p] / n, u0, u1);
      if (wu <= 0) continue;
      for (let q = 0, qs = 0; q < cr.positive; qs = cr.end[q++]) {
        const wv = overlap(qs / d, cr.end[q] / d, v0, v1);
        if (wv > 0) s += wu * wv * this.pairValue(rr.value[p], cr.value[q]);
      }
    }
    return s / ((u1 - u0) * (v1 - v0));
  }

  /**
   * Block averages as a step graphon. By default on the K × L grid of the canonical histogram
   * (`blockCuts(rows, K)` × `blockCuts(cols, L)`, uneven remainders as there), so the result lines up block
   * for block with `canonicalHistogram(mask, { rowBlocks: K, colBlocks: L })` of a `rows × cols` mask; or on
   * given cut points (`options.rowCuts`/`colCuts`, from 0 to 1), cells cut by a block counting by their
   * overlap.
   */
  toStepGraphon(
    rowBlocks: number,
    colBlocks: number,
    options: { rowCuts?: ArrayLike<number>; colCuts?: ArrayLike<number> } = {},
  ): StepGraphon {
    const rc = options.rowCuts ? checkCuts(options.rowCuts, 'options.rowCuts') : gridCuts(this.rows, rowBlocks, 'rowBlocks');
    const cc = options.colCuts ? checkCuts(options.colCuts, 'options.colCuts') : gridCuts(this.cols, colBlocks, 'colBlocks');
    const k = rc.length - 1;
    const l = cc.length - 1;
    const rr = this.rowRuns;
    const cr = this.colRuns;
    const values = new Float64Array(k * l);
    // Pieces: (block, run, overlap length) of the intersections of positive runs with blocks, per side.
    const rowPieces = pieces(rc, rr, this.rows);
    const colPieces = pieces(cc, cr, this.cols);
    for (let x = 0; x < rowPieces.block.length; x++) {
      const a = rr.value[rowPieces.run[x]];
      const base = rowPieces.block[x] * l;
      const wa = rowPieces.weight[x];
      for (let y = 0; y < colPieces.block.length; y++) {
        values[base + colPieces.block[y]] += wa * colPieces.weight[y] * this.pairValue(a, cr.value[colPieces.run[y]]);
      }
    }
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < l; q++) values[p * l + q] /= (rc[p + 1] - rc[p]) * (cc[q + 1] - cc[q]);
    }
    return new StepGraphon(rc, cc, values);
  }
}

function gridCuts(side: number, blocks: number, name: string): Float64Array {
  if (!(Number.isInteger(blocks) && blocks >= 1 && blocks <= side)) {
    throw new InvalidArgumentError(name, blocks, `an integer in [1, ${side}] (the number of factors on that side)`);
  }
  return blockCuts(side, blocks);
}

function checkCuts(cuts: ArrayLike<number>, name: string): Float64Array {
  const c = Float64Array.from(cuts);
  let ok = c.length >= 2 && c[0] === 0 && c[c.length - 1] === 1;
  for (let i = 1; ok && i < c.length; i++) ok = c[i] > c[i - 1];
  if (!ok) throw new InvalidArgumentError(name, cuts, 'increasing cut points from 0 to 1');
  return c;
}

/** Intersections of positive runs (cells ((start)/n, end/n]) with blocks: block, run, overlap length. */
function pieces(cuts: Float64Array, runs: Runs, n: number): { block: Uint32Array; run: Uint32Array; weight: Float64Array } {
  const block: number[] = [];
  const run: number[] = [];
  const weight: number[] = [];
  const blocks = cuts.length - 1;
  let b = 0;
  for (let r = 0, rs = 0; r < runs.positive; rs = runs.end[r++]) {
    const u0 = rs / n;
    const u1 = runs.end[r] / n;
    while (b + 1 < blocks && cuts[b + 1] <= u0) b++;
    for (let k = b; k < blocks && cuts[k] < u1; k++) {
      const w = min(u1, cuts[k + 1]) - max(u0, cuts[k]);
      if (w > 0) {
        block.push(k);
        run.push(r);
        weight.push(w);
      }
    }
  }
  return { block: Uint32Array.from(block), run: Uint32Array.from(run), weight: Float64Array.from(weight) };
}

function cell(u: number, n: number): number {
  const j = ceil(u * n) - 1;
  return j < 0 ? 0 : j >= n ? n - 1 : j;
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return min(a1, b1) - max(a0, b0);
}

function pairValue(noise: Distribution, tau: number, tauLow: number, theta: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) return 0;
  const ab = a * b;
  const w = noise.ge(tau / ab);
  return theta === 0 ? w : w + theta * (noise.ge(tauLow / ab) - w);
}

/**
 * D(τ) = (1/(n·d)) Σ P(ξ ≥ τ/(A_j B_i)) over the positive runs. Summation order: rows by descending A,
 * inputs by descending B, each run weighted by its length.
 */
function densityAt(rr: Runs, cr: Runs, noise: Distribution, tau: number, total: number): number {
  let s = 0;
  for (let p = 0, ps = 0; p < rr.positive; ps = rr.end[p++]) {
    const a = rr.value[p];
    let row = 0;
    for (let q = 0, qs = 0; q < cr.positive; qs = cr.end[q++]) {
      const t = tau / (a * cr.value[q]);
      row += (cr.end[q] - qs) * noise.ge(t);
    }
    s += (rr.end[p] - ps) * row;
  }
  return s / total;
}

/**
 * The FSM limit of finite factor populations `rowFactors` (A, one per neuron) and `colFactors` (B, one per
 * input) with noise law `noise`, at density `density` (see the file header for the definition, root finding
 * and complexity).
 */
export function empiricalFsmLimit(
  rowFactors: ArrayLike<number>,
  colFactors: ArrayLike<number>,
  noise: DistributionSpec,
  density: number,
  options: EmpiricalFsmLimitOptions = {},
): EmpiricalFsmLimit {
  checkDensity(density, 'density', { open: true });
  const tolerance = options.tolerance ?? 1e-9;
  if (!(tolerance > 0 && tolerance < 1)) {
    throw new InvalidArgumentError('options.tolerance', tolerance, 'a number in (0, 1)');
  }
  const a = sortDescending(checkFactors(rowFactors, 'rowFactors'));
  const b = sortDescending(checkFactors(colFactors, 'colFactors'));
  const xi = distribution(noise, 'noise');
  const rr = runsOf(a);
  const cr = runsOf(b);
  const total = a.length * b.length;
  const D = (x: number) => densityAt(rr, cr, xi, exp(x), total);

  // Bracket on x = log τ: D(lo) ≥ p ≥ D(hi).
  let lo = -1;
  let hi = 1;
  let dLo = D(lo);
  for (let k = 0; dLo < density && k < 200; k++) dLo = D((lo -= 2));
  let dHi = D(hi);
  for (let k = 0; dHi > density && k < 200; k++) dHi = D((hi += 2));
  if (dLo < density || dHi > density) {
    const active = (rr.end[rr.positive - 1] ?? 0) * (cr.end[cr.positive - 1] ?? 0);
    throw new NumericalError(
      `cannot bracket the FSM threshold for density ${density}: the largest reachable density is ${dLo} (${active} of ${total} pairs have A·B > 0)`,
      { fix: 'check that the factors are not (almost) all zero and that the noise law is not degenerate at 0' },
    );
  }
  // Illinois regula falsi on log τ.
  let side = 0;
  let x = lo;
  let achieved = dLo;
  for (let it = 0; it < 200 && abs(achieved - density) > tolerance; it++) {
    const fLo = dLo - density;
    const fHi = dHi - density;
    // Regula falsi converges in ~10 steps on a continuous D; past 30 steps D is a staircase (atoms): bisect.
    x = fLo === fHi || it >= 30 ? (lo + hi) / 2 : (lo * fHi - hi * fLo) / (fHi - fLo);
    if (!(x > lo && x < hi)) x = (lo + hi) / 2;
    if (!(x > lo && x < hi)) break; // the bracket is down to adjacent floats: D jumps over p here
    achieved = D(x);
    if (achieved > density) {
      lo = x;
      dLo = achieved;
      if (side === -1) dHi = density + (dHi - density) / 2;
      side = -1;
    } else {
      hi = x;
      dHi = achieved;
      if (side === 1) dLo = density + (dLo - density) / 2;
      side = 1;
    }
  }
  let theta = 0;
  let tauLow = exp(x);
  if (abs(achieved - density) > tolerance) {
    // D jumps over p (atoms of ξ): bisect to adjacent floats lo < hi with D(lo) ≥ p > D(hi). The pairs whose
    // tail changes between the two thresholds are the ties; keep the fraction θ of them that meets p.
    for (let it = 0; it < 1100; it++) {
      const mid = 0.5 * (lo + hi);
      if (!(mid > lo && mid < hi)) break;
      if (D(mid) >= density) lo = mid;
      else hi = mid;
    }
    const dL = D(lo);
    const dH = D(hi);
    if (!(dL >= density && dH <= density)) {
      throw new NumericalError(`FSM threshold did not converge (density ${dH}…${dL} for target ${density})`, {
        fix: 'check that the noise law is a valid distribution',
      });
    }
    x = hi;
    tauLow = exp(lo);
    theta = dL > dH ? min(1, max(0, (density - dH) / (dL - dH))) : 0;
    achieved = dH + theta * (dL - dH);
  }
  return new EmpiricalFsmLimit(a, b, xi, exp(x), tauLow, theta, density, achieved);
}
