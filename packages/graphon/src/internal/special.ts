/**
 * Special functions in float64: erf/erfc (W. J. Cody's rational Chebyshev approximations, netlib specfun
 * `erf`, relative error ≲ 1e-16, the same coefficients mathjs uses), the standard normal CDF/survival and its
 * quantile (P. J. Acklam's rational approximation, relative error 1.15e-9, refined by one Halley step to full
 * double precision).
 *
 * References: W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969);
 * P. J. Acklam, "An algorithm for computing the inverse normal cumulative distribution function" (2003).
 */
// Module-local aliases: inside vm contexts (jest) every global lookup (`Math`, `Number`) costs an
// interceptor call, 10–20× the arithmetic of these loops.
const { PI, SQRT2, abs, exp, log, sqrt, trunc } = Math;
const INF = Number.POSITIVE_INFINITY;

const P0 = [
  3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315,
];
const Q0 = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
const P1 = [
  0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.6351381974001, 881.952221241769,
  1712.0476126340707, 2051.0783778260716, 1230.3393547979972, 2.1531153547440383e-8,
];
const Q1 = [
  15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903, 3290.7992357334597,
  4362.619090143247, 3439.3676741437216, 1230.3393548037495,
];
const P2 = [
  0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275, 0.0006587491615298378,
  0.016315387137302097,
];
const Q2 = [
  2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918,
];
const SQRPI = 0.5641895835477563;

function erfSmall(y: number): number {
  const ysq = y * y;
  let xnum = P0[4] * ysq;
  let xden = ysq;
  for (let i = 0; i < 3; i++) {
    xnum = (xnum + P0[i]) * ysq;
    xden = (xden + Q0[i]) * ysq;
  }
  return (y * (xnum + P0[3])) / (xden + Q0[3]);
}

function expNegSquare(y: number): number {
  const ysq = trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return exp(-ysq * ysq) * exp(-del);
}

/** erfc(y) for y ≥ 0.46875. */
function erfcLarge(y: number): number {
  if (y > 26.6) return 0;
  if (y <= 4) {
    let xnum = P1[8] * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + P1[i]) * y;
      xden = (xden + Q1[i]) * y;
    }
    return expNegSquare(y) * ((xnum + P1[7]) / (xden + Q1[7]));
  }
  const ysq = 1 / (y * y);
  let xnum = P2[5] * ysq;
  let xden = ysq;
  for (let i = 0; i < 4; i++) {
    xnum = (xnum + P2[i]) * ysq;
    xden = (xden + Q2[i]) * ysq;
  }
  const r = (ysq * (xnum + P2[4])) / (xden + Q2[4]);
  return (expNegSquare(y) * (SQRPI - r)) / y;
}

export function erf(x: number): number {
  const y = abs(x);
  const s = x < 0 ? -1 : 1;
  if (y <= 0.46875) return s * erfSmall(y);
  return s * (1 - erfcLarge(y));
}

export function erfc(x: number): number {
  const y = abs(x);
  if (y <= 0.46875) return 1 - (x < 0 ? -1 : 1) * erfSmall(y);
  const c = erfcLarge(y);
  return x < 0 ? 2 - c : c;
}

/** Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / SQRT2);
}

/** 1 − Φ(x), accurate in the upper tail. */
export function normalSf(x: number): number {
  return 0.5 * erfc(x / SQRT2);
}

const A = [
  -39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716,
  2.506628277459239,
];
const B = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
const C = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];

/** Φ⁻¹(p) for p in [0, 1] (±∞ at the ends). */
export function normalQuantile(p: number): number {
  if (p <= 0) return -INF;
  if (p >= 1) return INF;
  const plow = 0.02425;
  let x: number;
  if (p < plow) {
    const q = sqrt(-2 * log(p));
    x =
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p <= 1 - plow) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  } else {
    const q = sqrt(-2 * log(1 - p));
    x =
      -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  }
  // One Halley step on Φ(x) − p (upper tail through the survival function to keep precision).
  const e = p > 0.5 ? -(normalSf(x) - (1 - p)) : normalCdf(x) - p;
  const u = e * sqrt(2 * PI) * exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}
