/**
 * Limit graphons of the Factorised Saliency Model (docs: concepts/factorised-saliency-model).
 *
 * Model: a weight's score is `s_ji = φ(A_j, B_i, ξ_ji)` with neuron factor `A ~ F_A`, input factor
 * `B ~ F_B` (or a deterministic profile, see `distributions.ts`), independent edge noise `ξ ~ F_ξ`, and `φ`
 * non-decreasing in each argument. The mask keeps the top `k = round(p·N)` scores. Placing neuron j at
 * `u = 1 − F_A(A_j)` and input i at `v = 1 − F_B(B_i)` (largest factor first: the canonical degree-sorted
 * orientation), the limit graphon is
 *
 *     W(u, v) = P(φ(a, b, ξ) > τ) + θ · P(φ(a, b, ξ) = τ),   a = F_A⁻¹(1−u),  b = F_B⁻¹(1−v),
 *     multiplicative φ = a·b·ξ:  W(u, v) = 1 − F_ξ(τ / (a·b))            (θ irrelevant for continuous ξ)
 *
 * with `τ` solving `∫∫ W = p`. `θ ∈ [0, 1]` is the fraction of exact ties at the threshold that the top-k
 * selection keeps (uniformly random tie-breaking in the limit); it only matters when the score law has an
 * atom at `τ` (e.g. constant factors and constant noise, where `W ≡ p`).
 *
 * Links: `'multiplicative'` (default, `a·b·ξ`, `τ > 0`), `'additive'` (`a + b + ξ`), or a custom
 * `{ noiseThreshold(τ, a, b), factorThreshold?(τ, a, ξ) }` giving the smallest ξ (resp. b) with `φ ≥ τ`.
 *
 * Numerics: `D(τ) = ∫∫ W` by nested adaptive Gauss–Kronrod (G7/K15) quadrature with absolute target 1e-11;
 * when the noise is a point mass `c` and the link exposes `factorThreshold`, the inner integral is exact:
 * `∫ 1{b(v) ≥ s} dv = P(B ≥ s)` with `s = factorThreshold(τ, a, c)` (the threshold model). `τ` is
 * bracketed by doubling and found by bisection until `|D(τ) − p| ≤ tolerance` (default 1e-10, so the
 * density is met to 1e-9); with atoms, until `P(φ > τ) ≤ p ≤ P(φ ≥ τ)`, then `θ` interpolates. The search
 * runs first on a cheap quadrature (target 1e-7), then re-brackets with the accurate one, expanding freely
 * (never clamped to the coarse bracket, whose ends the coarse error may have misclassified). Inner
 * integrals integrate only the transition of W(u, ·) between 1 − δ and δ, with its ends as cell ends (where
 * bounded noise makes W kink). A bracket that collapses without meeting the tolerance raises a
 * `NumericalError`. Checked against closed forms (uniform³, threshold model, log-normal³, …) to 2e-10.
 *
 * Finite factor populations: when both `rowFactor` and `colFactor` are given as samples (arrays) and the link
 * is multiplicative, the samples are taken as the finite populations they are (the j-th largest of n values
 * on u ∈ ((j−1)/n, j/n]) and the limit is the exact finite sum of {@link empiricalFsmLimit} (`theta` then has
 * its meaning there); sums of adaptive quadratures over piecewise-linear sample quantiles would need
 * thousands of intervals per integral.
 *
 * One sample factor: when exactly one factor is an interpolated sample or a `{ profile }` (thousands of kinks)
 * and the other factor and the noise are continuous laws (multiplicative link), `D(τ)` and block averages
 * reduce to 1-D tables of the product tail of the continuous factor and the noise, integrated exactly cell by
 * cell over the sample's linear quantile pieces (`fsm-sample-factor.ts`): the same tolerances, 10–100× faster
 * than the 2-D quadrature (profile × half-normal, half-normal noise: 0.4 s against 6.6–22 s; uniform noise
 * 1.2 s against 92 s).
 *
 * Complexity: each `D(τ)` costs ~10⁴–10⁵ integrand evaluations for smooth laws; about 40–60 bisection
 * steps. Block averages (`toStepGraphon`) integrate each block the same way to absolute accuracy 1e-7 by
 * default (`FSM_BLOCK_TOLERANCE`; option `tolerance`).
 *
 * @example
 * const limit = fsmLimit({ rowFactor: 'half-normal', colFactor: { profile: (x) => Math.exp(-3 * x) }, noise: 'half-normal' }, 0.1);
 * limit.tau;                   // the threshold on a·b·ξ
 * limit.value(0.1, 0.9);       // connection probability of a strong neuron to a weak input
 * limit.toStepGraphon(64, 64); // block averages, comparable with canonicalStepGraphon(mask, …)
 *
 * Reference: Pham, Ta, Tran-Thanh, "Pruning at Initialisation through the lens of Graphon Limit", ICML 2026,
 * arXiv 2602.06675 (the FSM in this form is this project's reconstruction; docs: concepts/factorised-saliency-model).
 */
import {
  checkDensity,
  checkPositiveInteger,
  type Graphon,
  InvalidArgumentError,
  NumericalError,
  StepGraphon,
} from '@graphon-pai/core';
import { type Distribution, type DistributionSpec, distribution } from './distributions';
import { type EmpiricalFsmLimit, empiricalFsmLimit } from './empirical-fsm';
import { SampleFactorLimit } from './fsm-sample-factor';
import { integrate } from './internal/quadrature';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { abs, ceil, exp, floor, log2, max, min, sqrt } = Math;
const { POSITIVE_INFINITY: INF, isNaN: nan } = Number;

/** A score link φ(a, b, ξ), non-decreasing in each argument, described by its threshold inverses. */
export interface FsmCustomLink {
  readonly name: string;
  /** Smallest ξ with φ(a, b, ξ) ≥ τ (±∞ when none / all). */
  noiseThreshold(tau: number, a: number, b: number): number;
  /** Smallest b with φ(a, b, ξ) ≥ τ; enables the exact inner integral for point-mass noise. */
  factorThreshold?(tau: number, a: number, xi: number): number;
  /** True when scores are ≥ 0, so τ is searched in (0, ∞). */
  readonly positive?: boolean;
  /** φ itself (used to sample masks from the model). */
  score(a: number, b: number, xi: number): number;
}

export type FsmLink = 'multiplicative' | 'additive' | FsmCustomLink;

/** The model: factor and noise laws and the link. */
export interface FsmModel {
  /** Law of the neuron (row) factor A ≥ 0. */
  rowFactor: DistributionSpec;
  /** Law of the input (column) factor B ≥ 0, or a deterministic profile `{ profile: (x) => Math.exp(-3 * x) }`. */
  colFactor: DistributionSpec;
  /** Law of the edge noise ξ ≥ 0. */
  noise: DistributionSpec;
  /** φ; default multiplicative a·b·ξ. */
  link?: FsmLink;
}

export interface FsmLimitOptions {
  /** Absolute tolerance on the density met by τ (default 1e-10). */
  tolerance?: number;
  /** Absolute target of the 2-D quadrature of D(τ) (default tolerance / 10). */
  quadratureTolerance?: number;
}

const MULTIPLICATIVE: FsmCustomLink = {
  name: 'multiplicative',
  positive: true,
  noiseThreshold: (tau, a, b) => {
    const ab = a * b;
    return ab > 0 ? tau / ab : INF;
  },
  factorThreshold: (tau, a, xi) => {
    const axi = a * xi;
    return axi > 0 ? tau / axi : INF;
  },
  score: (a, b, xi) => a * b * xi,
};

const ADDITIVE: FsmCustomLink = {
  name: 'additive',
  noiseThreshold: (tau, a, b) => tau - a - b,
  factorThreshold: (tau, a, xi) => tau - a - xi,
  score: (a, b, xi) => a + b + xi,
};

/** Resolves a link name or object. */
export function resolveLink(link: FsmLink | undefined): FsmCustomLink {
  if (link === undefined || link === 'multiplicative') return MULTIPLICATIVE;
  if (link === 'additive') return ADDITIVE;
  if (
    link &&
    typeof link === 'object' &&
    typeof link.noiseThreshold === 'function' &&
    typeof link.score === 'function'
  ) {
    return link;
  }
  throw new InvalidArgumentError(
    'link',
    link,
    "'multiplicative', 'additive' or {name, noiseThreshold, score}",
  );
}

/** Resolved model. */
export interface ResolvedFsm {
  readonly rowFactor: Distribution;
  readonly colFactor: Distribution;
  readonly noise: Distribution;
  readonly link: FsmCustomLink;
}

export function resolveFsm(model: FsmModel): ResolvedFsm {
  if (!model || typeof model !== 'object')
    throw new InvalidArgumentError('model', model, 'an FSM model {rowFactor, colFactor, noise}');
  const m = {
    rowFactor: distribution(model.rowFactor, 'model.rowFactor'),
    colFactor: distribution(model.colFactor, 'model.colFactor'),
    noise: distribution(model.noise, 'model.noise'),
    link: resolveLink(model.link),
  };
  if (m.link === MULTIPLICATIVE) {
    // a·b·ξ is monotone in each factor, and τ > 0 is searched on (0, ∞), only for non-negative laws.
    for (const key of ['rowFactor', 'colFactor', 'noise'] as const) {
      const lowest = m[key].quantile(0);
      if (!(lowest >= 0)) {
        throw new InvalidArgumentError(
          `model.${key}`,
          lowest,
          'a law on [0, ∞) for the multiplicative link a·b·ξ (this one reaches below 0)',
          {
            fix: `use a non-negative law (e.g. 'half-normal' or {type: 'uniform', low: 0, high: 1}) or link: 'additive'`,
          },
        );
      }
    }
  }
  return m;
}

/**
 * Memoised upper quantiles. The adaptive quadrature bisects dyadically from fixed end points, so the same
 * node positions recur across inner integrals, outer nodes and root-finding steps: caching turns the
 * dominant cost (a quantile per node) into a map lookup.
 */
function memoQuantile(d: Distribution): (x: number) => number {
  const cache = new Map<number, number>();
  return (x) => {
    let y = cache.get(x);
    if (y === undefined) {
      y = d.upperQuantile(x);
      if (cache.size < 1 << 20) cache.set(x, y);
    }
    return y;
  };
}

interface Quantiles {
  a: (u: number) => number;
  b: (v: number) => number;
}

/**
 * Default absolute accuracy of {@link FsmLimit.blockAverage} and {@link FsmLimit.toStepGraphon} block averages.
 * 1e-7 rather than 1e-9: the 2-D adaptive quadrature costs up to 100× more at 1e-9 for laws with kinks (13 s of
 * CPU for an 8 × 8 grid), while block averages are compared with masks whose blocks carry ~1e-2 sampling noise.
 * τ itself is always solved to the density tolerance of {@link fsmLimit} (1e-10).
 */
export const FSM_BLOCK_TOLERANCE = 1e-7;

/** Endpoint-safe positions: quantiles at exactly 0 or 1 may be ±∞; the integrals never sample them. */
const EDGE = 1e-300;

/** The FSM limit graphon with its threshold. */
export class FsmLimit implements Graphon {
  readonly model: ResolvedFsm;
  /** Threshold on φ(a, b, ξ). */
  readonly tau: number;
  /** Fraction of exact ties at τ kept (0 unless the score law has an atom at τ). */
  readonly theta: number;
  /** The requested density p. */
  readonly density: number;
  /** ∫∫ W at the solution (meets `density` within the tolerance). */
  readonly achievedDensity: number;
  readonly closedForm: string;
  private readonly tol: number;
  private readonly q: Quantiles;
  /** Set when both factors are finite samples: every value comes from the exact finite computation. */
  private readonly finite: EmpiricalFsmLimit | undefined;
  /** Set when one factor is a sample/profile and the rest continuous: block masses from 1-D tables. */
  private readonly sampleFactor: SampleFactorLimit | undefined;

  constructor(
    model: ResolvedFsm,
    tau: number,
    theta: number,
    density: number,
    achieved: number,
    tol: number,
    q?: Quantiles,
    finite?: EmpiricalFsmLimit,
    sampleFactor?: SampleFactorLimit,
  ) {
    this.model = model;
    this.finite = finite;
    this.sampleFactor = sampleFactor;
    this.q = q ?? { a: memoQuantile(model.rowFactor), b: memoQuantile(model.colFactor) };
    this.tau = tau;
    this.theta = theta;
    this.density = density;
    this.achievedDensity = achieved;
    this.tol = tol;
    const { rowFactor, colFactor, noise, link } = model;
    this.closedForm = finite
      ? finite.closedForm
      : link.name === 'multiplicative'
        ? `1 - F_xi(${tau} / (Q_A(1-u) * Q_B(1-v))), A ~ ${rowFactor.name}, B ~ ${colFactor.name}, xi ~ ${noise.name}`
        : `P(phi(Q_A(1-u), Q_B(1-v), xi) >= ${tau}), phi = ${link.name}, A ~ ${rowFactor.name}, B ~ ${colFactor.name}, xi ~ ${noise.name}`;
  }

  /** W(u, v). */
  value(u: number, v: number): number {
    if (this.finite) return this.finite.value(u, v);
    const a = this.model.rowFactor.upperQuantile(clampPos(u));
    const b = this.model.colFactor.upperQuantile(clampPos(v));
    return pointValue(this.model, this.tau, this.theta, a, b);
  }

  /** d_row(u) = ∫ W(u, v) dv. */
  rowDegree(u: number): number {
    if (this.finite) return this.finite.rowDegree(u);
    return innerMass(
      this.model,
      this.q,
      this.tau,
      this.theta,
      this.model.rowFactor.upperQuantile(clampPos(u)),
      0,
      1,
      this.tol,
    );
  }

  /** d_col(v) = ∫ W(u, v) du. */
  colDegree(v: number): number {
    if (this.finite) return this.finite.colDegree(v);
    const b = this.model.colFactor.upperQuantile(clampPos(v));
    return monotoneMass((u) => pointValue(this.model, this.tau, this.theta, this.q.a(u), b), 0, 1, this.tol);
  }

  /**
   * Mean of W over [u0, u1] × [v0, v1], to absolute accuracy `tolerance` (default
   * {@link FSM_BLOCK_TOLERANCE} = 1e-7; a quadrature error estimate; the measured errors at the default were
   * below 1e-9 for uniform³ and half-normal² × uniform noise). Exact (float64 sums) for two sample factors.
   */
  blockAverage(u0: number, u1: number, v0: number, v1: number, tolerance = FSM_BLOCK_TOLERANCE): number {
    if (this.finite) return this.finite.blockAverage(u0, u1, v0, v1);
    const area = (u1 - u0) * (v1 - v0);
    if (this.sampleFactor) {
      const m = this.sampleFactor.blockMass(this.tau, u0, u1, v0, v1, tolerance * area);
      if (m !== undefined) return m / area;
    }
    return mass(this.model, this.q, this.tau, this.theta, u0, u1, v0, v1, tolerance * area) / area;
  }

  /**
   * Block averages on the given cuts (default equal blocks), as a step graphon, each to absolute accuracy
   * `options.tolerance` (default {@link FSM_BLOCK_TOLERANCE} = 1e-7, far below the ~1e-2 sampling noise of a
   * mask's block; pass e.g. 1e-9 for more, at up to 100× the cost for laws with kinks), clamped to [0, 1].
   */
  toStepGraphon(
    rowBlocks: number,
    colBlocks: number,
    options: { rowCuts?: ArrayLike<number>; colCuts?: ArrayLike<number>; tolerance?: number } = {},
  ): StepGraphon {
    const rc = options.rowCuts ?? equal(rowBlocks);
    const cc = options.colCuts ?? equal(colBlocks);
    if (this.finite) {
      const g = this.finite.toStepGraphon(rc.length - 1, cc.length - 1, { rowCuts: rc, colCuts: cc });
      return new StepGraphon(
        g.rowCuts,
        g.colCuts,
        g.values.map((x) => min(1, max(0, x))),
      );
    }
    const k = rc.length - 1;
    const l = cc.length - 1;
    const values = new Float64Array(k * l);
    for (let a = 0; a < k; a++) {
      for (let b = 0; b < l; b++) {
        const x = this.blockAverage(
          rc[a],
          rc[a + 1],
          cc[b],
          cc[b + 1],
          options.tolerance ?? FSM_BLOCK_TOLERANCE,
        );
        values[a * l + b] = min(1, max(0, x));
      }
    }
    return new StepGraphon(rc, cc, values);
  }
}

function equal(n: number): Float64Array {
  checkPositiveInteger('blocks', n);
  const c = new Float64Array(n + 1);
  for (let i = 0; i <= n; i++) c[i] = i / n;
  return c;
}

function clampPos(p: number): number {
  return p <= 0 ? EDGE : p >= 1 ? 1 - 1e-16 : p;
}

/** W at factor values (a, b): P(ξ > t) + θ·P(ξ = t). */
function pointValue(m: ResolvedFsm, tau: number, theta: number, a: number, b: number): number {
  const t = m.link.noiseThreshold(tau, a, b);
  if (nan(t)) return 0;
  const gt = m.noise.gt(t);
  if (theta === 0 || !m.noise.hasAtoms) return gt;
  return gt + theta * (m.noise.ge(t) - gt);
}

/** ∫_{v0}^{v1} W(u, v) dv at row factor a. */
function innerMass(
  m: ResolvedFsm,
  q: Quantiles,
  tau: number,
  theta: number,
  a: number,
  v0: number,
  v1: number,
  tol: number,
): number {
  const c = m.noise.pointMass;
  if (c !== undefined && m.link.factorThreshold) {
    // Threshold model: {v : Q_B(1−v) ≥ s} = [0, P(B ≥ s)], {v : Q_B(1−v) > s} = [0, P(B > s)).
    const s = m.link.factorThreshold(tau, a, c);
    if (nan(s)) return 0;
    const over = (end: number) => max(0, min(v1, end) - v0);
    const gt = over(m.colFactor.gt(s));
    return theta === 0 ? gt : gt + theta * (over(m.colFactor.ge(s)) - gt);
  }
  const f = (v: number) => pointValue(m, tau, theta, a, q.b(v));
  if (!m.link.factorThreshold) return integrate(f, v0, v1, tol);
  // W(u, ·) is non-increasing in v. Where b(v) ≥ s_lo, W ≥ 1 − δ (ξ exceeds its lower δ-quantile); where
  // b(v) < s_hi, W ≤ δ. Integrating only the transition keeps the adaptive rule away from far tails.
  const delta = 0.25 * tol;
  const sLo = m.link.factorThreshold(tau, a, m.noise.quantile(delta));
  const sHi = m.link.factorThreshold(tau, a, m.noise.upperQuantile(delta));
  const vLo = min(v1, max(v0, nan(sLo) ? v0 : m.colFactor.gt(sLo)));
  const vHi = max(vLo, min(v1, nan(sHi) ? v1 : m.colFactor.ge(sHi)));
  if (!(vHi > vLo)) return vLo - v0;
  // Snap the transition to dyadic cells of its own scale, so quadrature nodes recur across calls and the
  // memoised quantiles hit. Where the noise threshold crosses an end of ξ's support, W reaches 0 (or 1) with a
  // kink; a Gauss–Kronrod cell holding a kink near one end can have all 15 nodes on the flat side (error
  // estimate 0, the sliver's mass silently lost: 4e-6 in an inner integral, 1.4e-10 in D for uniform³ at
  // p = 0.3). For such noise the first / last cell ends exactly at vLo / vHi, where the kink is harmless.
  // (Noise without such ends, e.g. log-normal, keeps pure dyadic cells: ten times faster through the cache.)
  const xiMin = m.noise.quantile(0);
  const upperKink = Number.isFinite(m.noise.upperQuantile(0));
  const lowerKink = Number.isFinite(xiMin) && !(m.link.positive && xiMin <= 0);
  const k = min(60, max(0, floor(-log2(vHi - vLo))));
  const scale = 2 ** k;
  const i0 = floor(vLo * scale);
  const i1 = ceil(vHi * scale);
  const start = lowerKink ? vLo : max(v0, i0 / scale);
  const end = upperKink ? vHi : v1;
  let total = start - v0;
  const cellTol = (0.5 * tol) / (i1 - i0);
  for (let i = i0; i < i1; i++) {
    const lo = max(start, i / scale);
    const hi = min(end, (i + 1) / scale);
    if (hi > lo) total += integrate(f, lo, hi, cellTol);
  }
  return total;
}

/**
 * ∫_{x0}^{x1} f for f non-increasing with values in [0, 1] (W along u): bisection finds where f leaves 1 − δ
 * and reaches δ; before counts as 1, after as 0, and only the transition is integrated, so a kink where
 * bounded noise makes W reach 0 or 1 is never inside a Gauss–Kronrod cell (where all nodes could miss it).
 */
function monotoneMass(f: (x: number) => number, x0: number, x1: number, tol: number): number {
  const delta = 0.25 * tol;
  let lo = x0;
  let hi = x1;
  for (let mid = 0.5 * (lo + hi); mid > lo && mid < hi; mid = 0.5 * (lo + hi)) {
    if (f(mid) >= 1 - delta) lo = mid;
    else hi = mid;
  }
  const s1 = lo;
  lo = s1;
  hi = x1;
  for (let mid = 0.5 * (lo + hi); mid > lo && mid < hi; mid = 0.5 * (lo + hi)) {
    if (f(mid) <= delta) hi = mid;
    else lo = mid;
  }
  return s1 - x0 + integrate(f, s1, hi, 0.5 * tol);
}

function mass(
  m: ResolvedFsm,
  q: Quantiles,
  tau: number,
  theta: number,
  u0: number,
  u1: number,
  v0: number,
  v1: number,
  tol: number,
): number {
  // Inner errors add at most their own size to the outer integral (the u-weights sum to u1 − u0 ≤ 1).
  const inner = tol * 0.5;
  return integrate((u) => innerMass(m, q, tau, theta, q.a(u), v0, v1, inner), u0, u1, tol * 0.5);
}

function isSample(spec: DistributionSpec): spec is Float64Array | Float32Array | readonly number[] {
  return spec instanceof Float64Array || spec instanceof Float32Array || Array.isArray(spec);
}

/** Solves τ for density p and returns the limit graphon (see the file header). */
export function fsmLimit(model: FsmModel, density: number, options: FsmLimitOptions = {}): FsmLimit {
  checkDensity(density, 'density', { open: true });
  const m = resolveFsm(model);
  const tolerance = options.tolerance ?? 1e-10;
  const qtol = options.quadratureTolerance ?? tolerance / 10;
  if (!(tolerance > 0)) throw new InvalidArgumentError('options.tolerance', tolerance, 'a positive number');
  if (isSample(model.rowFactor) && isSample(model.colFactor) && m.link === MULTIPLICATIVE) {
    // Finite factor populations: the exact finite sum (no quadrature over piecewise-linear quantiles).
    const e = empiricalFsmLimit(model.rowFactor, model.colFactor, m.noise, density, { tolerance });
    return new FsmLimit(m, e.tau, e.theta, density, e.achievedDensity, tolerance, undefined, e);
  }
  // Ties at τ have positive probability only through atoms of ξ (given a, b), or of B when ξ is a point
  // mass and the inner integral runs over B's law.
  const atoms = m.noise.hasAtoms;
  const q: Quantiles = { a: memoQuantile(m.rowFactor), b: memoQuantile(m.colFactor) };
  const p = density;
  // One sample/profile factor against continuous laws: D(τ) from a 1-D table (fsm-sample-factor.ts).
  const sf = sampleFactorLimit(m, qtol);
  // Coarse-then-fine: bracket and shrink with a cheap quadrature, finish with the accurate one (the table
  // path is accurate and cheap from the start).
  let qt = sf ? qtol : max(qtol, 1e-7);
  const dGt = sf ? (tau: number) => sf.density(tau) : (tau: number) => mass(m, q, tau, 0, 0, 1, 0, 1, qt);
  const dGe = (tau: number) => (atoms ? mass(m, q, tau, 1, 0, 1, 0, 1, qt) : dGt(tau));

  // Bracket: P(φ > lo) ≥ p (lo too low or a solution), P(φ ≥ hi) ≤ p.
  const guess = m.link.score(m.rowFactor.quantile(0.5), m.colFactor.quantile(0.5), m.noise.quantile(0.5));
  let lo: number;
  let hi: number;
  let fLo: number;
  let fHi: number;
  if (m.link.positive) {
    lo = 0;
    fLo = 1;
    hi = guess > 0 && Number.isFinite(guess) ? guess : 1;
    for (let i = 0; (fHi = dGt(hi)) > p; i++) {
      if (i > 2000)
        throw new NumericalError('FSM threshold: could not bracket τ from above (scores unbounded?)');
      lo = hi;
      fLo = fHi;
      hi *= 2;
    }
  } else {
    const g = Number.isFinite(guess) ? guess : 0;
    let step = max(1, abs(g));
    lo = g - step;
    hi = g + step;
    for (let i = 0; (fHi = dGt(hi)) > p; i++) {
      if (i > 2000) throw new NumericalError('FSM threshold: could not bracket τ from above');
      step *= 2;
      hi += step;
    }
    step = max(1, abs(g));
    for (let i = 0; (fLo = dGe(lo)) < p; i++) {
      if (i > 2000) throw new NumericalError('FSM threshold: could not bracket τ from below');
      step *= 2;
      lo -= step;
    }
  }

  // Bisection safeguarded by false position (Illinois): the bracket always holds a solution.
  let tau = hi;
  let found = false;
  let side = 0;
  for (let it = 0; it < 400; it++) {
    let mid: number;
    const span = hi - lo;
    if (it % 4 === 3 || !(fLo > fHi)) {
      mid = m.link.positive && lo > 0 && hi / lo > 4 ? sqrt(lo * hi) : 0.5 * (lo + hi);
    } else {
      mid = lo + ((fLo - p) / (fLo - fHi)) * span;
      if (!(mid > lo + 1e-3 * span && mid < hi - 1e-3 * span)) mid = 0.5 * (lo + hi);
    }
    if (!(mid > lo && mid < hi)) break;
    const gt = dGt(mid);
    const ge = atoms && gt <= p + tolerance ? dGe(mid) : gt;
    const ok = gt <= p + tolerance && ge >= p - tolerance;
    if (ok && qt <= qtol) {
      tau = mid;
      found = true;
      break;
    }
    if (ok) {
      // Converged at the coarse accuracy (|D − p| ≲ coarse error). Re-bracket around mid with a width set by
      // the secant slope so that the coarse error is covered, then continue with the accurate quadrature.
      // The new bracket is NOT clamped to the coarse one: its end points were classified by the coarse
      // quadrature, whose error (up to ~1e-7 in D) can put the accurate root outside it once the coarse
      // bisection has shrunk the bracket below that error (uniform³ at p = 0.1 lost the root by 2e-9 in τ).
      // D is non-increasing in τ, so expanding geometrically until the accurate D brackets p terminates.
      const slope = abs((fLo - fHi) / (hi - lo));
      qt = qtol;
      let width = slope > 0 && Number.isFinite(slope) ? (4 * 1e-7) / slope : abs(mid) * 1e-6;
      if (!(width > 0)) width = 1e-12;
      const w0 = width;
      let a = mid;
      let fa = -INF;
      for (let i = 0; !(fa > p + tolerance); i++) {
        if (i > 200) throw new NumericalError('FSM threshold: could not re-bracket τ from below');
        a = mid - width;
        if (m.link.positive && !(a > 0)) {
          a = 0;
          fa = 1;
          break;
        }
        fa = dGt(a);
        width *= 4;
      }
      width = w0;
      let b = mid;
      let fb = INF;
      for (let i = 0; !(fb < p - tolerance); i++) {
        if (i > 200) throw new NumericalError('FSM threshold: could not re-bracket τ from above');
        b = mid + width;
        fb = atoms ? dGe(b) : dGt(b);
        width *= 4;
      }
      lo = a;
      hi = b;
      fLo = fa;
      fHi = fb;
      side = 0;
      continue;
    }
    if (gt > p + tolerance) {
      lo = mid;
      fLo = gt;
      if (side === -1) fHi = p + 0.5 * (fHi - p);
      side = -1;
    } else {
      hi = mid;
      fHi = ge;
      if (side === 1) fLo = p + 0.5 * (fLo - p);
      side = 1;
    }
  }
  qt = qtol;
  if (!found) tau = 0.5 * (lo + hi);
  const gt = dGt(tau);
  const ge = atoms ? dGe(tau) : gt;
  let theta = 0;
  if (atoms && ge - gt > tolerance) theta = min(1, max(0, (p - gt) / (ge - gt)));
  const achieved = gt + theta * (ge - gt);
  if (abs(achieved - p) > 10 * tolerance) {
    throw new NumericalError(
      `FSM threshold: bisection ended at τ = ${tau} with density ${achieved}, not ${p} ± ${tolerance}`,
      { fix: 'check that the factor and noise laws are non-negative and not degenerate for this link' },
    );
  }
  return new FsmLimit(m, tau, theta, p, achieved, qtol * 100, q, undefined, sf);
}

/**
 * The 1-D table reduction when exactly one factor is an interpolated sample or profile and the other factor
 * and the noise are continuous (multiplicative link); undefined otherwise or when its table does not converge.
 */
export function sampleFactorLimit(m: ResolvedFsm, tol: number): SampleFactorLimit | undefined {
  if (m.link !== MULTIPLICATIVE) return undefined;
  const rowIsSample = m.rowFactor.knots !== undefined;
  if (rowIsSample === (m.colFactor.knots !== undefined)) return undefined;
  const sample = rowIsSample ? m.rowFactor : m.colFactor;
  const c = rowIsSample ? m.colFactor : m.rowFactor;
  // h(y) = ∫ G(e^y / c(z)) dz: innerMass over C's quantile at factor value a = 1, threshold e^y.
  const mc: ResolvedFsm = { rowFactor: c, colFactor: c, noise: m.noise, link: MULTIPLICATIVE };
  const qc = memoQuantile(c);
  const qq: Quantiles = { a: qc, b: qc };
  const inner = (y: number, z0: number, z1: number, t: number) => innerMass(mc, qq, exp(y), 0, 1, z0, z1, t);
  return SampleFactorLimit.create(rowIsSample, sample, c, m.noise, inner, tol / 10);
}
