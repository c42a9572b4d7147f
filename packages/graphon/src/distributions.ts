/**
 * Distributions of the Factorised Saliency Model's factors and noise (docs: concepts/factorised-saliency-model): named laws, empirical
 * samples and deterministic profiles `b(x)`.
 *
 * Every distribution exposes `cdf(x) = P(X ≤ x)`, the two upper tails `ge(x) = P(X ≥ x)` and
 * `gt(x) = P(X > x)` (they differ only at atoms; the FSM limit needs both to break ties at the threshold),
 * `quantile(p) = inf{x : F(x) ≥ p}` and `sample(rng)`.
 *
 * Named laws (parameters and defaults):
 * - `constant` (`value` = 1): a point mass;
 * - `uniform` (`low` = 0, `high` = 1);
 * - `half-normal` (`scale` = 1): |N(0, scale²)|, e.g. |w| for Gaussian initialisation;
 * - `log-normal` (`mu` = 0, `sigma` = 1): exp(N(mu, sigma²));
 * - `exponential` (`rate` = 1);
 * - `weibull` (`shape` = 1, `scale` = 1).
 *
 * Empirical samples (`Float64Array` / `Float32Array` / number[]): the law of `Q(U)`, `U ~ U(0, 1)`, with `Q`
 * the linear interpolation of the order statistics `x_(i)` at plotting positions `(i − ½)/n` (constant
 * beyond the ends). This is a continuous interpolation of the empirical CDF (ties stay atoms), so the FSM
 * threshold can be solved to 1e-9 in density rather than jumping between sample points.
 *
 * Profiles: a bounded deterministic factor `b(x)` over positions `x ∈ [0, 1]` (a function; written as a
 * string such as `"exp(-4*x)"` it is `expressionProfile` of `@graphon-pai/expressions`) is the pushforward
 * of U(0, 1) through `b`, represented as the empirical law of `b` at `resolution` (default 8192) midpoints.
 *
 * Complexity: named laws O(1) per call (erfc by Cody's approximation, normal quantile by Acklam + Halley);
 * empirical laws O(log n) per call after an O(n log n) sort.
 *
 * @example
 * const a = distribution('half-normal');                 // |N(0, 1)|
 * const b = distribution({ type: 'log-normal', sigma: 0.5 });
 * const e = distribution(new Float64Array([0.1, 0.5, 2]));
 * const p = distribution({ profile: (x) => Math.exp(-4 * x), name: 'exp(-4*x)' });
 * a.quantile(0.5); // 0.6744897501960817
 */
import { InvalidArgumentError, type Rng } from '@graphon-pai/core';
import { normalCdf, normalQuantile, normalSf } from './internal/special';
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { abs, exp, expm1, floor, log, log1p } = Math;

/** A univariate law on [0, ∞) or ℝ. */
export interface Distribution {
  /** A readable description, e.g. `half-normal(scale=1)`. */
  readonly name: string;
  /** P(X ≤ x). */
  cdf(x: number): number;
  /** P(X ≥ x). */
  ge(x: number): number;
  /** P(X > x). */
  gt(x: number): number;
  /** inf{x : F(x) ≥ p}, p ∈ [0, 1]. */
  quantile(p: number): number;
  /** quantile(1 − q), accurate for small q (the FSM places the largest factors at small u). */
  upperQuantile(q: number): number;
  /** One draw. */
  sample(rng: Rng): number;
  /** True when the law has atoms (point masses), so ge and gt differ somewhere. */
  readonly hasAtoms: boolean;
  /** The value of a point mass, when the law is one. */
  readonly pointMass?: number;
  /**
   * For an interpolated empirical law (samples and profiles): the sorted sample `x_0 ≤ … ≤ x_{n−1}`, the
   * quantile being linear between `((i + ½)/n, x_i)` and constant outside. Lets the FSM limit integrate over
   * the law piece by piece (see `fsm-sample-factor.ts`). Do not modify.
   */
  readonly knots?: Float64Array;
}

/** A named law with its parameters. */
export type NamedDistribution =
  | { type: 'constant'; value?: number }
  | { type: 'uniform'; low?: number; high?: number }
  | { type: 'half-normal'; scale?: number }
  | { type: 'log-normal'; mu?: number; sigma?: number }
  | { type: 'exponential'; rate?: number }
  | { type: 'weibull'; shape?: number; scale?: number };

/** A deterministic profile `b(x) ≥ 0` over positions x ∈ [0, 1]. */
export interface ProfileSpec {
  profile: (x: number) => number;
  /** What `b` is, for the law's name `profile(<name>)` (default `b(x)`), e.g. the expression it came from. */
  name?: string;
  /** Number of midpoints the profile is evaluated at (default 8192). */
  resolution?: number;
}

/** Anything {@link distribution} accepts. */
export type DistributionSpec =
  | Distribution
  | NamedDistribution
  | NamedDistribution['type']
  | ProfileSpec
  | Float64Array
  | Float32Array
  | readonly number[];

export const DISTRIBUTION_NAMES: readonly NamedDistribution['type'][] = [
  'constant',
  'uniform',
  'half-normal',
  'log-normal',
  'exponential',
  'weibull',
];

/** Builds a {@link Distribution} from a name, a parameter object, an empirical sample or a profile. */
export function distribution(spec: DistributionSpec, argument = 'distribution'): Distribution {
  if (typeof spec === 'string') return named({ type: spec } as NamedDistribution, argument);
  if (spec instanceof Float64Array || spec instanceof Float32Array || Array.isArray(spec)) {
    return empiricalDistribution(spec as ArrayLike<number>, argument);
  }
  if (spec && typeof spec === 'object') {
    if ('profile' in spec) return profileDistribution(spec, argument);
    if ('type' in spec) return named(spec as NamedDistribution, argument);
    const d = spec as Distribution;
    if (typeof d.quantile === 'function' && typeof d.ge === 'function' && typeof d.gt === 'function') {
      return typeof d.upperQuantile === 'function'
        ? d
        : { ...d, upperQuantile: (q: number) => d.quantile(1 - q) };
    }
  }
  throw new InvalidArgumentError(
    argument,
    spec,
    `a distribution name (${DISTRIBUTION_NAMES.join(', ')}), {type, …}, an empirical sample or {profile}`,
  );
}

function param(
  spec: Record<string, unknown>,
  key: string,
  fallback: number,
  argument: string,
  positive: boolean,
): number {
  const v = spec[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || (positive && !(v > 0))) {
    throw new InvalidArgumentError(
      `${argument}.${key}`,
      v,
      positive ? 'a positive finite number' : 'a finite number',
    );
  }
  return v;
}

function named(spec: NamedDistribution, argument: string): Distribution {
  const s = spec as unknown as Record<string, unknown>;
  switch (spec.type) {
    case 'constant': {
      const c = param(s, 'value', 1, argument, false);
      return {
        name: `constant(${c})`,
        cdf: (x) => (x >= c ? 1 : 0),
        ge: (x) => (x <= c ? 1 : 0),
        gt: (x) => (x < c ? 1 : 0),
        quantile: () => c,
        upperQuantile: () => c,
        sample: () => c,
        hasAtoms: true,
        pointMass: c,
      };
    }
    case 'uniform': {
      const lo = param(s, 'low', 0, argument, false);
      const hi = param(s, 'high', 1, argument, false);
      if (!(hi > lo)) throw new InvalidArgumentError(`${argument}.high`, hi, `a number above low = ${lo}`);
      const w = hi - lo;
      const cdf = (x: number) => (x <= lo ? 0 : x >= hi ? 1 : (x - lo) / w);
      const sf = (x: number) => (x <= lo ? 1 : x >= hi ? 0 : (hi - x) / w);
      return {
        name: `uniform(${lo}, ${hi})`,
        cdf,
        ge: sf,
        gt: sf,
        quantile: (p) => lo + w * p,
        upperQuantile: (q) => hi - w * q,
        sample: (rng) => lo + w * rng.uniform(),
        hasAtoms: false,
      };
    }
    case 'half-normal': {
      const sc = param(s, 'scale', 1, argument, true);
      const sf = (x: number) => (x <= 0 ? 1 : 2 * normalSf(x / sc));
      return {
        name: `half-normal(scale=${sc})`,
        cdf: (x) => 1 - sf(x),
        ge: sf,
        gt: sf,
        quantile: (p) => (p <= 0 ? 0 : sc * normalQuantile(0.5 + 0.5 * p)),
        upperQuantile: (q) => (q >= 1 ? 0 : -sc * normalQuantile(0.5 * q)),
        sample: (rng) => sc * abs(rng.normal()),
        hasAtoms: false,
      };
    }
    case 'log-normal': {
      const mu = param(s, 'mu', 0, argument, false);
      const sigma = param(s, 'sigma', 1, argument, true);
      const sf = (x: number) => (x <= 0 ? 1 : normalSf((log(x) - mu) / sigma));
      return {
        name: `log-normal(mu=${mu}, sigma=${sigma})`,
        cdf: (x) => (x <= 0 ? 0 : normalCdf((log(x) - mu) / sigma)),
        ge: sf,
        gt: sf,
        quantile: (p) => exp(mu + sigma * normalQuantile(p)),
        upperQuantile: (q) => exp(mu - sigma * normalQuantile(q)),
        sample: (rng) => exp(mu + sigma * rng.normal()),
        hasAtoms: false,
      };
    }
    case 'exponential': {
      const rate = param(s, 'rate', 1, argument, true);
      const sf = (x: number) => (x <= 0 ? 1 : exp(-rate * x));
      return {
        name: `exponential(rate=${rate})`,
        cdf: (x) => (x <= 0 ? 0 : -expm1(-rate * x)),
        ge: sf,
        gt: sf,
        quantile: (p) => (p >= 1 ? Number.POSITIVE_INFINITY : -log1p(-p) / rate),
        upperQuantile: (q) => (q <= 0 ? Number.POSITIVE_INFINITY : -log(q) / rate),
        sample: (rng) => -log1p(-rng.uniform()) / rate,
        hasAtoms: false,
      };
    }
    case 'weibull': {
      const k = param(s, 'shape', 1, argument, true);
      const sc = param(s, 'scale', 1, argument, true);
      const sf = (x: number) => (x <= 0 ? 1 : exp(-((x / sc) ** k)));
      return {
        name: `weibull(shape=${k}, scale=${sc})`,
        cdf: (x) => (x <= 0 ? 0 : -expm1(-((x / sc) ** k))),
        ge: sf,
        gt: sf,
        quantile: (p) => (p >= 1 ? Number.POSITIVE_INFINITY : sc * (-log1p(-p)) ** (1 / k)),
        upperQuantile: (q) => (q <= 0 ? Number.POSITIVE_INFINITY : sc * (-log(q)) ** (1 / k)),
        sample: (rng) => sc * (-log1p(-rng.uniform())) ** (1 / k),
        hasAtoms: false,
      };
    }
    default:
      throw new InvalidArgumentError(
        `${argument}.type`,
        (spec as { type: unknown }).type,
        `one of ${DISTRIBUTION_NAMES.join(', ')}`,
      );
  }
}

/** The interpolated empirical law of a sample (see the file header). */
export function empiricalDistribution(sample: ArrayLike<number>, argument = 'sample'): Distribution {
  const n = sample.length;
  if (n === 0) throw new InvalidArgumentError(argument, sample, 'a non-empty sample');
  const x = Float64Array.from(sample);
  for (let i = 0; i < n; i++) {
    if (x[i] - x[i] !== 0) {
      throw new InvalidArgumentError(`${argument}[${i}]`, x[i], 'a finite number', {
        fix: 'drop NaN/Infinity entries',
      });
    }
  }
  x.sort();
  if (x[0] === x[n - 1]) return named({ type: 'constant', value: x[0] }, argument);
  // Q(p): linear between (p_i, x_i), p_i = (i + ½)/n (0-based), constant outside [p_0, p_{n−1}].
  const quantile = (p: number): number => {
    const t = p * n - 0.5;
    if (t <= 0) return x[0];
    if (t >= n - 1) return x[n - 1];
    const i = floor(t);
    return x[i] + (t - i) * (x[i + 1] - x[i]);
  };
  /** F at x from the right (strict = false) or left (strict = true) limit. */
  const cdfAt = (v: number, strict: boolean): number => {
    if (strict ? v <= x[0] : v < x[0]) return 0;
    if (strict ? v > x[n - 1] : v >= x[n - 1]) return 1;
    // j = last index with x_j ≤ v (or < v when strict)
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (strict ? x[mid] < v : x[mid] <= v) lo = mid;
      else hi = mid - 1;
    }
    const j = lo;
    if (j >= n - 1) return strict ? (n - 0.5) / n : 1;
    const gap = x[j + 1] - x[j];
    return (j + 0.5 + (gap > 0 ? (v - x[j]) / gap : 0)) / n;
  };
  return {
    name: `empirical(n=${n})`,
    cdf: (v) => cdfAt(v, false),
    ge: (v) => 1 - cdfAt(v, true),
    gt: (v) => 1 - cdfAt(v, false),
    quantile,
    upperQuantile: (q) => quantile(1 - q),
    sample: (rng) => quantile(rng.uniform()),
    // The interpolated law keeps atoms of mass ½/n at the extremes (and at repeated values).
    hasAtoms: true,
    knots: x,
  };
}

/** The law of a deterministic profile b(x) over uniform positions (see the file header). */
export function profileDistribution(spec: ProfileSpec, argument = 'profile'): Distribution {
  const resolution = spec.resolution ?? 8192;
  if (!(Number.isInteger(resolution) && resolution >= 2)) {
    throw new InvalidArgumentError(`${argument}.resolution`, resolution, 'an integer ≥ 2');
  }
  const f = spec.profile;
  if (typeof f !== 'function') {
    throw new InvalidArgumentError(`${argument}.profile`, f, 'a function b(x) of the position x ∈ [0, 1]', {
      fix: "for an expression string use expressionProfile('exp(-3*x)') of @graphon-pai/expressions",
    });
  }
  const name = spec.name ?? 'b(x)';
  const values = new Float64Array(resolution);
  for (let i = 0; i < resolution; i++) {
    const p = (i + 0.5) / resolution;
    const y = f(p);
    if (!(Number.isFinite(y) && y >= 0)) {
      throw new InvalidArgumentError(
        `${argument}.profile`,
        name,
        'a profile with finite values ≥ 0 on [0, 1]',
        {
          fix: `it evaluates to ${y} at x = ${p}`,
        },
      );
    }
    values[i] = y;
  }
  const d = empiricalDistribution(values, argument);
  return { ...d, name: `profile(${name})` };
}
