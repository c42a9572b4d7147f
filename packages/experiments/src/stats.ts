/**
 * Small statistics for experiment reports.
 *
 * - `meanSd`: sample mean and standard deviation (n − 1 denominator; sd = 0 for one value).
 * - `logLogSlope`: ordinary least squares of log y on log x, `log y = a + b log x`, returning the slope b,
 *   its standard error `√(RSS/(n−2) / Σ(log x − mean)²)` (undefined for n ≤ 2) and R². A convergence rate
 *   `δ ∝ n^{-1/2}` shows as b ≈ −0.5.
 * - `bootstrapPValue`: the Monte Carlo p-value `(1 + #{T_b ≥ T}) / (B + 1)` of a one-sided test (Davison &
 *   Hinkley 1997, eq. 4.11), never 0.
 */
export interface MeanSd {
  mean: number;
  sd: number;
  n: number;
}

export function meanSd(values: readonly number[]): MeanSd {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN, n };
  let s = 0;
  for (const v of values) s += v;
  const mean = s / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n };
}

export interface SlopeFit {
  slope: number;
  intercept: number;
  standardError: number | undefined;
  r2: number;
  n: number;
}

export function logLogSlope(x: readonly number[], y: readonly number[]): SlopeFit {
  const lx = x.map(Math.log);
  const ly = y.map(Math.log);
  const n = lx.length;
  const mx = meanSd(lx).mean;
  const my = meanSd(ly).mean;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (lx[i] - mx) ** 2;
    sxy += (lx[i] - mx) * (ly[i] - my);
    syy += (ly[i] - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (ly[i] - intercept - slope * lx[i]) ** 2;
  return {
    slope,
    intercept,
    standardError: n > 2 ? Math.sqrt(rss / (n - 2) / sxx) : undefined,
    r2: syy === 0 ? 1 : 1 - rss / syy,
    n,
  };
}
