/**
 * Closed-form limits of the `joint` preset (d grows with n on `mirroredRegressionTask` data).
 *
 * Network: `f(x) = Σ_j a_j relu(w_j·x)`, `d → n → 1`, no biases, Kaiming-normal weights, **mirrored**
 * neurons (`(w_j, a_j)` and `(w_j, −a_j)`, so `f ≡ 0` at initialisation). Data: `m` Gaussian examples with
 * the two-level scale profile `s_i = s₁` (first `α·d` coordinates), `s₀` (the rest) and their negatives,
 * targets `y ~ N(0, 1)` independent of `x`, negated with the examples. Criteria keep exactly `k = p·n·d`
 * first-layer weights. Writing `A_j = |a_j|/σ_a`, `ξ_ji = |w_ji|/σ_w` (i.i.d. half-normal `HN(1)`; scales
 * drop out of a top-k mask) and `B_i = |Σ_{b<m} y_b x_bi|/‖y‖`:
 *
 * | criterion | first-layer score (exact, every width) | limit `W(u, v)` |
 * |---|---|---|
 * | random    | i.i.d. uniform                          | `p` |
 * | magnitude | `ξ_ji`                                  | `p` |
 * | synflow   | `A_j · ξ_ji` (`R = 1ᵀ|a||W|1`, `∂R/∂w_ji = |a_j| sign w_ji`)   | `P(ξ ≥ τ / A(u))` |
 * | snip      | `A_j · B_i · ξ_ji` (see `mirroredRegressionTask`: on mirrored pairs `∂L/∂w_ji = −(a_j/m) Σ_{b<m} y_b x_bi` exactly) | `P(ξ ≥ τ / (A(u) B(v)))` |
 *
 * with `A(u) = F_A⁻¹(1 − u)`, `B(v) = F_B⁻¹(1 − v)` (largest factors first, the canonical orientation) and
 * `τ` solving `∫∫ W = p`. The input factors are i.i.d. given `y` with `B_i ~ s_i·|Z_i|`, so `F_B` is the scale
 * mixture of half-normals `F_B(b) = α·erf(b/(s₁√2)) + (1 − α)·erf(b/(s₀√2))`; `F_A`, `F_ξ` are `erf(x/√2)`:
 *
 *     W(u, v) = erfc( τ / (√2 · A(u) · B(v)) ).
 *
 * These are FSM limits (theory: arXiv 2602.06675) with *exact* factorisation, so the masks converge to them
 * with no model bias and, as `d = n/2` grows, with no fixed-`d` floor. `τ` and the block averages are
 * computed by `@graphon-pai/graphon`'s `fsmLimit` (float64 quadrature to 1e-10 in density).
 *
 * Pixel reference (`K` row blocks × the `d` inputs, identity kept): given the realised input factors `B_i`
 * of the batch, row block `a` of input `i` holds `(1/|I_a|) ∫_{I_a} erfc(τ / (√2 A(u) B_i)) du`; with the
 * substitution `x = A(u)` (so `du = −2φ(x) dx`) this is `(2/|I_a|) ∫_{A(u_{a+1})}^{A(u_a)} erfc(τ/(√2 x B_i)) φ(x) dx`,
 * computed by Gauss–Legendre quadrature on each block.
 */

import { gaussLegendre } from '@graphon-pai/bounds';
import { StepGraphon } from '@graphon-pai/core';
import type { DenseMatrix } from '@graphon-pai/cut-distance';
import { type Distribution, distribution, type FsmLimit, fsmLimit } from '@graphon-pai/graphon';

export type JointCriterion = 'random' | 'magnitude' | 'synflow' | 'snip';

export interface JointProfile {
  informativeFraction: number;
  informativeScale: number;
  backgroundScale: number;
}

/** The law `α·HN(s₁) + (1 − α)·HN(s₀)` of SNIP's input factor (continuous, no atoms). */
export function inputFactorLaw(profile: JointProfile): Distribution {
  const { informativeFraction: alpha, informativeScale: s1, backgroundScale: s0 } = profile;
  const hi = distribution({ type: 'half-normal', scale: s1 });
  const lo = distribution({ type: 'half-normal', scale: s0 });
  const ge = (x: number) => alpha * hi.ge(x) + (1 - alpha) * lo.ge(x);
  const cdf = (x: number) => alpha * hi.cdf(x) + (1 - alpha) * lo.cdf(x);
  // Bracket: the mixture's q-quantile lies between the components' q-quantiles.
  const solve = (
    f: (x: number) => number,
    target: number,
    low: number,
    high: number,
    increasing: boolean,
  ) => {
    let a = low;
    let b = high;
    for (let it = 0; it < 200 && b - a > 1e-15 * Math.max(1, b); it++) {
      const mid = 0.5 * (a + b);
      if (f(mid) < target === increasing) a = mid;
      else b = mid;
    }
    return 0.5 * (a + b);
  };
  const quantile = (q: number) => {
    if (q <= 0) return 0;
    if (q >= 1) return Number.POSITIVE_INFINITY;
    const x1 = hi.quantile(q);
    const x0 = lo.quantile(q);
    return solve(cdf, q, Math.min(x0, x1), Math.max(x0, x1), true);
  };
  const upperQuantile = (q: number) => {
    if (q <= 0) return Number.POSITIVE_INFINITY;
    if (q >= 1) return 0;
    const x1 = hi.upperQuantile(q);
    const x0 = lo.upperQuantile(q);
    return solve(ge, q, Math.min(x0, x1), Math.max(x0, x1), false);
  };
  return {
    name: `${alpha}*half-normal(${s1}) + ${1 - alpha}*half-normal(${s0})`,
    cdf,
    ge,
    gt: ge,
    quantile,
    upperQuantile,
    sample: (rng) => (rng.uniform() < alpha ? hi : lo).sample(rng),
    hasAtoms: false,
  };
}

/** The limit graphon of a criterion's first-layer masks at density `p` (see the file header). */
export function jointLimit(
  criterion: JointCriterion,
  density: number,
  profile: JointProfile,
): StepGraphon | FsmLimit {
  if (criterion === 'random' || criterion === 'magnitude') return StepGraphon.constant(density);
  const colFactor = criterion === 'snip' ? inputFactorLaw(profile) : { type: 'constant' as const, value: 1 };
  return fsmLimit({ rowFactor: 'half-normal', colFactor, noise: 'half-normal' }, density);
}

/** Gauss–Legendre points per row block of {@link pixelReference}. */
const PIXEL_NODES = 64;
/** Upper end of the half-normal neuron factor in the first row block (P(A > 9) < 1e-18). */
const A_MAX = 9;

/**
 * The `K × d` pixel summary of a criterion's limit given the realised input factors (file header): row
 * block `a`, input `i` ↦ `(1/|I_a|) ∫_{I_a} P(ξ ≥ τ / (A(u)·B_i)) du`, with `B_i = inputFactors[i]` for SNIP,
 * 1 for SynFlow, and `p` everywhere for random and magnitude.
 */
export function pixelReference(
  criterion: JointCriterion,
  limit: StepGraphon | FsmLimit,
  inputFactors: Float64Array,
  rowBlocks: number,
): DenseMatrix {
  const d = inputFactors.length;
  const data = new Float64Array(rowBlocks * d);
  if (limit instanceof StepGraphon) return { rows: rowBlocks, cols: d, data: data.fill(limit.values[0]) };
  const { rowFactor, noise } = limit.model;
  const { nodes, weights } = gaussLegendre(PIXEL_NODES);
  const c = Math.sqrt(2 / Math.PI);
  for (let a = 0; a < rowBlocks; a++) {
    // x = A(u) runs from A((a+1)/K) up to A(a/K); du = 2φ(x) dx for the half-normal A.
    const lo = rowFactor.upperQuantile((a + 1) / rowBlocks);
    const hi = a === 0 ? A_MAX : rowFactor.upperQuantile(a / rowBlocks);
    const xs = Float64Array.from(nodes, (t) => lo + (hi - lo) * t);
    const ws = Float64Array.from(
      weights,
      (w, q) => w * (hi - lo) * c * Math.exp(-0.5 * xs[q] * xs[q]) * rowBlocks,
    );
    for (let i = 0; i < d; i++) {
      const b = criterion === 'snip' ? inputFactors[i] : 1;
      let s = 0;
      for (let q = 0; q < PIXEL_NODES; q++) s += ws[q] * noise.ge(limit.tau / (xs[q] * b));
      data[a * d + i] = s;
    }
  }
  return { rows: rowBlocks, cols: d, data };
}

/** A limit as a step graphon on a grid, with a certified bound on what the grid loses. */
export interface LimitGrid {
  kernel: StepGraphon;
  /**
   * Upper bound on `‖W − kernel‖_1 ≥ ‖W − kernel‖_□`: `W` is non-increasing in `u` and `v`, so on a cell it
   * differs from the midpoint value by at most its top-left minus bottom-right corner values; the bound is
   * the mean of those differences (≤ 1/rows + 1/cols).
   */
  discretisation: number;
}

/**
 * The limit's midpoint values on a `rows × cols` grid of equal cells (SynFlow's limit does not depend on `v`:
 * one column), for the full-resolution cut distance; the constant `p` is exact.
 */
export function limitGrid(
  criterion: JointCriterion,
  limit: StepGraphon | FsmLimit,
  rows: number,
  cols: number,
): LimitGrid {
  if (limit instanceof StepGraphon) return { kernel: limit, discretisation: 0 };
  const { rowFactor, colFactor, noise } = limit.model;
  const c = criterion === 'synflow' ? 1 : cols;
  const at = (q: number, law: Distribution) =>
    q <= 0 ? Number.POSITIVE_INFINITY : q >= 1 ? 0 : law.upperQuantile(q);
  const a = Float64Array.from({ length: 2 * rows + 1 }, (_, h) => at(h / (2 * rows), rowFactor));
  const b = Float64Array.from({ length: 2 * c + 1 }, (_, h) => (c === 1 ? 1 : at(h / (2 * c), colFactor)));
  const w = (x: number, y: number) => noise.ge(limit.tau / (x * y));
  const values = new Float64Array(rows * c);
  let corner = 0;
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < c; k++) {
      values[r * c + k] = w(a[2 * r + 1], b[2 * k + 1]);
      corner += w(a[2 * r], c === 1 ? 1 : b[2 * k]) - w(a[2 * r + 2], c === 1 ? 1 : b[2 * k + 2]);
    }
  }
  return { kernel: StepGraphon.uniformBlocks(rows, c, values), discretisation: corner / (rows * c) };
}
